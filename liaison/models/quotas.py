"""Quotas are data, not code (DESIGN.md "Rules"): each rule cites its source and the organisation
department can change the number when a new document says so."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models

from liaison.text.numbers import plain_number


class QuotaRule(models.Model):
    class Period(models.TextChoices):
        WEEK = "week", "每周"
        MONTH = "month", "每月"
        YEAR = "year", "每年"
        TERM = "term", "每届"
        EVENT = "event", "每件事"
        STANDING = "standing", "长期"

    code = models.SlugField("代码", max_length=60, unique=True, help_text="程序按此代码读取定额，不要修改")
    name = models.CharField("事项", max_length=100)
    subject = models.CharField("适用对象", max_length=100)
    minimum = models.DecimalField(
        "最低要求", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField("单位", max_length=20)
    period = models.CharField("周期", max_length=10, choices=Period.choices)
    source = models.CharField("依据", max_length=300, help_text="文件名称和条款")
    notes = models.CharField("说明", max_length=300, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "定额规则"
        verbose_name_plural = "定额规则"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(minimum__gte=0), name="quota_minimum_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.subject}）：{self.get_period_display()}不少于 {self.minimum_display} {self.unit}"

    @property
    def minimum_display(self) -> str:
        return plain_number(self.minimum)
