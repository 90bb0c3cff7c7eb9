"""The opinion's history (every change of state and of due date) and the reminders already sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from feedback.states import Action, State


class EventKind(models.TextChoices):
    CREATE = "create", "登记"
    EDIT = Action.EDIT.value, Action.EDIT.label
    ASSIGN = Action.ASSIGN.value, "发出交办单"
    RECEIVE = Action.RECEIVE.value, Action.RECEIVE.label
    START = Action.START.value, Action.START.label
    RESULT = Action.RESULT.value, Action.RESULT.label
    FEEDBACK = Action.FEEDBACK.value, Action.FEEDBACK.label
    CLOSE = Action.CLOSE.value, Action.CLOSE.label
    REOPEN = Action.REOPEN.value, Action.REOPEN.label
    URGE = Action.URGE.value, Action.URGE.label
    ANSWER_URGE = Action.ANSWER_URGE.value, Action.ANSWER_URGE.label
    REQUEST_EXTENSION = Action.REQUEST_EXTENSION.value, Action.REQUEST_EXTENSION.label
    APPROVE_EXTENSION = "approve_extension", "批准延期"
    REFUSE_EXTENSION = "refuse_extension", "不批准延期"
    CASE = Action.CASE.value, "包案（五个一）"
    RECOMPUTE = "recompute", "按工作日历重算时限"
    TRANSFER = Action.TRANSFER.value, Action.TRANSFER.label
    ACCEPT_TRANSFER = Action.ACCEPT_TRANSFER.value, "上级签收转报"


class OpinionEvent(models.Model):
    opinion = models.ForeignKey(
        "feedback.Opinion", verbose_name="群众意见", on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField("事项", max_length=20, choices=EventKind.choices)
    from_state = models.CharField("原状态", max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=State.choices, blank=True)
    old_due_date = models.DateField("原时限", null=True, blank=True)
    new_due_date = models.DateField("新时限", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    # [[字段, 原值, 新值], …] for edits, as the user read them.
    changes = models.JSONField("修改内容", default=list, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["opinion", "at"], name="opinion_event_opinion_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    @property
    def state_changed(self) -> bool:
        return bool(self.from_state and self.to_state and self.from_state != self.to_state)

    @property
    def due_changed(self) -> bool:
        return self.old_due_date != self.new_due_date and self.new_due_date is not None


class Reminder(models.Model):
    """One row per reminder e-mailed, so a daily cron run never sends the same reminder twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "即将到期"
        OVERDUE = "overdue", "已逾期"

    opinion = models.ForeignKey(
        "feedback.Opinion", verbose_name="群众意见", on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("提醒", max_length=10, choices=Kind.choices)
    due_date = models.DateField("提醒时的办理时限")
    sent_at = models.DateTimeField("发送时间", default=timezone.now)

    class Meta:
        verbose_name = "到期提醒"
        verbose_name_plural = "到期提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "recipient", "kind", "due_date"], name="reminder_once_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"
