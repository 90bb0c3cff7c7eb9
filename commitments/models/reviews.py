"""跟踪督诺 and 考核评诺: the township's inspections and the year-end assessment of a 两委会.

004 四（五）: 镇党委、政府组织工作人员和党员群众代表对“两委会”履诺情况进行定期不定期的督促检查，
对履诺过程中遇到的困难和问题，及时帮助协调、解决.
004 四（六）: 述职 → 无记名满意度测评 by six groups → 考察组 实地考察 → 综合考评结果 → 向群众公布.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q

from commitments.rules import Grade
from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible

REVIEW_TEXT_MAX = 2000


def _text(label: str, **kwargs) -> models.TextField:
    return models.TextField(
        label, max_length=REVIEW_TEXT_MAX, validators=[MaxLengthValidator(REVIEW_TEXT_MAX)], **kwargs
    )


class Inspection(models.Model):
    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="被督查村（社区）", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度", editable=False)
    date = models.DateField("督查日期", validators=[plausible("event")])
    inspectors = models.CharField(
        "督查人员", max_length=200, help_text="镇街工作人员和党员群众代表，如“镇组织办 王敏；党员代表 2 名”"
    )
    findings = _text("督查情况")
    help_given = _text("帮助协调解决的困难和问题", blank=True)
    commitments = models.ManyToManyField(
        "commitments.Commitment", verbose_name="督查的承诺事项", blank=True, related_name="inspections"
    )
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "跟踪督诺"
        verbose_name_plural = "跟踪督诺"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organisation", "year"], name="inspection_org_year")]

    def __str__(self) -> str:
        return f"{self.date} {self.organisation}"

    def save(self, *args, **kwargs) -> None:
        self.year = self.date.year
        super().save(*args, **kwargs)


class VoterGroup(models.TextChoices):
    """004 四（六）: the six groups who vote in the 满意度测评, in the document's order."""

    TOWNSHIP_LEADERS = "township_leaders", "镇领导干部"
    STATION_HEADS = "station_heads", "站所负责人"
    RESIDENT_CADRES = "resident_cadres", "驻村（社区）干部"
    DEPUTIES = "deputies", "区级以上党代表、人大代表、政协委员"
    MEMBER_REPS = "member_reps", "村（社区）党员代表"
    RESIDENT_REPS = "resident_reps", "村（社区）群众代表"


class Assessment(models.Model):
    """One year-end 考核评诺 of one village's (community's) 两委会."""

    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    report_on = models.DateField("述职日期", validators=[plausible("event")])
    meeting = models.CharField(
        "述职会议", max_length=200, blank=True, help_text="如“全体党员和群众代表大会，到会 86 人”"
    )
    # Sums of the tallies (kept by the service, so lists and constraints need no join).
    satisfied = models.PositiveIntegerField("满意", default=0, editable=False)
    basically_satisfied = models.PositiveIntegerField("基本满意", default=0, editable=False)
    dissatisfied = models.PositiveIntegerField("不满意", default=0, editable=False)
    measured_grade = models.CharField(
        "测评等次", max_length=10, choices=Grade.choices, blank=True, editable=False
    )
    field_check_on = models.DateField("实地考察日期", null=True, blank=True, validators=[plausible("event")])
    field_check_team = models.CharField(
        "考察组成员", max_length=200, blank=True, help_text="镇干部、党员代表、村（居）民代表"
    )
    field_check_findings = _text("实地考察情况", blank=True)
    final_grade = models.CharField("综合考评结果", max_length=10, choices=Grade.choices, blank=True)
    final_note = _text("综合考评意见", blank=True)
    rectification_deadline = models.DateField(
        "整改期限", null=True, blank=True, validators=[plausible("plan")]
    )
    rectification_note = _text("整改要求", blank=True)
    finalised_on = models.DateField("评定日期", null=True, blank=True, validators=[plausible("event")])
    finalised_by = recorded_by("评定人")
    published_on = models.DateField("公布日期", null=True, blank=True, validators=[plausible("event")])
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "考核评诺"
        verbose_name_plural = "考核评诺"
        ordering = ["-year", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="assessment_one_per_year",
                violation_error_message="该村（社区）本年度已有考核评诺记录。",
            ),
            models.CheckConstraint(
                condition=Q(final_grade="")
                | (Q(field_check_on__isnull=False) & Q(finalised_on__isnull=False) & ~Q(measured_grade="")),
                name="assessment_final_after_check",
                violation_error_message="须先完成满意度测评和考察组实地考察，才能形成综合考评结果。",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | ~Q(final_grade=""),
                name="assessment_published_when_final",
                violation_error_message="尚未形成综合考评结果，不能公布。",
            ),
            # 004 五: 不满意率超过50％（d > s + b）或综合考评不合格 → 限期整改, so a deadline.
            models.CheckConstraint(
                condition=Q(final_grade="")
                | Q(rectification_deadline__isnull=False)
                | (
                    ~Q(final_grade=Grade.FAIL)
                    & Q(dissatisfied__lte=F("satisfied") + F("basically_satisfied"))
                ),
                name="assessment_rectification_has_deadline",
                violation_error_message="不满意率超过50％或综合考评不合格，须限期整改：请填写整改期限。",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "final_grade"], name="assessment_year_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年考核评诺"

    @property
    def total(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def is_final(self) -> bool:
        return bool(self.final_grade)

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class AssessmentTally(models.Model):
    """The anonymous 满意度测评 ballots of one voter group: counts only, never who voted."""

    assessment = models.ForeignKey(
        Assessment, verbose_name="考核评诺", on_delete=models.CASCADE, related_name="tallies"
    )
    group = models.CharField("测评对象", max_length=20, choices=VoterGroup.choices)
    satisfied = models.PositiveIntegerField("满意", default=0)
    basically_satisfied = models.PositiveIntegerField("基本满意", default=0)
    dissatisfied = models.PositiveIntegerField("不满意", default=0)

    class Meta:
        verbose_name = "满意度测评票"
        verbose_name_plural = "满意度测评票"
        ordering = ["assessment_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "group"], name="tally_one_per_group"),
            models.CheckConstraint(
                condition=Q(satisfied__gte=0) & Q(basically_satisfied__gte=0) & Q(dissatisfied__gte=0),
                name="tally_not_negative",
                violation_error_message="票数不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return self.get_group_display()

    @property
    def total(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied
