"""Gapless numbers per organisation, year and kind (opinions, 交办单 "（2026）年第 N 号" …)."""

from __future__ import annotations

from django.db import models


class Sequence(models.Model):
    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="党组织", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("编号种类", max_length=30)
    last = models.PositiveIntegerField("已用到的号", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind"], name="sequence_unique_org_year_kind"
            )
        ]

    # What each kind numbers (feedback.services.common *_SEQUENCE), for the admin.
    KIND_NAMES = {"opinion": "群众意见", "assignment": "交办单"}

    def __str__(self) -> str:
        kind = self.KIND_NAMES.get(self.kind, self.kind)
        return f"{self.organisation}（{self.year}年）{kind}编号：已用到第 {self.last} 号"
