"""What happens to an opinion: 交办单 (附件2), 催办/督办, 延期, 包案 (五个一)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible
from liaison.validators import validate_phone


class Assignment(models.Model):
    """群众意见交办单: the opinion handed to a unit to handle or assist, numbered "（2026）年第 N 号"."""

    class Role(models.TextChoices):
        HANDLE = "handle", "办理"
        ASSIST = "assist", "协助"

    opinion = models.ForeignKey(
        "feedback.Opinion", verbose_name="群众意见", on_delete=models.PROTECT, related_name="assignments"
    )
    issuing_organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="交办单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度", editable=False)
    number = models.PositiveIntegerField("编号", editable=False)
    unit = models.ForeignKey(
        "liaison.Organisation", verbose_name="承办单位", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField("办理方式", max_length=8, choices=Role.choices, default=Role.HANDLE)
    issued_on = models.DateField("交办日期", validators=[plausible("event")])
    due_date = models.DateField(
        "办理期限", validators=[plausible("plan")], help_text="望在此日前办理完毕，并回复"
    )
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20, validators=[validate_phone])
    received_by = models.CharField("收件人签字", max_length=50, blank=True)
    received_on = models.DateField("签收时间", validators=[plausible("event")], null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="交办人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "交办单"
        verbose_name_plural = "交办单"
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_organisation", "year", "number"], name="assignment_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("issued_on")),
                name="assignment_due_not_before_issue",
                violation_error_message="办理期限不能早于交办日期。",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("issued_on")),
                name="assignment_receipt_not_before_issue",
                violation_error_message="签收时间不能早于交办日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"交办单（{self.year}）年第{self.number}号"

    @property
    def number_display(self) -> str:
        return f"（{self.year}）年第 {self.number} 号"

    @property
    def is_received(self) -> bool:
        return bool(self.received_on)


class Urge(models.Model):
    """催办/督办 (004 “1234”制度 一: 党组织书记要及时查看，对未办结事项及时催办、督办)."""

    class Kind(models.TextChoices):
        URGE = "urge", "催办"
        SUPERVISE = "supervise", "督办"

    opinion = models.ForeignKey(
        "feedback.Opinion", verbose_name="群众意见", on_delete=models.CASCADE, related_name="urges"
    )
    kind = models.CharField("方式", max_length=10, choices=Kind.choices, default=Kind.URGE)
    note = models.TextField("催办督办意见")
    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="催办督办单位",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="催办督办人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    urged_at = models.DateTimeField("时间")
    answer = models.TextField("回复", blank=True)
    answered_by = recorded_by("回复人")
    answered_at = models.DateTimeField("回复时间", null=True, blank=True)

    class Meta:
        verbose_name = "催办督办"
        verbose_name_plural = "催办督办"
        ordering = ["urged_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=F("urged_at")),
                name="urge_answer_after_urge",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.note[:20]}"


class Extension(models.Model):
    """延期: asked by the handler, decided by the organisation above; both dates stay on the record."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    opinion = models.ForeignKey(
        "feedback.Opinion", verbose_name="群众意见", on_delete=models.CASCADE, related_name="extensions"
    )
    reason = models.TextField("延期理由")
    previous_due_date = models.DateField("原办理时限")
    requested_due_date = models.DateField("申请延至", validators=[plausible("plan")])
    status = models.CharField("审批结果", max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间")
    decided_by = recorded_by("审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_due_date__gt=F("previous_due_date")),
                name="extension_later_than_before",
                violation_error_message="申请延至的日期应晚于原办理时限。",
            ),
            models.UniqueConstraint(
                fields=["opinion"],
                condition=Q(status="pending"),
                name="extension_one_pending",
                violation_error_message="该意见已有一项待审批的延期申请。",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="extension_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"延期至 {self.requested_due_date:%Y-%m-%d}（{self.get_status_display()}）"

    @property
    def extra_days(self) -> int:
        return (self.requested_due_date - self.previous_due_date).days


class CaseOwnership(models.Model):
    """包案 for 信访突出问题, "五个一" (seed 002 三、定期接待群众来访制度): 一个问题、一名领导、一套班子、
    一个方案、一包到底."""

    opinion = models.OneToOneField(
        "feedback.Opinion", verbose_name="群众意见", on_delete=models.CASCADE, related_name="case"
    )
    leader_name = models.CharField("包案领导", max_length=50)
    leader_title = models.CharField("职务", max_length=50, blank=True)
    team = models.TextField("工作班子", help_text="成员及分工")
    plan = models.TextField("化解方案")
    started_on = models.DateField("包案时间", validators=[plausible("event")])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "包案（五个一）"
        verbose_name_plural = "包案（五个一）"

    def __str__(self) -> str:
        return f"包案：{self.leader_name}"


class Transfer(models.Model):
    """转报上级: a category-2 opinion sent to the level above, which signs for it on its own day.

    004 “1234”制度 三: 属上一级党组织工作职责范围解决的问题，上一级党组织应在收到反映问题之日起20天内
    办结. The one below keeps the due date it had (`previous_due_date`); the one above's 20 days run
    from its own receipt (`received_on`) and are kept here as `due_date` (counted by rules.due_date).
    """

    opinion = models.ForeignKey(
        "feedback.Opinion", verbose_name="群众意见", on_delete=models.CASCADE, related_name="transfers"
    )
    from_organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="转报单位", on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="上级党组织",
        on_delete=models.PROTECT,
        related_name="transfers_received",
    )
    note = models.TextField("转报说明", max_length=1000)
    transferred_on = models.DateField("转报时间", validators=[plausible("event")])
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="转报人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous_due_date = models.DateField("转报前办理时限")
    received_on = models.DateField("上级签收时间", validators=[plausible("event")], null=True, blank=True)
    received_by = recorded_by("签收人")
    due_date = models.DateField("上级办理时限", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "转报上级"
        verbose_name_plural = "转报上级"
        ordering = ["transferred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("transferred_on")),
                name="transfer_receipt_not_before_transfer",
                violation_error_message="签收时间不能早于转报时间。",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(due_date__isnull=False),
                name="transfer_received_has_due_date",
            ),
            models.UniqueConstraint(
                fields=["opinion"],
                condition=Q(received_on__isnull=True),
                name="transfer_one_pending",
                violation_error_message="该意见已转报上级，正等待上级党组织签收。",
            ),
        ]

    def __str__(self) -> str:
        return f"转报上级（{self.transferred_on:%Y-%m-%d}）"

    @property
    def is_received(self) -> bool:
        return self.received_on is not None
