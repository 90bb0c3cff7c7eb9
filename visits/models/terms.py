"""届 (term) of a village's or community's 两委: the period over which 004 counts “每届入户走访辖区每户群众
家庭不少于6次” (QuotaRule "visits-village-committee-household"). Entered when the 两委 are elected."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible


class TermQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> TermQuerySet:
        """Terms that had begun by `day`; the newest per organisation is its current one."""
        return self.filter(elected_on__lte=day)


class Term(models.Model):
    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="terms"
    )
    name = models.CharField("届次", max_length=40, help_text="如“第十一届”")
    elected_on = models.DateField("换届选举日期", validators=[plausible("start")])
    ends_on = models.DateField(
        "届满日期", validators=[plausible("plan")], help_text="村（居）“两委”每届五年，填写应届满的日期"
    )
    notes = models.CharField("备注", max_length=200, blank=True)
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = "两委届期"
        verbose_name_plural = "两委届期"
        ordering = ["organisation_id", "-elected_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("elected_on")),
                name="term_ends_after_election",
                violation_error_message="届满日期必须晚于换届选举日期。",
            ),
            models.UniqueConstraint(
                fields=["organisation", "elected_on"],
                name="term_unique_start",
                violation_error_message="该村（社区）在这一天已有一届。",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-elected_on"], name="term_org_elected")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.name}（{self.elected_on:%Y.%m}—{self.ends_on:%Y.%m}）"
