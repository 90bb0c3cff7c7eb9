"""`manage.py send_reminders`: due within 3 days or overdue → 责任人 and 经办人, once, safe from cron."""

from __future__ import annotations

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from feedback import services
from feedback.models import Reminder
from feedback.tests.factories import answer, feed_back, make_due, register

D = datetime.date
pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def due_in(clerk_a, secretary_a, handler_a):
    def make(days: int, **kwargs):
        opinion = register(
            clerk_a, received_on=D(2026, 3, 3), responsible=secretary_a, handler=handler_a, **kwargs
        )
        today = TODAY()
        return make_due(
            opinion,
            received_on=today - datetime.timedelta(days=20),
            due=today + datetime.timedelta(days=days),
        )

    return make


def test_due_within_three_days_reaches_both_once(due_in):
    opinion = due_in(3)
    out, _ = run("--base-url", "https://dangjian.example.cn/")
    assert "已发送 2 封提醒邮件" in out
    assert sorted(m.to[0] for m in mail.outbox) == ["handler@example.cn", "secretary_a@example.cn"]
    message = mail.outbox[0]
    assert message.subject == "【群众意见办理提醒】1件即将到期"
    assert (
        "【剩 3 天】" in message.body
        and opinion.number_display in message.body
        and "三组机耕道垮塌" in message.body
    )
    assert f"https://dangjian.example.cn/opinions/{opinion.pk}/" in message.body
    out, _ = run()
    assert len(mail.outbox) == 2 and "已发送 0 封" in out and "此前已提醒 2 件次" in out


def test_four_days_ahead_is_not_yet_reminded(due_in):
    due_in(4)
    run()
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_overdue_is_a_new_reminder_and_grouped_per_person(due_in):
    first, second = due_in(1), due_in(-2)
    run()
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject == "【群众意见办理提醒】1件已逾期，1件即将到期"
    assert "【已逾期 2 天】" in mail.outbox[0].body
    tomorrow_but_one = (TODAY() + datetime.timedelta(days=2)).isoformat()
    run("--date", tomorrow_but_one)  # the first one is now overdue too: one new reminder each
    assert len(mail.outbox) == 4 and mail.outbox[-1].subject == "【群众意见办理提醒】1件已逾期"
    assert (
        Reminder.objects.filter(opinion=first).count() == 4
        and Reminder.objects.filter(opinion=second).count() == 2
    )


def test_an_approved_extension_gets_its_own_reminders(due_in, clerk_a, township_secretary):
    opinion = due_in(2)
    run()
    extension = services.extension_request(
        user=clerk_a,
        opinion=opinion,
        requested_due_date=opinion.due_date + datetime.timedelta(days=1),
        reason="设备未到",
    )
    services.extension_decide(user=township_secretary, extension=extension, approve=True)
    run()
    assert len(mail.outbox) == 4


def test_answered_to_the_reporter_is_not_reminded(due_in, clerk_a):
    opinion = due_in(-1)
    feed_back(clerk_a, answer(clerk_a, opinion, on=TODAY()), on=TODAY())
    run()
    assert mail.outbox == []


def test_people_without_email_are_named(clerk_a):
    opinion = register(clerk_a, received_on=D(2026, 3, 3))
    make_due(opinion, received_on=D(2026, 3, 3), due=TODAY())
    out, _ = run()
    assert "没有邮箱、未能提醒：刘晓燕（1件）" in out and not Reminder.objects.exists()


def test_a_failed_send_records_nothing_and_is_retried(due_in, monkeypatch):
    due_in(0)

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr("feedback.services.reminders.send_mail", broken)
    _, err = run()
    assert "发送失败" in err and not Reminder.objects.exists()
    monkeypatch.undo()
    run()
    assert len(mail.outbox) == 2 and Reminder.objects.count() == 2


def test_dry_run_sends_and_records_nothing(due_in):
    due_in(1)
    out, _ = run("--dry-run")
    assert "将发送 2 封" in out and mail.outbox == [] and not Reminder.objects.exists()


def test_bad_date_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--date", "26/11/2026")
