"""Quotas are data, not code (DESIGN.md "Rules"): each rule cites its source and the organisation
department can change the number when a new document says so.

Versioned: a QuotaRule row holds the values in force from its `effective_from`; every change keeps the
values it replaced in a QuotaRuleChange (who, when, old → new, from which date), so a past year is
judged by the numbers in force then (liaison.quotas reads them). A change applies from a date in the
current year or later, never earlier: changing a quota in 2027 cannot rewrite 2026.

A locality's own rule (麻塘山乡's 120 days in villages, 002) is a row with the same code and an
`organisation`: it applies to that organisation's subtree from `applies_from`, instead of the general
rule. The default manager shows the general rules only, so code that reads QuotaRule.objects directly
keeps seeing one row per code.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from liaison.text.numbers import plain_number

# The seeded rules are in force from the documents' time on: before any record this system holds.
SEEDED_FROM = datetime.date(2000, 1, 1)


class GeneralRules(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(organisation__isnull=True)


class QuotaRule(models.Model):
    class Period(models.TextChoices):
        WEEK = "week", "每周"
        MONTH = "month", "每月"
        YEAR = "year", "每年"
        TERM = "term", "每届"
        EVENT = "event", "每件事"
        STANDING = "standing", "长期"

    code = models.SlugField("代码", max_length=60, help_text="程序按此代码读取定额，不要修改")
    name = models.CharField("事项", max_length=100)
    subject = models.CharField("适用对象", max_length=100)
    minimum = models.DecimalField(
        "最低要求", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField("单位", max_length=20)
    period = models.CharField("周期", max_length=10, choices=Period.choices)
    source = models.CharField("依据", max_length=300, help_text="文件名称和条款")
    notes = models.CharField("说明", max_length=300, blank=True)
    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="适用地方",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空：全区通用；填写：仅适用于该党组织及其下级，代替通用规则",
    )
    applies_from = models.DateField("开始适用", default=SEEDED_FROM)
    effective_from = models.DateField("现行数值生效日期", default=SEEDED_FROM)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = GeneralRules()
    all_rules = models.Manager()  # noqa: DJ012 - a manager, not a field

    class Meta:
        verbose_name = "定额规则"
        verbose_name_plural = "定额规则"
        ordering = ["id"]
        base_manager_name = "all_rules"
        constraints = [
            models.CheckConstraint(condition=models.Q(minimum__gte=0), name="quota_minimum_not_negative"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organisation__isnull=True),
                name="quota_general_code_unique",
            ),
            models.UniqueConstraint(fields=["code", "organisation"], name="quota_local_code_unique"),
            models.CheckConstraint(
                condition=models.Q(effective_from__gte=models.F("applies_from")),
                name="quota_effective_after_applies",
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.organisation.display_name}：" if self.organisation_id else ""
        return f"{where}{self.name}（{self.subject}）：{self.get_period_display()}不少于 {self.minimum_display} {self.unit}"

    @property
    def minimum_display(self) -> str:
        return plain_number(self.minimum)


class QuotaRuleChange(models.Model):
    """One change of a rule: the values before and after, and the date the new ones apply from."""

    rule = models.ForeignKey(QuotaRule, verbose_name="规则", on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField("修改时间", auto_now_add=True)
    effective_from = models.DateField("新数值生效日期")
    old_effective_from = models.DateField("原数值生效日期")
    old_minimum = models.DecimalField("原最低要求", max_digits=12, decimal_places=2)
    new_minimum = models.DecimalField("新最低要求", max_digits=12, decimal_places=2)
    old_source = models.CharField("原依据", max_length=300)
    new_source = models.CharField("新依据", max_length=300)
    old_notes = models.CharField("原说明", max_length=300, blank=True)
    new_notes = models.CharField("新说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "定额规则修改记录"
        verbose_name_plural = "定额规则修改记录"
        ordering = ["rule", "effective_from", "id"]
        indexes = [models.Index(fields=["rule", "effective_from"], name="quotachange_rule_effective")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_from__gte=models.F("old_effective_from")),
                name="quotachange_not_before_previous",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule.name}：{plain_number(self.old_minimum)} → {plain_number(self.new_minimum)}（{self.effective_from} 起）"
