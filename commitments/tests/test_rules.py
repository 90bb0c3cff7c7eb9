"""The two rule functions on every boundary (004 四（二）、四（六）; DESIGN.md "Rules"), exactly."""

from __future__ import annotations

from fractions import Fraction

import pytest

from commitments import rules
from commitments.rules import Grade, VoteResult, grade, vote_outcome


class TestVoteOutcome:
    def test_exactly_two_thirds_is_adopted(self):
        outcome = vote_outcome(2, 1, 0)
        assert outcome.adopted and outcome.result == VoteResult.ADOPTED
        assert outcome.approve_share == Fraction(2, 3)
        assert isinstance(outcome.approve_share, Fraction)

    def test_two_thirds_of_a_large_meeting_is_adopted(self):
        assert vote_outcome(200, 100, 0).adopted
        assert vote_outcome(200, 99, 1).adopted

    def test_just_under_two_thirds_is_not_adopted(self):
        # 199/300 < 2/3 by one vote; 101/300 rejections > 1/3: 不列为承诺内容.
        outcome = vote_outcome(199, 101, 0)
        assert not outcome.adopted and outcome.sent_back
        assert outcome.result == VoteResult.SENT_BACK

    def test_abstentions_count_among_votes_cast(self):
        # 2 of 3 votes cast: adopted; 2 of 4: not, though nobody voted against.
        assert vote_outcome(2, 0, 1).adopted
        outcome = vote_outcome(2, 0, 2)
        assert not outcome.adopted and outcome.result == VoteResult.SHORT
        assert outcome.abstain_share == Fraction(1, 2)

    def test_exactly_one_third_rejected_is_not_sent_back_by_the_rejections(self):
        # 5/9 approve (< 2/3), 3/9 reject (= 1/3, not over): the document's gap, not adopted.
        outcome = vote_outcome(5, 3, 1)
        assert outcome.reject_share == Fraction(1, 3)
        assert outcome.result == VoteResult.SHORT
        assert not outcome.adopted

    def test_exactly_one_third_rejected_with_two_thirds_approving_is_adopted(self):
        outcome = vote_outcome(6, 3, 0)
        assert outcome.reject_share == Fraction(1, 3) and outcome.adopted

    def test_just_over_one_third_rejected_is_sent_back(self):
        outcome = vote_outcome(5, 4, 0)
        assert outcome.reject_share > Fraction(1, 3)
        assert outcome.result == VoteResult.SENT_BACK and outcome.sent_back

    def test_no_votes_at_all_is_an_error(self):
        with pytest.raises(ValueError, match="没有任何表决票"):
            vote_outcome(0, 0, 0)

    def test_negative_counts_are_an_error(self):
        with pytest.raises(ValueError, match="负数"):
            vote_outcome(5, -1, 0)


class TestGrade:
    def test_labels_are_the_documents_words(self):
        assert [g.label for g in Grade] == ["优秀", "合格", "基本合格", "不合格"]

    def test_exactly_thirty_percent_dissatisfied_is_not_a_fail(self):
        assert grade(70, 0, 30) == Grade.PASS
        assert grade(7, 0, 3) == Grade.PASS

    def test_just_over_thirty_percent_dissatisfied_fails(self):
        assert grade(69, 0, 31) == Grade.FAIL
        assert grade(699, 0, 301) == Grade.FAIL

    def test_exactly_seventy_percent_satisfied_passes(self):
        assert grade(70, 30, 0) == Grade.PASS
        assert grade(7, 2, 1) == Grade.PASS

    def test_just_under_seventy_percent_satisfied_is_the_gap(self):
        # 69.9% satisfied, 0.1% dissatisfied: neither 合格 nor 不合格 in the document → 基本合格.
        assert grade(699, 300, 1) == Grade.BASIC
        assert rules.in_gap(699, 300, 1)

    def test_the_gap_up_to_thirty_percent_dissatisfied(self):
        assert grade(40, 30, 30) == Grade.BASIC
        assert grade(60, 30, 10) == Grade.BASIC
        assert grade(0, 100, 0) == Grade.BASIC

    def test_exactly_ninety_percent_satisfied_is_a_pass_not_excellent(self):
        assert grade(90, 10, 0) == Grade.PASS
        assert grade(9, 0, 1) == Grade.PASS

    def test_just_over_ninety_percent_is_excellent(self):
        assert grade(901, 99, 0) == Grade.EXCELLENT
        assert grade(91, 9, 0) == Grade.EXCELLENT
        assert grade(1, 0, 0) == Grade.EXCELLENT

    def test_a_float_would_get_two_thirds_and_seventy_percent_wrong_the_fraction_does_not(self):
        # 0.7 * 10 == 7.000000000000001 in floats; Fractions compare exactly.
        assert grade(7, 3, 0) == Grade.PASS
        assert rules.shares(7, 3, 0).satisfied == Fraction(7, 10)

    def test_empty_tallies_are_an_error(self):
        with pytest.raises(ValueError, match="合计为 0"):
            grade(0, 0, 0)

    def test_grade_is_a_text_choice(self):
        assert grade(95, 5, 0).label == "优秀"


class TestFlags:
    def test_rectification_above_half_dissatisfied(self):
        assert not rules.needs_rectification(1, 0, 1)  # exactly 50%
        assert rules.needs_rectification(1, 0, 2)
        assert rules.needs_rectification(49, 1, 51)

    def test_rectification_for_a_final_fail(self):
        assert rules.needs_rectification(90, 10, 0, Grade.FAIL)
        assert not rules.needs_rectification(90, 10, 0, Grade.PASS)

    def test_two_consecutive_years_across_the_year_boundary(self):
        assert rules.consecutive_fails({2025: Grade.FAIL, 2026: Grade.FAIL}, 2026)
        assert not rules.consecutive_fails({2024: Grade.FAIL, 2026: Grade.FAIL}, 2026)
        assert not rules.consecutive_fails({2025: Grade.FAIL, 2026: Grade.BASIC}, 2026)
        assert not rules.consecutive_fails({2026: Grade.FAIL}, 2026)

    def test_term_is_three_years(self):
        assert rules.term_end_year(2026) == 2028

    def test_percent_for_display(self):
        assert rules.percent(Fraction(2, 3)) == "66.7%"
        assert rules.percent(Fraction(7, 10)) == "70.0%"
