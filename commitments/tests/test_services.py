"""The six steps through the services: what each allows, what it refuses (in Chinese), and that a
refused write saves nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commitments import services, states
from commitments.models import (
    Assessment,
    Commitment,
    CommitmentEvent,
    Completion,
    PersonalCommitment,
    Subject,
    Vote,
)
from commitments.rules import Grade, VoteResult
from commitments.services import assessments as assessment_messages
from commitments.services import drafting
from commitments.states import State
from commitments.tests.factories import YEAR, adopt, approve, draft, now, publish, published, tallies
from members.tests.factories import MemberFactory, branch


def messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def unchanged(commitment: Commitment) -> tuple:
    commitment.refresh_from_db()
    return (commitment.state, commitment.version, commitment.events.count(), commitment.votes.count())


@pytest.fixture
def item(clerk_a, tree):
    return draft(clerk_a, tree["village_a"])


class TestDraftAndVote:
    def test_draft_logs_the_first_step(self, item):
        assert item.state == State.DRAFT
        assert item.end_year == YEAR
        assert [e.kind for e in item.events.all()] == ["create"]

    def test_term_commitment_runs_three_years(self, clerk_a, tree):
        term = draft(clerk_a, tree["village_a"], scope="term", deadline=datetime.date(YEAR + 2, 6, 30))
        assert (term.year, term.end_year) == (YEAR, YEAR + 2)

    def test_areas_do_not_cross_between_the_two_committees(self, clerk_a, tree):
        with pytest.raises(ValidationError) as refused:
            draft(clerk_a, tree["village_a"], subject=Subject.PARTY, area="development")
        assert "不交叉" in messages(refused.value)
        assert not Commitment.objects.exists()

    def test_a_branch_commitment_needs_a_branch(self, clerk_a, tree):
        with pytest.raises(ValidationError) as refused:
            draft(clerk_a, tree["village_a"], subject=Subject.BRANCH)
        assert "请选择支部" in messages(refused.value)
        own_branch = branch(tree["village_a"], "桂花村第一党支部", "js-gh-1")
        assert draft(clerk_a, own_branch, subject=Subject.BRANCH).organisation == own_branch

    def test_out_of_scope_organisation_is_refused(self, clerk_a, tree):
        with pytest.raises(PermissionDenied):
            draft(clerk_a, tree["village_b"])

    def test_adopted_at_two_thirds(self, clerk_a, item):
        adopt(clerk_a, item, approve=2, reject=1, abstain=0, eligible=3)
        assert item.state == State.ADOPTED
        assert item.votes.get().result == VoteResult.ADOPTED
        event = item.events.last()
        assert (event.from_state, event.to_state) == (State.DRAFT, State.ADOPTED)
        assert "同意 66.7%" in event.note

    def test_sent_back_when_rejections_exceed_a_third_then_redrafted_and_voted_again(self, clerk_a, item):
        adopt(clerk_a, item, approve=5, reject=4, abstain=0, eligible=9)
        assert item.state == State.SENT_BACK
        with pytest.raises(ValidationError) as refused:
            adopt(clerk_a, item)
        assert messages(refused.value) == states.SENT_BACK_FIRST
        services.commitment_update(user=clerk_a, commitment=item, target="帮扶困难户 30 户", now=now(1, 22))
        item.refresh_from_db()
        assert item.state == State.DRAFT
        adopt(clerk_a, item, on=datetime.date(YEAR, 1, 28))
        assert item.state == State.ADOPTED
        assert [v.result for v in item.votes.all()] == [VoteResult.SENT_BACK, VoteResult.ADOPTED]

    @pytest.mark.parametrize(
        ("counts", "field", "text"),
        [
            ({"approve": -1, "reject": 0, "abstain": 0, "eligible": 10}, "approve", "负数"),
            ({"approve": 8, "reject": 3, "abstain": 0, "eligible": 10}, "eligible", "超过应参加表决人数"),
            ({"approve": 0, "reject": 0, "abstain": 0, "eligible": 10}, "approve", "没有任何表决票"),
            ({"approve": 3, "reject": 0, "abstain": 0, "eligible": 0}, "eligible", "应参加表决人数"),
        ],
    )
    def test_impossible_counts_are_refused_and_nothing_is_saved(self, clerk_a, item, counts, field, text):
        before = unchanged(item)
        with pytest.raises(ValidationError) as refused:
            services.vote_record(
                user=clerk_a, commitment=item, held_on=datetime.date(YEAR, 1, 20), body="members", **counts
            )
        assert text in " ".join(refused.value.message_dict[field])
        assert unchanged(item) == before

    def test_comments_only_while_drafting(self, clerk_a, item):
        services.comment_add(
            user=clerk_a,
            commitment=item,
            received_on=datetime.date(YEAR, 1, 10),
            source="residents",
            content="希望先修三组的路",
            now=now(1, 10),
        )
        adopt(clerk_a, item)
        with pytest.raises(ValidationError) as refused:
            services.comment_add(
                user=clerk_a,
                commitment=item,
                received_on=datetime.date(YEAR, 1, 21),
                source="members",
                content="再加一条",
                now=now(1, 21),
            )
        assert "修改稿" in messages(refused.value)
        assert item.comments.count() == 1


class TestTownshipAndPublication:
    def test_publishing_before_adoption_is_refused(self, clerk_a, item):
        before = unchanged(item)
        with pytest.raises(ValidationError) as refused:
            publish(clerk_a, item)
        assert messages(refused.value) == states.NOT_ADOPTED_YET
        assert unchanged(item) == before and item.published_on is None

    def test_publishing_before_the_townships_approval_is_refused(self, clerk_a, item):
        adopt(clerk_a, item)
        with pytest.raises(ValidationError) as refused:
            publish(clerk_a, item)
        assert messages(refused.value) == states.NOT_APPROVED_YET

    def test_the_village_cannot_approve_its_own_commitment(self, clerk_a, village_secretary, item):
        adopt(clerk_a, item)
        for user in (clerk_a, village_secretary):
            with pytest.raises(ValidationError) as refused:
                approve(user, item)
            assert "镇街" in messages(refused.value)
        assert item.state == State.ADOPTED

    def test_township_approves_then_village_publishes(self, clerk_a, township_secretary, item):
        publish(clerk_a, approve(township_secretary, adopt(clerk_a, item)))
        assert item.state == State.PUBLISHED
        assert item.approved_by == township_secretary
        assert item.published_on == datetime.date(YEAR, 2, 1)
        assert [e.kind for e in item.events.all()] == ["create", "vote", "approve", "publish"]

    def test_township_sends_back_with_a_reason(self, clerk_a, township_secretary, item):
        adopt(clerk_a, item)
        with pytest.raises(ValidationError):
            services.commitment_refuse(user=township_secretary, commitment=item, reason=" ")
        services.commitment_refuse(user=township_secretary, commitment=item, reason="目标不够具体")
        item.refresh_from_db()
        assert item.state == State.SENT_BACK
        assert item.events.last().note == "目标不够具体"

    def test_editing_an_adopted_commitment_is_refused(self, clerk_a, township_secretary, item):
        adopt(clerk_a, item)
        before = unchanged(item)
        with pytest.raises(ValidationError) as refused:
            services.commitment_update(user=clerk_a, commitment=item, target="帮扶困难户 5 户")
        assert messages(refused.value) == states.ADOPTED_IS_FIXED
        assert unchanged(item) == before
        assert item.target == "帮扶困难户 20 户"

    def test_a_revision_goes_through_the_vote_again_and_replaces_the_original(
        self, clerk_a, township_secretary, item
    ):
        published_item = publish(clerk_a, approve(township_secretary, adopt(clerk_a, item)))
        revision = services.commitment_revise(user=clerk_a, commitment=published_item, now=now(3, 1))
        assert revision.state == State.DRAFT and revision.revision_of == published_item
        with pytest.raises(ValidationError, match="已有修改稿"):
            services.commitment_revise(user=clerk_a, commitment=published_item)
        services.commitment_update(
            user=clerk_a, commitment=revision, target="帮扶困难户 25 户", now=now(3, 2)
        )
        revision = adopt(clerk_a, revision, on=datetime.date(YEAR, 3, 10))
        revision = approve(township_secretary, revision, on=datetime.date(YEAR, 3, 12))
        published_item.refresh_from_db()
        assert published_item.state == State.PUBLISHED  # the original stands until the revision is public
        publish(clerk_a, revision, on=datetime.date(YEAR, 3, 15))
        published_item.refresh_from_db()
        assert published_item.state == State.SUPERSEDED
        assert published_item.target == "帮扶困难户 20 户"


class TestProgressAndInspection:
    def test_progress_needs_a_published_commitment(self, clerk_a, item):
        with pytest.raises(ValidationError) as refused:
            services.progress_add(user=clerk_a, commitment=item, date=datetime.date(YEAR, 3, 1), content="x")
        assert "尚未公开" in messages(refused.value)
        assert not item.progress_notes.exists()

    def test_inspection_by_the_township_only_of_published_items(
        self, clerk_a, township_secretary, tree, item
    ):
        with pytest.raises(ValidationError, match="尚无已公开"):
            services.inspection_add(
                user=township_secretary,
                organisation=tree["village_a"],
                date=datetime.date(YEAR, 5, 1),
                inspectors="镇组织办 王敏",
                findings="进度正常",
                now=now(5, 1),
            )
        done = published(clerk_a, township_secretary, tree["village_a"])
        with pytest.raises(ValidationError, match="镇街"):
            services.inspection_add(
                user=clerk_a,
                organisation=tree["village_a"],
                date=datetime.date(YEAR, 5, 1),
                inspectors="自查",
                findings="进度正常",
                now=now(5, 1),
            )
        with pytest.raises(ValidationError, match="尚未公开"):
            services.inspection_add(
                user=township_secretary,
                organisation=tree["village_a"],
                date=datetime.date(YEAR, 5, 1),
                inspectors="镇组织办 王敏",
                findings="进度正常",
                commitments=[item],
                now=now(5, 1),
            )
        inspection = services.inspection_add(
            user=township_secretary,
            organisation=tree["village_a"],
            date=datetime.date(YEAR, 5, 1),
            inspectors="镇组织办 王敏",
            findings="进度正常",
            help_given="协调交通办解决水泥",
            commitments=[done],
            now=now(5, 1),
        )
        assert list(inspection.commitments.all()) == [done]
        assert done.events.last().kind == "inspect"


def _assess(user, organisation, counts=(80, 15, 5), year=YEAR):
    return services.assessment_record(
        user=user,
        organisation=organisation,
        year=year,
        report_on=datetime.date(year, 12, 20),
        tallies=tallies(*counts),
        now=now(12, 20, year),
    )


def _final(user, assessment, grade, **kwargs):
    services.assessment_field_check(
        user=user,
        assessment=assessment,
        field_check_on=datetime.date(assessment.year, 12, 22),
        field_check_team="镇干部 2 名、党员代表 1 名、村民代表 2 名",
        field_check_findings="对照承诺逐项查看",
        completions={c.pk: (Completion.DONE, "") for c in Commitment.objects.filter(state=State.PUBLISHED)},
        now=now(12, 22, assessment.year),
    )
    return services.assessment_finalise(
        user=user,
        assessment=assessment,
        final_grade=grade,
        finalised_on=datetime.date(assessment.year, 12, 28),
        now=now(12, 28, assessment.year),
        **kwargs,
    )


class TestAssessment:
    def test_assessing_before_publication_is_refused(self, clerk_a, township_secretary, tree, item):
        approve(township_secretary, adopt(clerk_a, item))
        with pytest.raises(ValidationError) as refused:
            _assess(township_secretary, tree["village_a"])
        assert "尚未公开" in messages(refused.value)
        assert not Assessment.objects.exists()

    def test_tallies_totalling_zero_are_refused(self, clerk_a, township_secretary, tree):
        published(clerk_a, township_secretary, tree["village_a"])
        with pytest.raises(ValidationError) as refused:
            _assess(township_secretary, tree["village_a"], counts=(0, 0, 0))
        assert messages(refused.value) == assessment_messages.TALLIES_EMPTY
        assert not Assessment.objects.exists()

    def test_negative_tallies_are_refused(self, clerk_a, township_secretary, tree):
        published(clerk_a, township_secretary, tree["village_a"])
        with pytest.raises(ValidationError, match="负数"):
            _assess(township_secretary, tree["village_a"], counts=(5, -1, 0))

    def test_the_village_does_not_grade_itself(self, clerk_a, tree, township_secretary):
        published(clerk_a, township_secretary, tree["village_a"])
        with pytest.raises(ValidationError, match="镇街"):
            _assess(clerk_a, tree["village_a"])

    def test_measured_grade_field_check_final_grade_and_closing(self, clerk_a, township_secretary, tree):
        item = published(clerk_a, township_secretary, tree["village_a"])
        term = published(
            clerk_a,
            township_secretary,
            tree["village_a"],
            scope="term",
            deadline=datetime.date(YEAR + 2, 6, 1),
        )
        assessment = _assess(township_secretary, tree["village_a"], counts=(60, 30, 10))
        assert assessment.measured_grade == Grade.BASIC
        assert assessment.total == 100
        with pytest.raises(ValidationError, match="实地考察"):
            services.assessment_finalise(
                user=township_secretary,
                assessment=assessment,
                final_grade=Grade.BASIC,
                finalised_on=datetime.date(YEAR, 12, 28),
                now=now(12, 28),
            )
        assessment = _final(township_secretary, assessment, Grade.BASIC)
        assert assessment.final_grade == Grade.BASIC
        item.refresh_from_db()
        term.refresh_from_db()
        assert item.state == State.ASSESSED and item.completion == Completion.DONE
        assert term.state == State.PUBLISHED  # the term runs on to its third year

    def test_a_final_grade_unlike_the_measured_one_needs_a_reason(self, clerk_a, township_secretary, tree):
        published(clerk_a, township_secretary, tree["village_a"])
        assessment = _assess(township_secretary, tree["village_a"], counts=(95, 5, 0))
        with pytest.raises(ValidationError) as refused:
            _final(township_secretary, assessment, Grade.PASS)
        assert "理由" in " ".join(refused.value.message_dict["final_note"])
        assessment = _final(
            township_secretary,
            Assessment.objects.get(),
            Grade.PASS,
            final_note="实地考察发现机耕道只完成一半",
        )
        assert assessment.final_grade == Grade.PASS

    def test_fail_needs_a_rectification_deadline(self, clerk_a, township_secretary, tree):
        published(clerk_a, township_secretary, tree["village_a"])
        assessment = _assess(township_secretary, tree["village_a"], counts=(50, 10, 40))
        assert assessment.measured_grade == Grade.FAIL
        with pytest.raises(ValidationError) as refused:
            _final(township_secretary, assessment, Grade.FAIL)
        assert "整改期限" in " ".join(refused.value.message_dict["rectification_deadline"])
        assert Assessment.objects.get().final_grade == ""
        assessment = _final(
            township_secretary,
            Assessment.objects.get(),
            Grade.FAIL,
            rectification_deadline=datetime.date(YEAR + 1, 3, 31),
        )
        assert assessment.rectification_deadline == datetime.date(YEAR + 1, 3, 31)

    def test_publishing_the_result_needs_the_final_grade(self, clerk_a, township_secretary, tree):
        published(clerk_a, township_secretary, tree["village_a"])
        assessment = _assess(township_secretary, tree["village_a"])
        with pytest.raises(ValidationError, match="尚未形成综合考评结果"):
            services.assessment_publish(
                user=township_secretary, assessment=assessment, published_on=datetime.date(YEAR, 12, 30)
            )
        _final(township_secretary, assessment, Grade.PASS)
        assessment = services.assessment_publish(
            user=township_secretary,
            assessment=assessment,
            published_on=datetime.date(YEAR, 12, 30),
            now=now(12, 30),
        )
        assert assessment.is_published
        with pytest.raises(ValidationError, match="不能再修改"):
            _assess(township_secretary, tree["village_a"])


class TestPersonal:
    def test_one_or_two_a_year(self, clerk_a, tree):
        member = MemberFactory(organisation=branch(tree["village_a"], "桂花村第一党支部", "js-gh-1"))
        for n in (1, 2):
            services.personal_add(
                user=clerk_a,
                member=member,
                year=YEAR,
                content=f"为三组办实事{n}",
                deadline=datetime.date(YEAR, 10, 1),
                now=now(2, 1),
            )
        with pytest.raises(ValidationError, match="已承诺两件"):
            services.personal_add(
                user=clerk_a,
                member=member,
                year=YEAR,
                content="第三件",
                deadline=datetime.date(YEAR, 10, 1),
                now=now(2, 1),
            )
        assert PersonalCommitment.objects.filter(member=member).count() == 2

    def test_review_at_the_democratic_appraisal(self, clerk_a, tree):
        member = MemberFactory(organisation=tree["village_a"])
        pc = services.personal_add(
            user=clerk_a,
            member=member,
            year=YEAR,
            content="帮五保户修缮房屋",
            deadline=datetime.date(YEAR, 9, 30),
            now=now(2, 1),
        )
        pc = services.personal_review(
            user=clerk_a,
            commitment=pc,
            review_result="partly",
            reviewed_on=datetime.date(YEAR, 11, 30),
            review_comment="屋顶已修，院坝未硬化",
            now=now(11, 30),
        )
        assert pc.get_review_result_display() == "部分完成"
        with pytest.raises(ValidationError, match="民主评议"):
            services.personal_update(user=clerk_a, commitment=pc, content="改")


def test_vote_counts_refused_by_the_database_too(clerk_a, item):
    """The DB constraints stand behind the service: a row with more votes than voters never saves."""
    vote = Vote(
        commitment=item,
        held_on=datetime.date(YEAR, 1, 20),
        body="members",
        eligible=5,
        approve=6,
        reject=0,
        abstain=0,
        result=VoteResult.ADOPTED,
    )
    with pytest.raises(ValidationError, match="超过应参加表决人数"):
        vote.full_clean()
    assert drafting.VOTE_EMPTY.startswith("没有任何表决票")
    assert CommitmentEvent.objects.filter(commitment=item).count() == 1
