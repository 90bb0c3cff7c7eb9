"""Gapless numbers per organisation, year and kind (opinions, 交办单 "（2026）年第 N 号" …)."""

from __future__ import annotations

from django.db import models


class Sequence(models.Model):
    organisation = models.ForeignKey("liaison.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind"], name="sequence_unique_org_year_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}/{self.kind}: {self.last}"
