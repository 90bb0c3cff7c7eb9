"""联系帮扶 (004《机关、企事业单位、“两新”组织党组织及党员联系帮扶群众工作制度》 三): four kinds.

- 支部联线: a 机关/企事业单位 party organisation with a village or community organisation (≥ 2 实事好事 a year);
- 党员结对: one or more members with one poor household (≥ 500 元 帮扶资金 a year);
- 工农联姻: a "两新" organisation with a village organisation or a member (≥ 2 a year);
- 社团牵手: a mass organisation with a community organisation or a member (≥ 2 a year).

Each keeps records per year. `area` is the village or community that is helped (the target itself, the
household's village, or the member's village): scoping and coverage read it, the service sets it.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible


class UnitPairing(models.Model):
    class Kind(models.TextChoices):
        LIAISON_LINE = "line", "支部联线"
        MEMBER_PAIRING = "member", "党员结对"
        WORKER_FARMER = "marriage", "工农联姻"
        HAND_IN_HAND = "hand", "社团牵手"

    class Status(models.TextChoices):
        ACTIVE = "active", "帮扶中"
        ENDED = "ended", "已结束"

    # Which QuotaRule measures each kind, and whether it counts records (件) or money (元).
    QUOTA_CODES = {
        Kind.LIAISON_LINE: "unit-liaison-line",
        Kind.MEMBER_PAIRING: "unit-member-pairing-funds",
        Kind.WORKER_FARMER: "unit-worker-farmer",
        Kind.HAND_IN_HAND: "unit-hand-in-hand",
    }
    MONEY_KINDS = frozenset({Kind.MEMBER_PAIRING})

    kind = models.CharField("帮扶方式", max_length=10, choices=Kind.choices)
    helper_organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="帮扶方党组织", on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        "members.PartyMember", verbose_name="结对党员", blank=True, related_name="unit_pairings"
    )
    target_organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="受帮扶党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_household = models.ForeignKey(
        "liaison.Household",
        verbose_name="受帮扶贫困户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_pairings",
    )
    target_member = models.ForeignKey(
        "members.PartyMember",
        verbose_name="受帮扶党员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helped_by_units",
    )
    area = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="受帮扶村（社区）",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    start_date = models.DateField("开始时间", validators=[plausible("start")])
    planned_end = models.DateField(
        "计划结束", validators=[plausible("plan")], null=True, blank=True, help_text="留空表示长期"
    )
    content = models.TextField("帮扶内容", blank=True, help_text="资金、项目、技术、信息等（004 二）")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField("实际结束", validators=[plausible("event")], null=True, blank=True)
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "联系帮扶"
        verbose_name_plural = "联系帮扶"
        ordering = ["kind", "-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="line",
                        target_organisation__isnull=False,
                        target_household__isnull=True,
                        target_member__isnull=True,
                    )
                    | Q(
                        kind="member",
                        target_household__isnull=False,
                        target_organisation__isnull=True,
                        target_member__isnull=True,
                    )
                    | (
                        Q(kind__in=["marriage", "hand"], target_household__isnull=True)
                        & (
                            Q(target_organisation__isnull=False, target_member__isnull=True)
                            | Q(target_organisation__isnull=True, target_member__isnull=False)
                        )
                    )
                ),
                name="unit_pairing_target_matches_kind",
                violation_error_message="受帮扶对象与帮扶方式不符。",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gt=F("start_date")),
                name="unit_pairing_planned_end_after_start",
                violation_error_message="计划结束日期必须晚于开始时间。",
            ),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(ended_on__isnull=True))
                | (Q(status="ended") & Q(ended_on__isnull=False)),
                name="unit_pairing_status_matches_end",
                violation_error_message="已结束的须填写实际结束日期；帮扶中的不能有结束日期。",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_date")),
                name="unit_pairing_ended_after_start",
                violation_error_message="实际结束日期不能早于开始时间。",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "target_organisation"], name="unitpairing_kind_target"),
            models.Index(fields=["area", "kind"], name="unitpairing_area_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.helper_organisation} → {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.target_household_id:
            return str(self.target_household)
        if self.target_member_id:
            return f"党员 {self.target_member}"
        return str(self.target_organisation)

    @property
    def counts_money(self) -> bool:
        return self.kind in self.MONEY_KINDS

    @property
    def quota_code(self) -> str:
        return self.QUOTA_CODES[self.kind]


class UnitPairingRecord(models.Model):
    """One 实事好事 or one payment: what was done, when, and the money or goods given."""

    pairing = models.ForeignKey(
        UnitPairing, verbose_name="联系帮扶", on_delete=models.CASCADE, related_name="records"
    )
    date = models.DateField("日期", validators=[plausible("event")])
    content = models.CharField("办了什么", max_length=300)
    money = models.DecimalField(
        "帮扶资金（元）", max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    goods = models.CharField(
        "捐赠物资", max_length=200, blank=True, help_text="物资名称和数量；不计入帮扶资金"
    )
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮扶记录"
        verbose_name_plural = "帮扶记录"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(money__gte=0),
                name="unit_record_money_not_negative",
                violation_error_message="帮扶资金不能为负数。",
            ),
        ]
        indexes = [models.Index(fields=["pairing", "date"], name="unitrecord_pairing_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.content}"
