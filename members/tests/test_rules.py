"""members.rules: pure functions, tested on their exact boundaries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from members import rules

D = datetime.date


class TestQuotaMet:
    @pytest.mark.parametrize(
        ("achieved", "minimum", "met"),
        [
            (2, 2, True),
            (1, 2, False),
            (3, 2, True),
            (0, 0, True),
            (Decimal("500"), Decimal("500.00"), True),
            (Decimal("499.99"), Decimal("500"), False),
        ],
    )
    def test_at_least_the_minimum(self, achieved, minimum, met):
        assert rules.quota_met(achieved, minimum) is met


class TestYears:
    def test_31_december_and_1_january_fall_in_different_years(self):
        totals = rules.totals_by_year([(D(2025, 12, 31), 1), (D(2026, 1, 1), 1), (D(2026, 6, 1), 1)])
        assert totals == {2025: 1, 2026: 2}

    def test_money_is_summed_exactly(self):
        totals = rules.totals_by_year([(D(2025, 1, 1), Decimal("0.10")), (D(2025, 12, 31), Decimal("0.20"))])
        assert totals == {2025: Decimal("0.30")}

    @pytest.mark.parametrize(
        ("start", "end", "today", "years"),
        [
            (D(2024, 12, 31), None, D(2026, 1, 1), [2024, 2025, 2026]),
            (D(2025, 1, 1), None, D(2025, 12, 31), [2025]),
            (D(2024, 3, 1), D(2025, 1, 1), D(2026, 5, 1), [2024, 2025]),
            (D(2024, 3, 1), D(2024, 12, 31), D(2026, 5, 1), [2024]),
            (D(2026, 7, 1), None, D(2026, 6, 30), []),  # not started yet
        ],
    )
    def test_years_between(self, start, end, today, years):
        assert rules.years_between(start, end, today) == years

    def test_yearly_results_mark_only_the_current_year_as_in_progress(self):
        results = rules.yearly_results({2025: 1, 2026: 1}, [2025, 2026], 2, current_year=2026)
        assert [(r.year, r.achieved, r.met, r.state) for r in results] == [
            (2025, 1, False, "unmet"),
            (2026, 1, False, "pending"),
        ]
        assert results[1].shortfall == 1

    def test_a_met_current_year_is_met(self):
        (result,) = rules.yearly_results({2026: 2}, [2026], 2, current_year=2026)
        assert result.state == "met" and result.shortfall == 0

    def test_a_year_without_records_counts_zero(self):
        (result,) = rules.yearly_results({}, [2025], Decimal("500"))
        assert result.achieved == 0 and result.state == "unmet" and result.shortfall == Decimal("500")


class TestPlanLength:
    """002 二: 结对帮扶的时间原则上不少于2年 — counting the first and the last day."""

    @pytest.mark.parametrize(
        ("start", "end", "short"),
        [
            (D(2025, 1, 1), D(2026, 12, 31), False),  # exactly two years
            (D(2025, 1, 1), D(2026, 12, 30), True),  # one day short
            (D(2025, 1, 1), D(2027, 1, 1), False),
            (D(2025, 3, 15), D(2027, 3, 14), False),
            (D(2025, 3, 15), D(2027, 3, 13), True),
            (D(2024, 2, 29), D(2026, 2, 28), False),  # a leap day start: full on 1 March 2026
            (D(2024, 2, 29), D(2026, 2, 27), True),
            (D(2025, 1, 1), None, False),  # 长期联系
        ],
    )
    def test_two_years(self, start, end, short):
        assert rules.plan_is_short(start, end, Decimal("2.00")) is short

    def test_the_quota_decides_not_a_constant(self):
        assert rules.plan_is_short(D(2025, 1, 1), D(2026, 12, 31), 3) is True
        assert rules.plan_is_short(D(2025, 1, 1), D(2026, 6, 30), Decimal("1.5")) is False
        assert rules.plan_is_short(D(2025, 1, 1), D(2026, 6, 29), Decimal("1.5")) is True

    @pytest.mark.parametrize(
        ("day", "months", "expected"),
        [
            (D(2025, 1, 31), 1, D(2025, 3, 1)),
            (D(2024, 1, 31), 1, D(2024, 2, 29) + datetime.timedelta(days=1)),
            (D(2025, 12, 15), 1, D(2026, 1, 15)),
            (D(2024, 2, 29), 12, D(2025, 3, 1)),
            (D(2025, 11, 30), 3, D(2026, 2, 28) + datetime.timedelta(days=1)),
        ],
    )
    def test_anniversary(self, day, months, expected):
        assert rules.anniversary(day, months) == expected


class TestCoverage:
    def test_share_is_an_exact_fraction(self):
        coverage = rules.Coverage(covered=2, total=3)
        assert coverage.share == Fraction(2, 3) and not coverage.complete and coverage.uncovered == 1
        assert coverage.percent == "66.7%"  # rounded, not truncated

    def test_complete_only_at_100_percent(self):
        assert rules.Coverage(277, 277).complete
        assert not rules.Coverage(276, 277).complete
        assert rules.Coverage(9999, 10000).percent == "99.9%"
        assert rules.Coverage(277, 277).percent == "100.0%"

    def test_nothing_to_cover(self):
        coverage = rules.Coverage(0, 0)
        assert coverage.share is None and coverage.complete and coverage.percent == "—"

    @pytest.mark.parametrize(("covered", "total"), [(3, 2), (-1, 2), (0, -1)])
    def test_impossible_counts_are_refused(self, covered, total):
        with pytest.raises(ValueError, match="不合理"):
            rules.Coverage(covered, total)


class TestLiaisonPointFrequency:
    """003: 一般平均每月不少于1次 — the month in progress does not count."""

    @pytest.mark.parametrize(
        ("year", "today", "since", "until", "months"),
        [
            (2025, D(2026, 3, 10), None, None, 12),
            (2026, D(2026, 3, 10), None, None, 2),
            (2026, D(2026, 1, 5), None, None, 0),
            (2026, D(2026, 1, 1), None, None, 0),
            (2026, D(2026, 12, 31), None, None, 11),
            (2025, D(2026, 3, 10), D(2025, 7, 20), None, 6),
            (2025, D(2026, 3, 10), D(2025, 7, 20), D(2025, 9, 1), 3),
            (2024, D(2026, 3, 10), D(2025, 7, 20), None, 0),
            (2027, D(2026, 3, 10), None, None, 0),
            (2026, D(2026, 3, 10), None, D(2025, 12, 31), 0),
        ],
    )
    def test_months_due(self, year, today, since, until, months):
        assert rules.months_due(year, today, since=since, until=until) == months

    @pytest.mark.parametrize(
        ("contacts", "months", "met"), [(12, 12, True), (11, 12, False), (13, 12, True), (0, 0, None)]
    )
    def test_average(self, contacts, months, met):
        assert rules.average_frequency_met(contacts, months, Decimal("1.00")) is met

    def test_contacts_by_month_keeps_every_month(self):
        counts = rules.contacts_by_month(
            [D(2026, 1, 31), D(2026, 2, 1), D(2025, 12, 31), D(2026, 2, 28)], 2026
        )
        assert counts[1] == 1 and counts[2] == 2 and counts[12] == 0 and len(counts) == 12


class TestPostsAndPoints:
    def test_post_of_own_or_higher_organisation(self):
        assert rules.post_within("0001000100020001", "00010001")
        assert rules.post_within("00010001", "00010001")
        assert not rules.post_within("00010001", "0001000100020001")
        assert not rules.post_within("0001000100030001", "000100010002")

    @pytest.mark.parametrize(("active", "full"), [(2, False), (3, True), (4, True)])
    def test_at_most_three_points(self, active, full):
        assert rules.liaison_points_full(active) is full
