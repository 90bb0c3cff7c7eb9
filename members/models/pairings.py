"""结对帮扶 (002 二、结对帮扶制度; 000 第九、十条): one or more members with one household.

一帮一 is one member with one household, 多帮一 several members with one household, 一帮多 one member in
several pairings. A pairing is meant to last at least 2 years with at least 2 visits a year; both
numbers are QuotaRule rows ("pairing-duration", "pairing-visits"), not constants here.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible


class Pairing(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "帮扶中"
        ENDED = "ended", "已结束"

    household = models.ForeignKey(
        "liaison.Household", verbose_name="结对户", on_delete=models.PROTECT, related_name="pairings"
    )
    members = models.ManyToManyField(
        "members.PartyMember", verbose_name="帮扶党员", through="PairingMember", related_name="pairings"
    )
    # Copies of the household's village and sort key, so the list is scoped and sorted without joining
    # the district's households; kept equal to the household's by members.pairing_place.
    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="结对户所在村（社区）",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    household_sort_key = models.CharField(max_length=255, editable=False, blank=True)
    start_date = models.DateField("结对时间", validators=[plausible("start")])
    planned_end = models.DateField(
        "计划结束", validators=[plausible("plan")], null=True, blank=True, help_text="留空表示长期联系"
    )
    help_content = models.TextField(
        "帮扶内容", help_text="党员能帮什么，会印在党群连心卡上，如“柑橘种植技术、代办医保”"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField("实际结束", validators=[plausible("event")], null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=200, blank=True)
    notes = models.TextField("备注", blank=True)
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gt=F("start_date")),
                name="pairing_planned_end_after_start",
                violation_error_message="计划结束日期必须晚于结对时间。",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_date")),
                name="pairing_ended_after_start",
                violation_error_message="实际结束日期不能早于结对时间。",
            ),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(ended_on__isnull=True))
                | (Q(status="ended") & Q(ended_on__isnull=False)),
                name="pairing_status_matches_end",
                violation_error_message="已结束的结对须填写实际结束日期；帮扶中的结对不能有结束日期。",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "status"], name="pairing_household_status"),
            models.Index(fields=["organisation", "status", "household_sort_key"], name="pairing_place"),
        ]

    def __str__(self) -> str:
        return f"结对：{self.household}"

    def save(self, *args, **kwargs) -> None:
        from members.pairing_place import take_place

        take_place(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "organisation", "household_sort_key"}
        super().save(*args, **kwargs)


class PairingMember(models.Model):
    pairing = models.ForeignKey(
        Pairing, verbose_name="结对帮扶", on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(
        "members.PartyMember",
        verbose_name="党员",
        on_delete=models.PROTECT,
        related_name="pairing_memberships",
    )

    class Meta:
        verbose_name = "结对党员"
        verbose_name_plural = "结对党员"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "member"], name="pairing_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ↔ {self.pairing_id}"
