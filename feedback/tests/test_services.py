"""Writes: numbering, the due date on the record, the life of an opinion, refusals, nothing half-saved."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from feedback import services
from feedback.models import Assignment, EventKind, Extension, Opinion, Urge
from feedback.services import handling as handling_services
from feedback.services import opinions as opinion_services
from feedback.states import CLOSED_READ_ONLY, State
from feedback.tests.conftest import MARCH_3
from feedback.tests.factories import answer, at, feed_back, refreshed, register
from liaison.access.scoping import UNIT_OUT_OF_SCOPE
from liaison.models import Sequence, WorkCalendarYear
from liaison.workcal import parse_days, save_year

D = datetime.date
pytestmark = pytest.mark.django_db


def kinds(opinion) -> list[str]:
    return list(opinion.events.order_by("at", "id").values_list("kind", flat=True))


class TestRegister:
    def test_numbers_per_organisation_and_year_without_gaps(self, clerk_a, clerk_b):
        first, second = register(clerk_a, received_on=MARCH_3), register(clerk_a, received_on=MARCH_3)
        other_village = register(clerk_b, received_on=MARCH_3)
        last_year = register(clerk_a, received_on=D(2025, 12, 30))
        assert (first.number, second.number, other_village.number, last_year.number) == (1, 2, 1, 1)
        assert (first.year, last_year.year) == (2026, 2025)
        assert first.number_display == "2026年第1号"

    def test_due_date_and_history_on_the_record(self, clerk_a):
        opinion = register(clerk_a, received_on=MARCH_3, category=2)
        assert (opinion.original_due_date, opinion.due_date) == (D(2026, 3, 23), D(2026, 3, 23))
        assert opinion.due_soon_from == D(2026, 3, 17)  # 20 days: 6 days before
        assert opinion.state == State.REGISTERED and opinion.version == 1
        event = opinion.events.get()
        assert event.kind == EventKind.CREATE and event.new_due_date == D(2026, 3, 23)

    def test_refused_input_takes_no_number(self, clerk_a):
        with pytest.raises(ValidationError) as caught:
            register(clerk_a, received_on=MARCH_3, reporter_phone="12345")
        assert "reporter_phone" in caught.value.error_dict
        assert not Opinion.objects.exists()
        assert register(clerk_a, received_on=MARCH_3).number == 1

    def test_future_receipt_refused(self, clerk_a):
        tomorrow = datetime.date.today() + datetime.timedelta(days=2)
        with pytest.raises(ValidationError) as caught:
            register(clerk_a, received_on=tomorrow, now=at(datetime.date.today()))
        assert caught.value.error_dict["received_on"][0].messages == ["日期不能晚于今天。"]

    def test_organisation_outside_scope_refused(self, clerk_a, tree):
        with pytest.raises(ValidationError) as caught:
            register(clerk_a, tree["village_b"], received_on=MARCH_3)
        assert "organisation" in caught.value.error_dict and not Opinion.objects.exists()

    def test_person_outside_scope_refused(self, clerk_a, clerk_b):
        with pytest.raises(ValidationError) as caught:
            register(clerk_a, received_on=MARCH_3, handler=clerk_b)
        assert caught.value.error_dict["handler"][0].messages == ["所选人员不在您的管辖范围内。"]

    def test_missing_year_makes_a_provisional_date_that_is_recomputed_when_entered(
        self, clerk_a, django_capture_on_commit_callbacks
    ):
        days_2026 = list(
            WorkCalendarYear.objects.get(year=2026).days.values_list("date", "is_workday", "name")
        )
        WorkCalendarYear.objects.filter(year=2026).delete()
        opinion = register(clerk_a, received_on=D(2026, 9, 21))  # lands on 1 October
        assert opinion.due_is_provisional and opinion.due_date == D(2026, 10, 1)  # ordinary Thursday, flagged
        assert "暂定" in opinion.events.get().note
        text = "\n".join(f"{d.isoformat()} {'班' if w else '休'} {n}" for d, w, n in days_2026)
        with django_capture_on_commit_callbacks(execute=True):  # on commit, the signal recomputes
            save_year(
                year=2026,
                source="国务院办公厅关于2026年部分节假日安排的通知",
                notes="",
                entries=parse_days(text, year=2026),
            )
        opinion = refreshed(opinion)
        assert not opinion.due_date_provisional and opinion.due_date == D(2026, 10, 8)
        recompute = opinion.events.get(kind=EventKind.RECOMPUTE)
        assert (recompute.old_due_date, recompute.new_due_date) == (D(2026, 10, 1), D(2026, 10, 8))

    def test_workdays_mode_from_the_setting(self, clerk_a, settings):
        settings.LIAISON_DEADLINE_CALENDAR = "workdays"
        opinion = register(clerk_a, received_on=D(2026, 3, 6))
        assert opinion.due_date == D(2026, 3, 20) and opinion.deadline_mode == "workdays"


class TestEdit:
    def test_category_change_recomputes_and_logs_both_dates(self, clerk_a, opinion_a):
        opinion = services.opinion_update(user=clerk_a, opinion=opinion_a.pk, version=1, category=4)
        assert opinion.due_date == D(2026, 4, 13) and opinion.version == 2  # 12 April is a Sunday
        edit = opinion.events.get(kind=EventKind.EDIT)
        assert (edit.old_due_date, edit.new_due_date) == (D(2026, 3, 13), D(2026, 4, 13))
        assert [
            "类别",
            "一类：本级职责范围内（10天）",
            "四类：多个单位协调，牵头办结（40天）",
        ] in edit.changes

    def test_stale_version_is_refused_and_nothing_changes(self, clerk_a, opinion_a):
        services.opinion_update(user=clerk_a, opinion=opinion_a.pk, version=1, subject="院坝路灯不亮")
        with pytest.raises(services.StaleOpinion) as caught:
            services.opinion_update(user=clerk_a, opinion=opinion_a.pk, version=1, subject="别的事由")
        assert "已被刘晓燕于" in caught.value.message and caught.value.opinion.version == 2
        assert refreshed(opinion_a).subject == "院坝路灯不亮"

    def test_year_of_receipt_is_fixed(self, clerk_a, opinion_a):
        with pytest.raises(ValidationError) as caught:
            services.opinion_update(
                user=clerk_a, opinion=opinion_a.pk, version=1, received_on=D(2025, 12, 30)
            )
        assert caught.value.error_dict["received_on"][0].messages == [opinion_services.YEAR_FIXED]

    def test_unchanged_save_logs_nothing(self, clerk_a, opinion_a):
        services.opinion_update(user=clerk_a, opinion=opinion_a.pk, version=1, subject=opinion_a.subject)
        assert refreshed(opinion_a).version == 1 and kinds(opinion_a) == ["create"]

    def test_only_the_owning_side_edits(self, handler_a, clerk_a, opinion_a):
        with pytest.raises(PermissionDenied):
            services.opinion_update(user=handler_a, opinion=opinion_a.pk, version=1, subject="x")


class TestLifecycle:
    def test_assign_receive_result_feedback_close_reopen(self, clerk_a, handler_a, branch_a, opinion_a):
        assignment = services.assignment_issue(
            user=clerk_a,
            opinion=opinion_a,
            unit=branch_a,
            due_date=D(2026, 3, 12),
            contact_name="刘晓燕",
            contact_phone="13983621457",
            issued_on=D(2026, 3, 4),
            now=at(D(2026, 3, 4)),
        )
        assert (assignment.year, assignment.number, assignment.issuing_organisation) == (
            2026,
            1,
            clerk_a.organisation,
        )
        assert refreshed(opinion_a).state == State.ASSIGNED
        services.assignment_receive(
            user=handler_a,
            assignment=assignment,
            received_by="张经办",
            received_on=D(2026, 3, 4),
            now=at(D(2026, 3, 4), 15),
        )
        assert refreshed(opinion_a).state == State.IN_PROGRESS
        opinion = answer(handler_a, opinion_a, on=D(2026, 3, 10))
        assert opinion.state == State.ANSWERED
        with pytest.raises(ValidationError, match="尚未记录反馈"):
            services.opinion_close(user=clerk_a, opinion=opinion, version=opinion.version)
        opinion = feed_back(clerk_a, opinion, on=D(2026, 3, 11))
        assert opinion.state == State.CLOSED and opinion.closed_by == clerk_a
        assert opinion.deadline_status(D(2026, 12, 1)) == "on_time"
        with pytest.raises(ValidationError, match=CLOSED_READ_ONLY):
            services.opinion_update(
                user=clerk_a, opinion=opinion.pk, version=opinion.version, subject="改一下"
            )
        with pytest.raises(ValidationError) as caught:
            services.opinion_reopen(user=clerk_a, opinion=opinion.pk, version=opinion.version, reason="  ")
        assert "reason" in caught.value.error_dict
        services.opinion_reopen(
            user=clerk_a, opinion=opinion.pk, version=opinion.version, reason="签收人姓名登记错误"
        )
        opinion = refreshed(opinion)
        assert opinion.state == State.ANSWERED and opinion.closed_at is None
        assert kinds(opinion) == ["create", "assign", "receive", "result", "feedback", "close", "reopen"]
        assert opinion.events.get(kind=EventKind.REOPEN).note == "签收人姓名登记错误"

    def test_result_needs_assignment_or_start(self, clerk_a, opinion_a):
        with pytest.raises(ValidationError, match="请先交办或点“开始办理”"):
            services.opinion_record_result(
                user=clerk_a, opinion=opinion_a, version=1, result="已办", result_on=D(2026, 3, 5)
            )

    @pytest.mark.parametrize(
        ("field", "day", "message"),
        [("result_on", D(2026, 3, 2), "办结时间不能早于反映时间（2026-03-03）。")],
    )
    def test_result_before_receipt_refused(self, clerk_a, opinion_a, field, day, message):
        services.opinion_start(user=clerk_a, opinion=opinion_a, version=1)
        with pytest.raises(ValidationError) as caught:
            services.opinion_record_result(
                user=clerk_a, opinion=opinion_a, version=2, result="已办", result_on=day
            )
        assert message in caught.value.error_dict[field][0].messages
        assert refreshed(opinion_a).state == State.IN_PROGRESS

    def test_feedback_before_receipt_or_result_refused(self, clerk_a, opinion_a):
        opinion = answer(clerk_a, opinion_a, on=D(2026, 3, 5))
        for day, message in [
            (D(2026, 3, 2), "反馈本人时间不能早于"),
            (D(2026, 3, 4), "反馈本人时间不能早于办结时间"),
        ]:
            with pytest.raises(ValidationError) as caught:
                feed_back(clerk_a, opinion, on=day)
            assert message in str(caught.value.error_dict["feedback_on"])
        opinion = refreshed(opinion)
        assert opinion.feedback_on is None and opinion.state == State.ANSWERED

    def test_feedback_needs_signer_and_satisfaction(self, clerk_a, opinion_a):
        opinion = answer(clerk_a, opinion_a, on=D(2026, 3, 5))
        with pytest.raises(ValidationError) as caught:
            services.opinion_record_feedback(
                user=clerk_a,
                opinion=opinion,
                version=opinion.version,
                feedback_on=D(2026, 3, 6),
                feedback_signer="",
                satisfaction="",
                close=True,
            )
        assert set(caught.value.error_dict) == {"feedback_signer", "satisfaction"}
        assert refreshed(opinion).state == State.ANSWERED


class TestDatabaseBacksTheRules:
    """Constraints hold even for code that skips the services."""

    def test_closing_without_feedback(self, opinion_a):
        with pytest.raises(IntegrityError), transaction.atomic():
            Opinion.objects.filter(pk=opinion_a.pk).update(state=State.CLOSED)

    def test_feedback_before_receipt(self, opinion_a):
        with pytest.raises(IntegrityError), transaction.atomic():
            Opinion.objects.filter(pk=opinion_a.pk).update(feedback_on=D(2026, 3, 1))

    def test_due_before_receipt(self, opinion_a):
        with pytest.raises(IntegrityError), transaction.atomic():
            Opinion.objects.filter(pk=opinion_a.pk).update(due_date=D(2026, 3, 2))

    def test_numbers_unique(self, clerk_a, opinion_a):
        second = register(clerk_a, received_on=MARCH_3)
        with pytest.raises(IntegrityError), transaction.atomic():
            Opinion.objects.filter(pk=second.pk).update(number=opinion_a.number)


class TestAssignment:
    def issue(self, user, opinion, unit, **overrides):
        data = {
            "due_date": D(2026, 3, 12),
            "contact_name": "刘晓燕",
            "contact_phone": "13983621457",
            "issued_on": D(2026, 3, 4),
        }
        data.update(overrides)
        return services.assignment_issue(user=user, opinion=opinion, unit=unit, **data)

    def test_unit_outside_scope_refused(self, clerk_a, opinion_a, tree):
        with pytest.raises(ValidationError) as caught:
            self.issue(clerk_a, opinion_a, tree["village_b"])
        assert caught.value.error_dict["unit"][0].messages == [UNIT_OUT_OF_SCOPE]
        assert not Assignment.objects.exists() and not Sequence.objects.filter(kind="assignment").exists()
        assert refreshed(opinion_a).state == State.REGISTERED

    @pytest.mark.parametrize(
        ("overrides", "field", "text"),
        [
            ({"due_date": D(2026, 3, 2)}, "due_date", "办理期限不能早于该意见的反映时间"),
            ({"due_date": D(2026, 3, 14)}, "due_date", "办理期限不能晚于该意见的办理时限"),
            ({"issued_on": D(2026, 3, 1)}, "issued_on", "交办日期不能早于该意见的反映时间"),
            (
                {"issued_on": D(2026, 3, 10), "due_date": D(2026, 3, 9)},
                "due_date",
                "办理期限不能早于交办日期",
            ),
        ],
    )
    def test_bad_dates_refused_next_to_the_field(self, clerk_a, branch_a, opinion_a, overrides, field, text):
        with pytest.raises(ValidationError) as caught:
            self.issue(clerk_a, opinion_a, branch_a, **overrides)
        assert text in caught.value.error_dict[field][0].messages[0]
        assert not Assignment.objects.exists()

    def test_township_numbers_its_own_assignments(
        self, township_secretary, clerk_a, branch_a, opinion_a, tree
    ):
        first = self.issue(clerk_a, opinion_a, branch_a)
        by_township = self.issue(
            township_secretary, opinion_a, tree["village_b"], role=Assignment.Role.ASSIST
        )
        assert (first.issuing_organisation, first.number) == (tree["village_a"], 1)
        assert (by_township.issuing_organisation, by_township.number) == (tree["township"], 1)
        assert by_township.number_display == "（2026）年第 1 号"

    def test_receipt_twice_or_before_issue_refused(self, clerk_a, branch_a, opinion_a):
        assignment = self.issue(clerk_a, opinion_a, branch_a)
        with pytest.raises(ValidationError, match="签收时间不能早于交办日期"):
            services.assignment_receive(
                user=clerk_a, assignment=assignment, received_by="张", received_on=D(2026, 3, 3)
            )
        services.assignment_receive(
            user=clerk_a, assignment=assignment, received_by="张", received_on=D(2026, 3, 4)
        )
        with pytest.raises(ValidationError, match="已于 2026-03-04 签收"):
            services.assignment_receive(
                user=clerk_a, assignment=assignment, received_by="张", received_on=D(2026, 3, 5)
            )


class TestExtensionsAndUrges:
    def test_above_approves_and_both_dates_stay(self, clerk_a, township_secretary, opinion_a):
        extension = services.extension_request(
            user=clerk_a, opinion=opinion_a, requested_due_date=D(2026, 3, 27), reason="需等待设备到货"
        )
        with pytest.raises(ValidationError, match="本级不能审批"):
            services.extension_decide(user=clerk_a, extension=extension, approve=True)
        with pytest.raises(ValidationError, match="已有一项待审批"):
            services.extension_request(
                user=clerk_a, opinion=opinion_a, requested_due_date=D(2026, 3, 30), reason="再延"
            )
        services.extension_decide(user=township_secretary, extension=extension, approve=True, note="同意")
        opinion = refreshed(opinion_a)
        assert (opinion.original_due_date, opinion.due_date) == (D(2026, 3, 13), D(2026, 3, 27))
        assert opinion.is_extended and opinion.due_soon_from == D(2026, 3, 20)
        approve = opinion.events.get(kind=EventKind.APPROVE_EXTENSION)
        assert (approve.old_due_date, approve.new_due_date) == (D(2026, 3, 13), D(2026, 3, 27))
        # On-time counts against the approved date: answered on the 20th is on time.
        opinion = feed_back(clerk_a, answer(clerk_a, opinion, on=D(2026, 3, 19)), on=D(2026, 3, 20))
        assert opinion.deadline_status(D(2026, 12, 1)) == "on_time"

    def test_timing_locked_after_an_approved_extension(self, clerk_a, township_secretary, opinion_a):
        extension = services.extension_request(
            user=clerk_a, opinion=opinion_a, requested_due_date=D(2026, 3, 27), reason="需等待设备到货"
        )
        services.extension_decide(user=township_secretary, extension=extension, approve=True)
        opinion = refreshed(opinion_a)
        with pytest.raises(ValidationError) as caught:
            services.opinion_update(user=clerk_a, opinion=opinion.pk, version=opinion.version, category=2)
        assert caught.value.error_dict["category"][0].messages == [
            opinion_services.TIMING_LOCKED_BY_EXTENSION
        ]

    def test_refusal_needs_a_reason_and_keeps_the_date(self, clerk_a, township_secretary, opinion_a):
        extension = services.extension_request(
            user=clerk_a, opinion=opinion_a, requested_due_date=D(2026, 3, 27), reason="需等待设备到货"
        )
        with pytest.raises(ValidationError) as caught:
            services.extension_decide(user=township_secretary, extension=extension, approve=False)
        assert "decision_note" in caught.value.error_dict
        services.extension_decide(
            user=township_secretary, extension=extension, approve=False, note="可先行处置"
        )
        assert refreshed(opinion_a).due_date == D(2026, 3, 13)
        assert Extension.objects.get().status == Extension.Status.REFUSED

    def test_requested_date_must_be_later(self, clerk_a, opinion_a):
        with pytest.raises(ValidationError) as caught:
            services.extension_request(
                user=clerk_a, opinion=opinion_a, requested_due_date=D(2026, 3, 13), reason="x"
            )
        assert "requested_due_date" in caught.value.error_dict

    def test_supervision_only_from_above(self, clerk_a, township_secretary, opinion_a):
        with pytest.raises(ValidationError) as caught:
            services.urge_create(user=clerk_a, opinion=opinion_a, kind=Urge.Kind.SUPERVISE, note="请抓紧")
        assert caught.value.error_dict["kind"][0].messages == [handling_services.SUPERVISE_NEEDS_ABOVE]
        services.urge_create(user=clerk_a, opinion=opinion_a, kind=Urge.Kind.URGE, note="请抓紧")
        urge = services.urge_create(
            user=township_secretary, opinion=opinion_a, kind=Urge.Kind.SUPERVISE, note="镇里督办"
        )
        services.urge_answer(user=clerk_a, urge=urge, answer="本周内完成")
        with pytest.raises(ValidationError, match="已经回复"):
            services.urge_answer(user=clerk_a, urge=urge, answer="again")
        assert kinds(opinion_a)[-3:] == ["urge", "urge", "answer_urge"]


class TestCase:
    def test_mark_and_change_a_case(self, clerk_a, opinion_a):
        data = {
            "leader_name": "陈建国",
            "leader_title": "镇党委书记",
            "team": "水务站、村党委",
            "plan": "分两段施工",
            "started_on": D(2026, 3, 5),
        }
        services.case_save(user=clerk_a, opinion=opinion_a, **data)
        services.case_save(user=clerk_a, opinion=opinion_a, **{**data, "plan": "分三段施工"})
        opinion = refreshed(opinion_a)
        assert opinion.case.plan == "分三段施工"
        last = opinion.events.filter(kind=EventKind.CASE).last()
        assert last.changes == [["化解方案", "分两段施工", "分三段施工"]]
