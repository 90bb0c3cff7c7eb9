"""党员承诺 (000 第十二条, 001 二（二）, 002 六): each able member promises 1–2 实事 a year, publicised on the
branch's 公示 list, reminded when late, and reviewed at the year's 民主评议."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from commitments import rules
from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible


class ReviewResult(models.TextChoices):
    DONE = "done", "已完成"
    PARTLY = "partly", "部分完成"
    NOT_DONE = "not_done", "未完成"


class PersonalCommitment(models.Model):
    member = models.ForeignKey(
        "members.PartyMember", verbose_name="党员", on_delete=models.PROTECT, related_name="commitments"
    )
    year = models.PositiveSmallIntegerField("年度")
    # 1 or 2: with the unique index below the database itself holds “一年内办一至二件”.
    slot = models.PositiveSmallIntegerField(
        "序号",
        editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(rules.PERSONAL_PER_YEAR_MAX)],
    )
    content = models.CharField(
        "承诺事项", max_length=200, help_text="为群众办的一件实事，如“为三组修好两处漏水水管”"
    )
    measure = models.CharField("完成标准", max_length=200, blank=True)
    deadline = models.DateField("完成时限", validators=[plausible("plan")])
    publicised_on = models.DateField("公示日期", null=True, blank=True, validators=[plausible("event")])
    review_result = models.CharField("民主评议", max_length=10, choices=ReviewResult.choices, blank=True)
    review_comment = models.CharField("评议意见", max_length=300, blank=True)
    reviewed_on = models.DateField("评议日期", null=True, blank=True, validators=[plausible("event")])
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "党员承诺"
        verbose_name_plural = "党员承诺"
        ordering = ["-year", "member_id", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "slot"],
                name="personal_commitment_slot",
                violation_error_message="每名党员每年承诺一至二件实事，本年度已有两件。",
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1) & Q(slot__lte=rules.PERSONAL_PER_YEAR_MAX),
                name="personal_commitment_at_most_two",
                violation_error_message="每名党员每年承诺一至二件实事。",
            ),
            models.CheckConstraint(
                condition=(Q(review_result="") & Q(reviewed_on__isnull=True))
                | (~Q(review_result="") & Q(reviewed_on__isnull=False)),
                name="personal_commitment_review_dated",
                violation_error_message="民主评议结果和评议日期须同时填写。",
            ),
        ]
        indexes = [models.Index(fields=["year", "member"], name="personal_year_member")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.content}"
