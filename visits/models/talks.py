"""谈心谈话 (seed 002 四、与干部群众谈心制度): “谈心活动可采取个别谈话、集体座谈、随机交流等多种形式”;
“各位党员领导干部与干部群众每年至少开展2次谈心活动，村党组织负责人每年要与所属党员至少进行2次谈心谈话”
(QuotaRule "talks-leader", "talks-village-secretary")."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible

SUMMARY_MAX = 2000
# 集体座谈: a meeting of a whole village's members is a few hundred people at the very most.
MAX_PARTICIPANTS = 500


class Talk(models.Model):
    class Form(models.TextChoices):
        INDIVIDUAL = "individual", "个别谈话"
        GROUP = "group", "集体座谈"
        CASUAL = "casual", "随机交流"

    leader = models.ForeignKey(
        "members.PartyMember", verbose_name="谈话人", on_delete=models.PROTECT, related_name="talks"
    )
    form = models.CharField("形式", max_length=12, choices=Form.choices, default=Form.INDIVIDUAL)
    talked_on = models.DateField("日期", validators=[plausible("event")])
    counterpart = models.CharField(
        "谈话对象", max_length=100, help_text="个别谈话填姓名和身份；集体座谈填对象，如“三组党员”"
    )
    participants = models.PositiveSmallIntegerField(
        "参加人数",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTICIPANTS)],
        help_text="集体座谈填写",
    )
    place = models.CharField("地点", max_length=100, blank=True)
    summary = models.TextField(
        "谈话内容", max_length=SUMMARY_MAX, validators=[MaxLengthValidator(SUMMARY_MAX)]
    )
    follow_up = models.CharField("需要帮助解决的问题", max_length=300, blank=True)
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "谈心谈话"
        verbose_name_plural = "谈心谈话"
        ordering = ["-talked_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=["individual", "group", "casual"]), name="talk_form_known"
            ),
            models.CheckConstraint(
                condition=Q(participants__isnull=True)
                | Q(participants__gte=1, participants__lte=MAX_PARTICIPANTS),
                name="talk_participants_sane",
                violation_error_message=f"参加人数应在 1 至 {MAX_PARTICIPANTS} 之间。",
            ),
        ]
        indexes = [
            models.Index(fields=["leader", "talked_on"], name="talk_leader_date"),
            models.Index(fields=["-talked_on", "-id"], name="talk_date"),
        ]

    def __str__(self) -> str:
        return f"{self.talked_on:%Y-%m-%d} {self.get_form_display()}：{self.counterpart}"
