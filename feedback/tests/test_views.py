"""Pages as a browser uses them: forms parsed and posted back, errors next to the field, conflicts kept."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Assignment, Opinion
from feedback.states import CLOSED_READ_ONLY, State
from feedback.tests.factories import answer, feed_back, refreshed
from liaison.validators import PHONE_INVALID
from tests.forms_utils import form_fields

D = datetime.date
pytestmark = pytest.mark.django_db


def new_opinion_post(client, **overrides) -> dict:
    data = form_fields(client.get(reverse("opinion-create")).text)
    data.update(
        {
            "received_on": "2026-03-03",
            "channel": "hotline",
            "reporter_name": "王喆",
            "reporter_phone": "138 1234 5678",
            "reporter_address": "桂花村三组12号",
            "subject": "三组机耕道垮塌",
            "content": "机耕道垮塌约十米。",
            "category": "1",
        }
    )
    data.update(overrides)
    return data


class TestRegisterPage:
    def test_defaults_and_preview(self, client_for, clerk_a, tree):
        client = client_for(clerk_a)
        page = client.get(reverse("opinion-create"))
        fields = form_fields(page.text)
        assert fields["organisation"] == str(tree["village_a"].pk)
        assert fields["responsible"] == str(clerk_a.pk)
        assert fields["received_on"] == timezone.localdate().isoformat()
        assert page.context["previews"]["1"]["date"]  # every category previewed for today's date

    def test_clerk_registers_from_a_phone_call(self, client_for, clerk_a):
        client = client_for(clerk_a)
        response = client.post(reverse("opinion-create"), new_opinion_post(client))
        opinion = Opinion.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "opinion-detail", args=[opinion.pk]
        )
        assert opinion.reporter_phone == "13812345678" and opinion.due_date == D(2026, 3, 13)
        assert opinion.created_by == clerk_a
        detail = client.get(response["Location"]).text
        assert "已登记：2026年第1号" in detail and "2026年3月13日" in detail

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("reporter_phone", "12345", PHONE_INVALID),
            ("reporter_name", "", "这个字段是必填项"),
            ("category", "", "这个字段是必填项"),
            ("category", "5", "选择一个有效的选项"),
            ("received_on", "2026-02-30", "输入一个有效的日期"),
        ],
    )
    def test_bad_input_next_to_the_field_and_nothing_saved(self, client_for, clerk_a, field, value, message):
        client = client_for(clerk_a)
        response = client.post(reverse("opinion-create"), new_opinion_post(client, **{field: value}))
        assert response.status_code == 200
        assert message in str(response.context["form"].errors[field])
        assert f'id="error_1_id_{field}"' in response.text
        assert not Opinion.objects.exists()

    def test_future_receipt_next_to_the_field(self, client_for, clerk_a):
        client = client_for(clerk_a)
        later = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
        response = client.post(reverse("opinion-create"), new_opinion_post(client, received_on=later))
        assert response.context["form"].errors["received_on"] == ["日期不能晚于今天。"]
        assert not Opinion.objects.exists()

    def test_tampered_organisation_refused(self, client_for, clerk_a, tree):
        client = client_for(clerk_a)
        response = client.post(
            reverse("opinion-create"), new_opinion_post(client, organisation=str(tree["community"].pk))
        )
        assert "所选党组织不在您的管辖范围内" in response.text and not Opinion.objects.exists()

    def test_due_date_preview_json(self, client_for, clerk_a):
        data = client_for(clerk_a).get(reverse("opinion-due-dates"), {"received_on": "2026-09-21"}).json()
        assert data["categories"]["1"] == {
            "date": "2026-10-08",
            "text": "2026年10月8日（星期四）",
            "provisional": False,
            "missing": [],
        }
        assert client_for(clerk_a).get(reverse("opinion-due-dates"), {"received_on": "x"}).status_code == 400


class TestEditPage:
    def test_second_save_is_told_and_loses_nothing(self, client, clerk_a, secretary_a, opinion_a):
        from django.test import Client

        first, second = Client(), Client()
        first.force_login(clerk_a)
        second.force_login(secretary_a)
        url = reverse("opinion-update", args=[opinion_a.pk])
        mine, theirs = form_fields(first.get(url).text), form_fields(second.get(url).text)
        mine["subject"] = "五组院坝路灯不亮"
        assert first.post(url, mine).status_code == 302
        theirs["subject"] = "院坝三盏路灯坏了"
        theirs["remarks"] = "已电话回访"
        response = second.post(url, theirs)
        assert response.status_code == 409
        assert "这条意见已被刘晓燕于" in response.text
        assert ("事由", "院坝三盏路灯坏了", "五组院坝路灯不亮") in response.context["conflicts"]
        kept = form_fields(response.text)
        assert kept["subject"] == "院坝三盏路灯坏了" and kept["remarks"] == "已电话回访"
        assert kept["version"] == "2"
        assert refreshed(opinion_a).subject == "五组院坝路灯不亮"
        # Saving again, knowingly, wins.
        assert second.post(url, kept).status_code == 302
        assert refreshed(opinion_a).subject == "院坝三盏路灯坏了" and refreshed(opinion_a).version == 3

    def test_closed_record_refuses_edits(self, client_for, clerk_a, township_secretary, opinion_a):
        closed = feed_back(clerk_a, answer(clerk_a, opinion_a, on=D(2026, 3, 9)), on=D(2026, 3, 10))
        client = client_for(clerk_a)
        url = reverse("opinion-update", args=[closed.pk])
        response = client.get(url, follow=True)
        assert CLOSED_READ_ONLY in response.text
        client.post(url, {"subject": "改掉", "version": closed.version})
        for name in ("opinion-result", "opinion-feedback", "opinion-assign", "opinion-case"):
            response = client.post(
                reverse(name, args=[closed.pk]), {"result": "x", "version": closed.version}, follow=True
            )
            assert CLOSED_READ_ONLY in response.text
        assert "重新打开" in client.get(reverse("opinion-detail", args=[closed.pk])).text
        # Urging is the secretary's (clerks get 403 before anything is read); a closed record refuses it too.
        secretary = client_for(township_secretary)
        response = secretary.post(
            reverse("opinion-urge", args=[closed.pk]), {"note": "x", "version": closed.version}, follow=True
        )
        assert CLOSED_READ_ONLY in response.text
        assert refreshed(closed).subject == "三组机耕道垮塌" and refreshed(closed).version == closed.version

    def test_handler_side_cannot_edit(self, client_for, clerk_a, handler_a, branch_a, opinion_a):
        from feedback import services

        services.assignment_issue(
            user=clerk_a,
            opinion=opinion_a,
            unit=branch_a,
            due_date=D(2026, 3, 12),
            contact_name="刘晓燕",
            contact_phone="13983621457",
            issued_on=D(2026, 3, 4),
        )
        client = client_for(handler_a)
        assert client.get(reverse("opinion-detail", args=[opinion_a.pk])).status_code == 200
        assert client.get(reverse("opinion-update", args=[opinion_a.pk])).status_code == 403


class TestActionPages:
    def test_whole_loop_through_the_pages(
        self, client_for, clerk_a, handler_a, branch_a, township_secretary, opinion_a
    ):
        clerk = client_for(clerk_a)
        url = reverse("opinion-assign", args=[opinion_a.pk])
        data = form_fields(clerk.get(url).text)
        assert data["due_date"] == "2026-03-13" and data["contact_name"] == "刘晓燕"
        data.update({"unit": str(branch_a.pk), "issued_on": "2026-03-04", "contact_phone": "13983621457"})
        assert clerk.post(url, data).status_code == 302
        assignment = Assignment.objects.get()

        handler = client_for(handler_a)
        url = reverse("assignment-receive", args=[assignment.pk])
        data = form_fields(handler.get(url).text)
        data.update({"received_by": "张经办", "received_on": "2026-03-04"})
        assert handler.post(url, data).status_code == 302
        url = reverse("opinion-result", args=[opinion_a.pk])
        data = form_fields(handler.get(url).text)
        assert data["feedback_contact"] == "刘晓燕"  # the 经办人 on the record, printed on the 反馈单
        data.update({"result": "已修复。", "result_on": "2026-03-09"})
        assert handler.post(url, data).status_code == 302

        clerk = client_for(clerk_a)
        url = reverse("opinion-feedback", args=[opinion_a.pk])
        data = form_fields(clerk.get(url).text)
        assert data["feedback_signer"] == "王喆" and data["close"] == ["on"]
        data.update({"feedback_on": "2026-03-10", "satisfaction": "satisfied"})
        response = clerk.post(url, data, follow=True)
        assert "已登记反馈并销号" in response.text
        opinion = refreshed(opinion_a)
        assert opinion.state == State.CLOSED and opinion.feedback_on == D(2026, 3, 10)
        history = clerk.get(reverse("opinion-detail", args=[opinion.pk])).text
        for words in (
            "登记",
            "发出交办单",
            "签收交办单",
            "登记办理结果",
            "登记反馈",
            "销号",
            "已登记 → 已交办",
            "已办结 → 已销号",
        ):
            assert words in history

    def test_feedback_before_result_next_to_the_field(self, client_for, clerk_a, opinion_a):
        answer(clerk_a, opinion_a, on=D(2026, 3, 9))
        client = client_for(clerk_a)
        url = reverse("opinion-feedback", args=[opinion_a.pk])
        data = form_fields(client.get(url).text)
        data.update({"feedback_on": "2026-03-08", "satisfaction": "satisfied"})
        response = client.post(url, data)
        assert response.context["form"].errors["feedback_on"] == ["反馈本人时间不能早于办结时间。"]
        assert refreshed(opinion_a).state == State.ANSWERED

    def test_close_button_without_feedback_says_why(self, client_for, clerk_a, opinion_a):
        opinion = answer(clerk_a, opinion_a, on=D(2026, 3, 9))
        response = client_for(clerk_a).post(
            reverse("opinion-close", args=[opinion.pk]), {"version": opinion.version}, follow=True
        )
        assert "尚未记录反馈（反馈时间、签收人、是否满意），不能销号。" in response.text
        assert refreshed(opinion).state == State.ANSWERED

    def test_extension_decided_above(self, client_for, clerk_a, township_secretary, opinion_a):
        clerk = client_for(clerk_a)
        clerk.post(
            reverse("opinion-extension", args=[opinion_a.pk]),
            {"requested_due_date": "2026-03-27", "reason": "设备未到"},
        )
        extension = opinion_a.extensions.get()
        assert clerk.get(reverse("extension-decide", args=[extension.pk])).status_code == 200
        response = clerk.post(reverse("extension-decide", args=[extension.pk]), {"approve": "1"})
        assert "本级不能审批" in response.text
        secretary = client_for(township_secretary)
        assert "审批" in secretary.get(reverse("opinion-detail", args=[opinion_a.pk])).text
        assert (
            secretary.post(reverse("extension-decide", args=[extension.pk]), {"approve": "1"}).status_code
            == 302
        )
        assert refreshed(opinion_a).due_date == D(2026, 3, 27)

    def test_org_dept_reads_but_does_not_act(self, client_for, org_dept, opinion_a):
        client = client_for(org_dept)
        assert client.get(reverse("opinion-detail", args=[opinion_a.pk])).status_code == 200
        assert client.get(reverse("opinion-create")).status_code == 403
        assert (
            client.post(
                reverse("opinion-urge", args=[opinion_a.pk]), {"kind": "urge", "note": "x"}
            ).status_code
            == 403
        )
