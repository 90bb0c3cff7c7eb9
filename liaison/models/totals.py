"""Stored per-organisation totals: what the dashboards add up over a subtree (issue #10).

Counting households and residents live made the 组织部's dashboard read 400,000 households and 1.4 M
residents on every visit (9.6 s, growing with the district). Each organisation's own totals are kept
here instead, recounted for that organisation in the same transaction as any write that changes them
(liaison/totals.py), so a dashboard sums at most a few hundred rows whatever the district's size.
They are derived data: never edited by hand, rebuilt by `manage.py rebuild_totals`.
"""

from __future__ import annotations

from django.db import models


class OrganisationTotals(models.Model):
    """One organisation's own active households and residents (not its subtree's: a subtree's totals are
    the sum of its organisations' rows). Archived households and residents are not counted, like every
    list and count of the application."""

    organisation = models.OneToOneField(
        "liaison.Organisation",
        verbose_name="党组织",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="totals",
    )
    households = models.PositiveIntegerField("登记户数", default=0)
    households_with_away = models.PositiveIntegerField("有外出人员的户", default=0)
    residents = models.PositiveIntegerField("家庭成员", default=0)
    party_residents = models.PositiveIntegerField("家庭成员中的党员", default=0)

    class Meta:
        verbose_name = "党组织统计数"
        verbose_name_plural = "党组织统计数"

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.households} 户"


class OrganisationTagTotal(models.Model):
    """How many of an organisation's active households carry a tag (重点户 on the dashboard)."""

    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="党组织", on_delete=models.CASCADE, related_name="tag_totals"
    )
    tag = models.ForeignKey(
        "liaison.HouseholdTag", verbose_name="标签", on_delete=models.CASCADE, related_name="totals"
    )
    households = models.PositiveIntegerField("户数")

    class Meta:
        verbose_name = "党组织标签户数"
        verbose_name_plural = "党组织标签户数"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "tag"], name="tag_total_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.tag_id}: {self.households} 户"
