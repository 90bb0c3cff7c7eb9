"""Sessions and receptions through the services: the bad-input list, the generator, the 1234 intake."""

from __future__ import annotations

import datetime

import pytest
from auditlog.registry import auditlog
from django.core.exceptions import ValidationError

from feedback import services
from feedback.models import (
    Channel,
    Handling,
    Opinion,
    Reception,
    ReceptionSession,
    SessionKind,
    SessionStatus,
)
from feedback.services.receptions import CATEGORY_REQUIRED
from feedback.tests.factories import at
from feedback.tests.reception_factories import committee, published, reception, session
from liaison.access import privacy
from members.models import Position

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def village_committee(tree):
    return committee(tree["village_a"], ["李书记", "王副书记", "赵委员", "钱委员"], delegates=("孙代表",))


@pytest.fixture
def township_committee(tree):
    return committee(tree["township"], ["周书记", "吴副书记", "郑委员"])


def test_models_are_audited_and_the_visitor_phone_is_personal():
    assert auditlog.contains(ReceptionSession) and auditlog.contains(Reception)
    assert privacy.PERSONAL_FIELDS["feedback.reception"] == {"visitor_phone": privacy.Kind.PHONE}
    assert "feedback.receptionsession.phone" in privacy.NOT_PERSONAL


class TestSessionBadInput:
    def test_a_session_outside_the_users_scope_is_refused(self, clerk_b, village_committee, tree):
        with pytest.raises(ValidationError) as caught:
            session(clerk_b, village_committee[0], day=D(2026, 3, 9), organisation=tree["village_a"])
        assert caught.value.message_dict["organisation"] == ["所选党组织不在您的管辖范围内。"]
        assert not ReceptionSession.objects.exists()

    def test_a_receiver_without_a_post_in_the_organisation_is_refused(self, clerk_a, township_committee):
        with pytest.raises(ValidationError) as caught:
            session(clerk_a, township_committee[0], day=D(2026, 3, 9))
        assert "没有书记任职" in caught.value.message_dict["receiver"][0]

    def test_a_post_that_has_ended_does_not_count(self, clerk_a, village_committee):
        Position.objects.filter(member=village_committee[2]).update(end_date=D(2026, 2, 28))
        with pytest.raises(ValidationError, match="没有班子成员"):
            session(clerk_a, village_committee[2], day=D(2026, 3, 9), kind=SessionKind.MEMBER)
        session(
            clerk_a, village_committee[2], day=D(2026, 2, 23), kind=SessionKind.MEMBER, now_day=D(2026, 2, 1)
        )

    def test_a_delegate_session_needs_a_delegate(self, clerk_a, village_committee):
        with pytest.raises(ValidationError, match="没有党代会代表任职"):
            session(clerk_a, village_committee[0], day=D(2026, 3, 9), kind=SessionKind.DELEGATE)
        made = session(clerk_a, village_committee[4], day=D(2026, 3, 9), kind=SessionKind.DELEGATE)
        assert made.kind == SessionKind.DELEGATE

    def test_overlapping_sessions_for_the_same_receiver_are_refused(self, clerk_a, village_committee, tree):
        session(clerk_a, village_committee[0], day=D(2026, 3, 9))
        with pytest.raises(ValidationError) as caught:
            session(
                clerk_a,
                village_committee[0],
                day=D(2026, 3, 9),
                half_day="pm",
                start_time=datetime.time(11, 0),
                end_time=datetime.time(14, 0),
            )
        assert "时间重叠" in caught.value.message_dict["start_time"][0]
        # the same half-day is also held by the database
        with pytest.raises(ValidationError, match="已安排了接待"):
            session(
                clerk_a,
                village_committee[0],
                day=D(2026, 3, 9),
                start_time=datetime.time(13, 0),
                end_time=datetime.time(15, 0),
            )
        assert ReceptionSession.objects.count() == 1
        # another receiver at the same time is fine (two rooms)
        session(clerk_a, village_committee[1], day=D(2026, 3, 9), kind=SessionKind.MEMBER)

    def test_an_invalid_public_phone_is_refused(self, clerk_a, village_committee):
        with pytest.raises(ValidationError) as caught:
            session(clerk_a, village_committee[0], day=D(2026, 3, 9), phone="12345")
        assert "联系电话" in str(caught.value.message_dict["phone"])

    def test_publishing_a_session_in_the_past_is_refused_and_nothing_is_published(
        self, clerk_a, village_committee
    ):
        early = session(clerk_a, village_committee[0], day=D(2026, 3, 9), now_day=D(2026, 3, 1))
        later = session(clerk_a, village_committee[0], day=D(2026, 3, 16), now_day=D(2026, 3, 1))
        with pytest.raises(ValidationError) as caught:
            services.session_publish(
                user=clerk_a, sessions=ReceptionSession.objects.all(), now=at(D(2026, 3, 10))
            )
        assert caught.value.messages == [
            "以下接待日已经过去，不能再公布：2026-03-09。请修改日期或删除这些拟定的接待日。"
        ]
        assert set(ReceptionSession.objects.values_list("status", flat=True)) == {"draft"}
        assert (
            services.session_publish(
                user=clerk_a, sessions=ReceptionSession.objects.filter(pk=later.pk), now=at(D(2026, 3, 10))
            )
            == 1
        )
        early.refresh_from_db()
        assert early.status == "draft"

    def test_a_published_session_is_held_or_missed_never_deleted(self, clerk_a, village_committee):
        made = published(clerk_a, village_committee[0], day=D(2026, 3, 9))
        with pytest.raises(ValidationError, match="不能删除"):
            services.session_delete(user=clerk_a, session=made)
        with pytest.raises(ValidationError, match="还没到"):
            services.session_record_outcome(user=clerk_a, session=made, held=True, now=at(D(2026, 3, 8)))
        with pytest.raises(ValidationError) as caught:
            services.session_record_outcome(user=clerk_a, session=made, held=False, now=at(D(2026, 3, 9)))
        assert caught.value.message_dict["outcome_note"] == ["请说明未按期接待的原因。"]
        services.session_record_outcome(
            user=clerk_a, session=made, held=False, note="书记参加防汛", now=at(D(2026, 3, 9))
        )
        made.refresh_from_db()
        assert made.status == SessionStatus.MISSED


