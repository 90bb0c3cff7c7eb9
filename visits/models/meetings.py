"""民情分析会 (004 入户走访制度 四、三是分析研究): “基层党组织每月召开一次民情分析会，对走访中收集到的社情民意
进行专题研究，作出工作安排” (QuotaRule "analysis-meeting": 1 a month, per village or community).

A meeting records who attended, which of that month's opinions and visits it discussed, what it made of
them (分析研判), the work it decided (工作安排) and, later, how that work was carried out (落实情况).
A village may hold more than one in a month (a special one after a flood); a month with none is missed.
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxLengthValidator
from django.db import models

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible

TEXT_MAX = 3000


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class AnalysisMeeting(models.Model):
    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("会议日期", validators=[plausible("event")])
    # The first day of held_on's month, kept on the row: the missed-months view groups on it.
    month = models.DateField("月份", editable=False)
    place = models.CharField("地点", max_length=100, blank=True)
    host = models.ForeignKey(
        "members.PartyMember",
        verbose_name="主持人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendees = models.ManyToManyField(
        "members.PartyMember", verbose_name="参会党员干部", related_name="analysis_meetings", blank=True
    )
    other_attendees = models.CharField(
        "其他参会人员", max_length=200, blank=True, help_text="如驻村干部、村民代表，填姓名或人数"
    )
    opinions = models.ManyToManyField(
        "feedback.Opinion", verbose_name="研究的群众意见", related_name="analysis_meetings", blank=True
    )
    visits = models.ManyToManyField(
        "visits.Visit", verbose_name="研究的走访记录", related_name="analysis_meetings", blank=True
    )
    analysis = models.TextField(
        "社情民意分析", max_length=TEXT_MAX, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    decisions = models.TextField("工作安排", max_length=TEXT_MAX, validators=[MaxLengthValidator(TEXT_MAX)])
    follow_up = models.TextField(
        "落实情况", max_length=TEXT_MAX, validators=[MaxLengthValidator(TEXT_MAX)], blank=True
    )
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "民情分析会"
        verbose_name_plural = "民情分析会"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organisation", "month"], name="meeting_org_month")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} 民情分析会"

    def save(self, *args, **kwargs) -> None:
        if self.held_on:
            self.month = first_of_month(self.held_on)
        super().save(*args, **kwargs)
