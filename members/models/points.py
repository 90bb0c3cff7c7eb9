"""联系点 (003《干部、党员联系群众、服务群众制度》 1.): a leader keeps 1–3 points — villages, units or
research institutes — and contacts each "一般平均每月不少于1次" (QuotaRule "liaison-point-contacts")."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible


class LiaisonPoint(models.Model):
    leader = models.ForeignKey(
        "members.PartyMember",
        verbose_name="领导干部",
        on_delete=models.PROTECT,
        related_name="liaison_points",
    )
    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="联系点",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="村（社区）、单位或研究所的党组织",
    )
    started_on = models.DateField("确定时间", validators=[plausible("start")])
    ended_on = models.DateField("撤销时间", validators=[plausible("event")], null=True, blank=True)
    focus = models.CharField("联系重点", max_length=200, blank=True)

    class Meta:
        verbose_name = "联系点"
        verbose_name_plural = "联系点"
        ordering = ["leader_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="liaison_point_ends_after_start",
                violation_error_message="撤销时间不能早于确定时间。",
            ),
            models.UniqueConstraint(
                fields=["leader", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="liaison_point_unique_active",
                violation_error_message="该领导干部已把这个党组织作为联系点。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {self.organisation}"


class LiaisonContact(models.Model):
    class Method(models.TextChoices):
        VISIT = "visit", "实地走访"
        RESEARCH = "research", "调查研究"
        MEETING = "meeting", "座谈指导"
        PHONE = "phone", "电话联系"
        OTHER = "other", "其他"

    point = models.ForeignKey(
        LiaisonPoint, verbose_name="联系点", on_delete=models.CASCADE, related_name="contacts"
    )
    date = models.DateField("日期", validators=[plausible("event")])
    method = models.CharField("方式", max_length=10, choices=Method.choices, default=Method.VISIT)
    content = models.CharField("联系内容", max_length=300)
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "联系记录"
        verbose_name_plural = "联系记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["point", "date"], name="liaisoncontact_point_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.content}"
