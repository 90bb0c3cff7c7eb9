"""驻村调研 (seed 002 一、调查研究制度): “乡领导班子成员每年驻村入户调研时间不少于120天”, and
“领导班子成员每年要自己动手撰写1—2篇……调研报告” (QuotaRule "days-in-villages", "research-reports").

A stay is a run of days in one village (both ends counted); its days belong to one calendar year, so a
stay over New Year is two records. A report is a file (PDF or DOCX, by content) with a title; it is
stored outside what the web server serves and handed out only within scope (visits/views/research.py).
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible

FINDINGS_MAX = 3000
DAYS_IN_A_YEAR = 366


class FieldResearch(models.Model):
    leader = models.ForeignKey(
        "members.PartyMember", verbose_name="调研人", on_delete=models.PROTECT, related_name="field_research"
    )
    village = models.ForeignKey(
        "liaison.Organisation", verbose_name="驻点村（社区）", on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField("驻村开始", validators=[plausible("event")])
    ended_on = models.DateField("驻村结束", validators=[plausible("event")])
    # (ended_on − started_on) + 1, kept on the row so a year's total is one SUM.
    days = models.PositiveSmallIntegerField(
        "天数", editable=False, validators=[MinValueValidator(1), MaxValueValidator(DAYS_IN_A_YEAR)]
    )
    topic = models.CharField("调研主题", max_length=200)
    findings = models.TextField(
        "调研情况", max_length=FINDINGS_MAX, validators=[MaxLengthValidator(FINDINGS_MAX)], blank=True
    )
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "驻村调研"
        verbose_name_plural = "驻村调研"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__gte=F("started_on")),
                name="research_ends_after_start",
                violation_error_message="驻村结束日期不能早于开始日期。",
            ),
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=DAYS_IN_A_YEAR), name="research_days_sane"
            ),
        ]
        indexes = [
            models.Index(fields=["leader", "started_on"], name="research_leader_start"),
            models.Index(fields=["village", "started_on"], name="research_village_start"),
        ]

    def __str__(self) -> str:
        return f"{self.started_on:%Y-%m-%d}—{self.ended_on:%m-%d} {self.topic}"

    def save(self, *args, **kwargs) -> None:
        if self.started_on and self.ended_on:
            self.days = (self.ended_on - self.started_on).days + 1
        super().save(*args, **kwargs)


def report_path(report: ResearchReport, filename: str) -> str:
    # The stored name is never the uploaded one (which could be anything): year, a random part, the kind.
    import uuid

    return f"research-reports/{report.year}/{uuid.uuid4().hex}.{report.file_kind}"


class ResearchReport(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word（DOCX）"

    author = models.ForeignKey(
        "members.PartyMember",
        verbose_name="撰写人",
        on_delete=models.PROTECT,
        related_name="research_reports",
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField("标题", max_length=200)
    submitted_on = models.DateField("报送日期", validators=[plausible("event")])
    file = models.FileField("报告文件", upload_to=report_path, max_length=200)
    file_kind = models.CharField("文件类型", max_length=4, choices=Kind.choices)
    file_name = models.CharField("原文件名", max_length=200)
    file_size = models.PositiveIntegerField("文件大小（字节）")
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "调研报告"
        verbose_name_plural = "调研报告"
        ordering = ["-year", "-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(file_kind__in=["pdf", "docx"]), name="report_kind_known"),
        ]
        indexes = [models.Index(fields=["author", "year"], name="report_author_year")]

    def __str__(self) -> str:
        return self.title