class TestGenerate:
    def test_a_village_month_one_secretary_session_a_week_and_the_members_in_rotation(
        self, clerk_a, village_committee, tree
    ):
        tree["village_a"].phone = "023-66230001"
        tree["village_a"].save()
        result = services.session_generate(
            user=clerk_a,
            organisation=tree["village_a"],
            start=D(2026, 3, 1),
            end=D(2026, 3, 31),
            now=at(D(2026, 2, 20)),
        )
        sessions = list(ReceptionSession.objects.order_by("date", "half_day"))
        assert len(result.created) == len(sessions)
        secretary = [s for s in sessions if s.kind == SessionKind.SECRETARY]
        # weeks touching March: 2–8, 9–15, 16–22, 23–29, and 30–31 (the rest of that week is April's)
        assert [s.date for s in secretary] == [
            D(2026, 3, 2),
            D(2026, 3, 9),
            D(2026, 3, 16),
            D(2026, 3, 23),
            D(2026, 3, 30),
        ]
        assert all(s.receiver == village_committee[0] for s in secretary)
        assert all(s.status == SessionStatus.DRAFT and s.phone == "023-66230001" for s in sessions)
        assert {s.receiver_title for s in secretary} == {"桂花村党组织书记"}
        members = [s for s in sessions if s.kind == SessionKind.MEMBER]
        assert {s.receiver for s in members} == set(village_committee[1:4])
        assert sessions[0].place == "桂花村便民服务中心"

    def test_generating_again_replaces_the_drafts_and_keeps_what_was_published(
        self, clerk_a, village_committee, tree
    ):
        kwargs = dict(
            user=clerk_a,
            organisation=tree["village_a"],
            start=D(2026, 3, 1),
            end=D(2026, 3, 31),
            phone="023-66230001",
            now=at(D(2026, 2, 20)),
        )
        first = services.session_generate(**kwargs)
        kept = first.created[0]
        services.session_publish(
            user=clerk_a, sessions=ReceptionSession.objects.filter(pk=kept.pk), now=at(D(2026, 2, 20))
        )
        second = services.session_generate(**kwargs)
        assert second.replaced == len(first.created) - 1
        assert (
            ReceptionSession.objects.filter(
                receiver=kept.receiver, date=kept.date, half_day=kept.half_day
            ).count()
            == 1
        )
        assert any("已有接待安排" in s for s in second.skipped)

    def test_days_before_today_are_not_proposed(self, clerk_a, village_committee, tree):
        services.session_generate(
            user=clerk_a,
            organisation=tree["village_a"],
            start=D(2026, 3, 1),
            end=D(2026, 3, 31),
            phone="023-66230001",
            now=at(D(2026, 3, 17)),
        )
        assert ReceptionSession.objects.order_by("date").first().date >= D(2026, 3, 17)

    def test_market_days_at_the_market(self, township_admin, township_committee, tree):
        from feedback import reception_rules as rr

        services.session_generate(
            user=township_admin,
            organisation=tree["township"],
            start=D(2026, 1, 1),
            end=D(2026, 12, 31),
            pattern=rr.Pattern(market="147"),
            market_place="界石场镇农贸市场东门",
            phone="023-66230000",
            rotation=rr.ROTATE_EACH,
            now=at(D(2025, 12, 20)),
        )
        secretary = ReceptionSession.objects.filter(kind=SessionKind.SECRETARY).order_by("date")
        assert secretary.count() == 12
        assert all(rr.is_market_day(s.date, "147") and s.place_kind == "market" for s in secretary)
        assert {s.place for s in secretary} == {"界石场镇农贸市场东门"}

    def test_a_township_without_a_secretary_is_told_what_to_do(self, township_admin, tree):
        with pytest.raises(ValidationError, match="没有在任的书记"):
            services.session_generate(
                user=township_admin,
                organisation=tree["township"],
                start=D(2026, 1, 1),
                end=D(2026, 12, 31),
                phone="023-66230000",
                now=at(D(2025, 12, 20)),
            )

    def test_delegates_two_half_days_a_year_from_the_quota(self, clerk_a, village_committee, tree):
        services.session_generate(
            user=clerk_a,
            organisation=tree["village_a"],
            start=D(2026, 1, 1),
            end=D(2026, 12, 31),
            kind=SessionKind.DELEGATE,
            phone="023-66230001",
            now=at(D(2025, 12, 20)),
        )
        delegate = ReceptionSession.objects.filter(kind=SessionKind.DELEGATE)
        assert delegate.count() == 2
        assert {s.receiver for s in delegate} == {village_committee[4]}
        assert {s.place_kind for s in delegate} == {"delegate_studio"}


