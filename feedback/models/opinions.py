"""Opinion (群众意见): every column of the 登记簿 (附件4) plus channel, organisation, 责任人 and 经办人."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q

from feedback import rules
from feedback.rules import Category
from feedback.states import OPEN, State
from liaison.models import Organisation
from liaison.safeguards.dates import plausible
from liaison.text.pinyin import KEY_LENGTH, initials
from liaison.validators import validate_phone


class Channel(models.TextChoices):
    """How the opinion came in (004 接待制度 三、接待方式; 入户走访制度 四; DESIGN.md "Opinion")."""

    RECEPTION = "reception", "接待"
    VISIT = "visit", "走访"
    OPINION_BOX = "opinion_box", "意见箱"
    SECRETARY_MAILBOX = "secretary_mailbox", "书记信箱"
    EMAIL = "email", "电子邮箱"
    HOTLINE = "hotline", "热线电话"
    REPORT_LINE = "report_line", "举报电话"
    PHONE = "phone", "电话、短信"
    LETTER = "letter", "信函"
    MEETING = "meeting", "座谈会"
    TALK = "talk", "群众说事"
    ONLINE = "online", "网络"
    OTHER = "other", "其他"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class FeedbackMethod(models.TextChoices):
    """004 “1234”制度 二、反馈的方式: 个别反馈 by 信函、电话、电子邮件、登门拜访; or 公开、集中反馈."""

    IN_PERSON = "in_person", "登门拜访、当面反馈"
    PHONE = "phone", "电话"
    LETTER = "letter", "信函"
    EMAIL = "email", "电子邮件"
    PUBLIC = "public", "公开反馈（公告、党务公开栏、座谈会等）"


class OpinionQuerySet(models.QuerySet):
    """The deadline conditions, defined once: as filters here, and as Q for aggregates (deadline_board)."""

    @staticmethod
    def is_pending() -> Q:
        """Not yet answered to the reporter: the deadline still runs."""
        return Q(feedback_on__isnull=True) & ~Q(state=State.CLOSED)

    @staticmethod
    def is_overdue(today: datetime.date) -> Q:
        return OpinionQuerySet.is_pending() & Q(due_date__lt=today)

    @staticmethod
    def is_due_soon(today: datetime.date) -> Q:
        """30% or less of the time left, not yet late (rules.due_soon_from is stored on save)."""
        return OpinionQuerySet.is_pending() & Q(due_soon_from__lte=today, due_date__gte=today)

    def pending(self) -> OpinionQuerySet:
        return self.filter(self.is_pending())

    def overdue(self, today: datetime.date) -> OpinionQuerySet:
        return self.filter(self.is_overdue(today))

    def due_soon(self, today: datetime.date) -> OpinionQuerySet:
        return self.filter(self.is_due_soon(today))

    def needing_reminder(self, today: datetime.date) -> OpinionQuerySet:
        return self.pending().filter(
            due_date__lte=today + datetime.timedelta(days=rules.REMINDER_WITHIN_DAYS)
        )


# The longest 反映问题的主要内容, 处理意见 and 办理结果: a 2,000-character 办理结果 already fills five
# 反馈单 sheets (the parts continue on 续页); anything longer belongs in a letter, not on the slip.
OPINION_TEXT_MAX = 2000


def _text_max() -> list:
    return [MaxLengthValidator(OPINION_TEXT_MAX)]


class Opinion(models.Model):
    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="受理党组织", on_delete=models.PROTECT, related_name="opinions"
    )
    year = models.PositiveSmallIntegerField("年度", editable=False)
    number = models.PositiveIntegerField("序号", editable=False, help_text="按受理党组织和年度连续编号")
    received_on = models.DateField("反映时间", validators=[plausible("event")])
    # 转报上级 (Transfer): the organisation above that now holds the opinion, and the day it signed for
    # it; its 20 days run from that day (004 “1234”制度 三). Always an ancestor of `organisation`, so
    # the holder's subtree already holds the opinion: scoping needs no second condition.
    holder = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="转报至（承办党组织）",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="held_opinions",
    )
    holder_received_on = models.DateField("上级签收时间", null=True, blank=True, editable=False)
    channel = models.CharField("反映渠道", max_length=20, choices=Channel.choices)
    reporter_name = models.CharField("反映人姓名", max_length=50)
    # "zs", "zhang", "zhangsan" find 张三 (liaison.text.pinyin); kept by save().
    reporter_initials = models.CharField(
        "反映人拼音检索键", max_length=KEY_LENGTH, editable=False, blank=True
    )
    reporter_address = models.CharField("家庭住址", max_length=200, blank=True)
    reporter_phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    subject = models.CharField(
        "事由",
        max_length=60,
        help_text="一句话概括，打印在交办单、反馈单的“反映的……一事”处，如“三组机耕道损毁”",
    )
    content = models.TextField(
        "反映问题的主要内容",
        max_length=OPINION_TEXT_MAX,
        validators=_text_max(),
        help_text="事由、原因、请求“三明确”",
    )
    category = models.PositiveSmallIntegerField("类别", choices=Category.choices)
    deadline_mode = models.CharField(
        "期限计算方式",
        max_length=10,
        choices=list(rules.CALENDAR_MODES.items()),
        editable=False,
        default=rules.CALENDAR_DAYS,
    )
    original_due_date = models.DateField("原定办理时限", editable=False)
    due_date = models.DateField("办理时限", editable=False, help_text="批准延期后为延期后的时限")
    due_date_provisional = models.BooleanField(
        "时限暂定",
        default=False,
        editable=False,
        help_text="计算时所需年份的节假日安排尚未录入，暂按常规周末计算；录入后自动重算",
    )
    due_soon_from = models.DateField("临期起始日", editable=False)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_opinion = models.TextField(
        "处理意见", max_length=OPINION_TEXT_MAX, validators=_text_max(), blank=True
    )
    result = models.TextField("办理结果", max_length=OPINION_TEXT_MAX, validators=_text_max(), blank=True)
    result_on = models.DateField("办结时间", validators=[plausible("event")], null=True, blank=True)
    feedback_contact = models.CharField("联系人", max_length=50, blank=True, help_text="印在反馈单上")
    feedback_phone = models.CharField(
        "联系电话（反馈单）", max_length=20, blank=True, validators=[validate_phone], help_text="印在反馈单上"
    )
    feedback_on = models.DateField("反馈本人时间", validators=[plausible("event")], null=True, blank=True)
    feedback_method = models.CharField("反馈方式", max_length=12, choices=FeedbackMethod.choices, blank=True)
    feedback_signer = models.CharField("《反馈单》签收人", max_length=50, blank=True)
    satisfaction = models.CharField("是否满意", max_length=12, choices=Satisfaction.choices, blank=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.REGISTERED)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    remarks = models.CharField("备注", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = "群众意见"
        verbose_name_plural = "群众意见"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "number"], name="opinion_unique_number"),
            models.CheckConstraint(
                condition=Q(category__gte=1) & Q(category__lte=4), name="opinion_category_1234"
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("received_on")) & Q(original_due_date__gte=F("received_on")),
                name="opinion_due_not_before_receipt",
                violation_error_message="办理时限不能早于反映时间。",
            ),
            models.CheckConstraint(
                condition=Q(result_on__isnull=True) | Q(result_on__gte=F("received_on")),
                name="opinion_result_not_before_receipt",
                violation_error_message="办结时间不能早于反映时间。",
            ),
            models.CheckConstraint(
                condition=Q(feedback_on__isnull=True) | Q(feedback_on__gte=F("received_on")),
                name="opinion_feedback_not_before_receipt",
                violation_error_message="反馈本人时间不能早于反映时间。",
            ),
            models.CheckConstraint(
                condition=Q(feedback_on__isnull=True)
                | Q(result_on__isnull=True)
                | Q(feedback_on__gte=F("result_on")),
                name="opinion_feedback_not_before_result",
                violation_error_message="反馈本人时间不能早于办结时间。",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.CLOSED)
                | (
                    Q(feedback_on__isnull=False)
                    & ~Q(feedback_signer="")
                    & ~Q(satisfaction="")
                    & ~Q(result="")
                ),
                name="opinion_closed_only_with_feedback",
                violation_error_message="尚未记录反馈（反馈时间、签收人、是否满意），不能销号。",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "received_on"], name="opinion_org_received"),
            models.Index(fields=["received_on"], name="opinion_received"),
            models.Index(fields=["state"], name="opinion_state"),
            models.Index(
                fields=["due_date"], condition=Q(feedback_on__isnull=True), name="opinion_pending_due"
            ),
            models.Index(
                fields=["due_soon_from"],
                condition=Q(feedback_on__isnull=True),
                name="opinion_pending_due_soon",
            ),
            models.Index(fields=["reporter_name"], name="opinion_reporter"),
            models.Index(fields=["reporter_initials"], name="opinion_reporter_initials"),
            models.Index(fields=["holder"], condition=Q(holder__isnull=False), name="opinion_holder"),
        ]

    def __str__(self) -> str:
        return f"{self.number_display} {self.reporter_name}：{self.subject}"

    def save(self, *args, **kwargs) -> None:
        self.reporter_initials = initials(self.reporter_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "reporter_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "reporter_initials"}
        super().save(*args, **kwargs)

    @property
    def number_display(self) -> str:
        return f"{self.year}年第{self.number}号" if self.number else "（未编号）"

    @property
    def handling_organisation(self) -> Organisation:
        """Who handles and answers it: the organisation above after 转报上级, else the receiving one."""
        return self.holder if self.holder_id else self.organisation

    @property
    def deadline_from(self) -> datetime.date:
        """The day the 1234 period runs from: the holder's own receipt after 转报上级 (004 “1234”制度 三:
        上一级党组织应在收到反映问题之日起20天内办结), else the first receipt."""
        return self.holder_received_on or self.received_on

    @property
    def is_transferred(self) -> bool:
        return self.holder_id is not None

    @property
    def category_short(self) -> str:
        return rules.SHORT_LABELS[self.category]

    @property
    def due_is_provisional(self) -> bool:
        """The 1234 date was counted over a year missing from the work calendar (an approved date is not)."""
        return self.due_date_provisional and not self.is_extended

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == State.CLOSED

    @property
    def is_pending(self) -> bool:
        return self.feedback_on is None and not self.is_closed

    @property
    def is_extended(self) -> bool:
        return self.due_date != self.original_due_date

    @property
    def has_feedback(self) -> bool:
        return bool(self.feedback_on and self.feedback_signer and self.satisfaction)

    def days_left(self, today: datetime.date) -> int:
        return rules.days_left(self.due_date, today)

    def deadline_status(self, today: datetime.date) -> str:
        """ "overdue", "due_soon", "running", "on_time" or "late" (answered after the due date)."""
        if self.feedback_on:
            return "on_time" if rules.on_time(self.due_date, self.feedback_on) else "late"
        if self.is_closed:
            return "on_time"
        if rules.is_overdue(self.due_date, today):
            return "overdue"
        if self.due_soon_from <= today:
            return "due_soon"
        return "running"