class TestReceptionIntake:
    def test_a_settled_reception_opens_no_opinion(self, clerk_a, village_committee):
        made = reception(clerk_a, village_committee[0], day=D(2026, 3, 9))
        assert made.opinion is None and not Opinion.objects.exists()

    def test_an_unsettled_reception_opens_its_opinion_in_the_same_save(self, clerk_a, village_committee):
        made = reception(
            clerk_a,
            village_committee[0],
            day=D(2026, 3, 9),
            handling=Handling.DEADLINE,
            category=1,
            responsible=clerk_a,
        )
        opinion = made.opinion
        assert opinion.channel == Channel.RECEPTION
        assert opinion.reception == made
        assert opinion.reporter_name == "王喆" and opinion.subject == "三组机耕道垮塌"
        assert (
            opinion.content
            == "事由：三组机耕道垮塌\n原因：连日降雨，机耕道垮塌约十米。\n请求：请求尽快修复，保证农机下田。"
        )
        assert opinion.due_date == D(2026, 3, 19)  # 10 days after 9 March

    def test_unsettled_without_a_category_saves_nothing(self, clerk_a, village_committee):
        with pytest.raises(ValidationError) as caught:
            reception(
                clerk_a, village_committee[0], day=D(2026, 3, 9), handling=Handling.REFER, responsible=clerk_a
            )
        assert caught.value.message_dict["category"] == [CATEGORY_REQUIRED]
        assert not Reception.objects.exists() and not Opinion.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"), [("visitor_age", 121), ("visitor_age", -1), ("visitor_phone", "1381234")]
    )
    def test_bad_visitor_data_is_refused(self, clerk_a, village_committee, field, value):
        with pytest.raises(ValidationError) as caught:
            reception(clerk_a, village_committee[0], day=D(2026, 3, 9), **{field: value})
        assert field in caught.value.message_dict
        assert not Reception.objects.exists()

    def test_ages_0_and_120_are_accepted(self, clerk_a, village_committee):
        reception(clerk_a, village_committee[0], day=D(2026, 3, 9), visitor_age=0)
        reception(clerk_a, village_committee[0], day=D(2026, 3, 9), visitor_age=120)
        assert Reception.objects.count() == 2

    def test_a_receiver_without_a_post_is_refused(self, clerk_a, township_committee):
        with pytest.raises(ValidationError, match="不能作为接待人"):
            reception(clerk_a, township_committee[0], day=D(2026, 3, 9))

    def test_a_reception_on_a_session_takes_its_date(self, clerk_a, village_committee):
        day = published(clerk_a, village_committee[0], day=D(2026, 3, 9))
        with pytest.raises(ValidationError, match="所选接待日的日期"):
            reception(clerk_a, village_committee[0], day=D(2026, 3, 10), session=day)
        made = reception(clerk_a, village_committee[0], day=D(2026, 3, 9), session=day)
        assert made.session == day

    def test_a_reception_with_an_opinion_cannot_become_settled(self, clerk_a, village_committee):
        made = reception(
            clerk_a,
            village_committee[0],
            day=D(2026, 3, 9),
            handling=Handling.DEADLINE,
            category=1,
            responsible=clerk_a,
        )
        with pytest.raises(ValidationError, match="已转为群众意见"):
            services.reception_update(
                user=clerk_a, reception=made, handling=Handling.ON_SITE, now=at(D(2026, 3, 10))
            )

    def test_turning_a_settled_reception_unsettled_opens_the_opinion_then(self, clerk_a, village_committee):
        made = reception(clerk_a, village_committee[0], day=D(2026, 3, 9))
        services.reception_update(
            user=clerk_a,
            reception=made,
            handling=Handling.REFER,
            category=2,
            responsible=clerk_a,
            now=at(D(2026, 3, 10)),
        )
        made.refresh_from_db()
        assert made.opinion.category == 2

    def test_publishing_is_on_the_audit_trail(self, clerk_a, village_committee):
        from auditlog.models import LogEntry

        made = published(clerk_a, village_committee[0], day=D(2026, 3, 9))
        entries = LogEntry.objects.get_for_object(made)
        assert any("status" in (e.changes or {}) for e in entries)


def test_many_outcomes_at_once_held_except_the_missed_with_reasons(clerk_a, village_committee):
    days = [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16), D(2026, 3, 23)]
    made = [published(clerk_a, village_committee[0], day=day) for day in days]
    ids = ReceptionSession.objects.filter(pk__in=[s.pk for s in made])
    with pytest.raises(ValidationError, match="原因"):
        services.session_record_outcomes(
            user=clerk_a, sessions=ids, missed={made[1].pk: " "}, now=at(D(2026, 3, 17))
        )
    assert set(ReceptionSession.objects.values_list("status", flat=True)) == {"published"}
    count = services.session_record_outcomes(
        user=clerk_a, sessions=ids, missed={made[1].pk: "防汛值班"}, now=at(D(2026, 3, 17))
    )
    assert count == 3  # 23 March has not come yet
    statuses = dict(ReceptionSession.objects.values_list("date", "status"))
    assert statuses == {days[0]: "held", days[1]: "missed", days[2]: "held", days[3]: "published"}
    assert ReceptionSession.objects.get(pk=made[1].pk).outcome_note == "防汛值班"
