"""Receptions (接待群众): the scheduled, published reception half-days (接待日, the 三公开) and each
reception as the 党组织书记接待群众登记表 (附件1) records it.

Source: 巴南委办发〔2008〕43号《三级党组织书记定期接待群众工作制度（试行）》(seeds/004) 二、接待时间,
三、接待方式, 四、接待程序 and 附件1; seed 002 八、县党代会代表直接联系群众制度 for the delegates' half-days.
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible
from liaison.text.pinyin import KEY_LENGTH, initials
from liaison.validators import validate_phone

# The oldest visitor the register takes: a typing slip (200, 1985) is refused, not printed.
VISITOR_AGE_MAX = 120
# 来访情况 may run to several pages of the register (it flows onto 续页); the other boxes are shorter.
ACCOUNT_TEXT_MAX = 3000
RECEPTION_TEXT_MAX = 1000
# 原因 and 请求 each: with the 事由 (60) and their labels they fit the Opinion's 2,000-character
# 反映问题的主要内容 whole, so the opinion a reception opens carries the 三明确 unabridged.
PROBLEM_PART_MAX = 900


class HalfDay(models.TextChoices):
    """004 二: 每次不少于半天."""

    MORNING = "am", "上午"
    AFTERNOON = "pm", "下午"


# The usual hours of each half-day, offered when a session is proposed (a person may change them).
HALF_DAY_HOURS: dict[str, tuple[datetime.time, datetime.time]] = {
    HalfDay.MORNING: (datetime.time(9, 0), datetime.time(12, 0)),
    HalfDay.AFTERNOON: (datetime.time(14, 30), datetime.time(17, 30)),
}


class PlaceKind(models.TextChoices):
    """004 三、接待方式 (and 002 八 for the delegates' 工作室)."""

    PETITION_OFFICE = "petition_office", "信访接待室"
    SERVICE_CENTRE = "service_centre", "便民服务中心"
    RECEPTION_ROOM = "reception_room", "群众接待室"
    MARKET = "market", "场镇集市（赶场日）"
    COURTYARD = "courtyard", "院坝、田间、地头"
    DELEGATE_STUDIO = "delegate_studio", "党代会代表工作室"
    OTHER = "other", "其他地点"


class SessionKind(models.TextChoices):
    SECRETARY = "secretary", "书记接待"
    MEMBER = "member", "班子成员轮流接待"
    DELEGATE = "delegate", "党代会代表接待"


class SessionStatus(models.TextChoices):
    DRAFT = "draft", "拟定"
    PUBLISHED = "published", "已公布"
    HELD = "held", "已接待"
    MISSED = "missed", "未按期接待"


class ReceptionSessionQuerySet(models.QuerySet):
    def published(self) -> ReceptionSessionQuerySet:
        """What the public sees: published, and what was published and then held or missed."""
        return self.exclude(status=SessionStatus.DRAFT)


class ReceptionSession(models.Model):
    """A scheduled reception half-day (接待日): time, place and phone published (三公开)."""

    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="reception_sessions",
    )
    kind = models.CharField("接待类型", max_length=10, choices=SessionKind.choices)
    date = models.DateField("接待日期", validators=[plausible("plan")])
    half_day = models.CharField("时段", max_length=2, choices=HalfDay.choices)
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")
    place_kind = models.CharField("接待方式", max_length=20, choices=PlaceKind.choices)
    place = models.CharField(
        "接待地点", max_length=100, help_text="如“界石镇信访接待室”“桂花村场镇农贸市场旁”"
    )
    receiver = models.ForeignKey(
        "members.PartyMember", verbose_name="接待人", on_delete=models.PROTECT, related_name="+"
    )
    receiver_title = models.CharField("职务", max_length=50, help_text="公布在接待日程上，如“村党委书记”")
    phone = models.CharField(
        "联系电话",
        max_length=20,
        validators=[validate_phone],
        help_text="对外公布的接待电话（办公电话），不要填个人手机",
    )
    status = models.CharField(
        "状态", max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True, editable=False)
    published_by = recorded_by("公布人")
    outcome_note = models.CharField(
        "情况说明", max_length=300, blank=True, help_text="未按期接待的原因，或接待情况的简要说明"
    )
    created_by = recorded_by("拟定人")
    created_at = models.DateTimeField("拟定时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = ReceptionSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "接待日"
        verbose_name_plural = "接待日"
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["receiver", "date", "half_day"],
                name="reception_session_receiver_half_day",
                violation_error_message="该接待人在这个时段已安排了接待，不能重复安排。",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="reception_session_ends_after_start",
                violation_error_message="结束时间应晚于开始时间。",
            ),
            models.CheckConstraint(
                condition=Q(status=SessionStatus.DRAFT) | Q(published_at__isnull=False),
                name="reception_session_published_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "date"], name="reception_session_org_date"),
            models.Index(fields=["date", "status"], name="reception_session_date_status"),
            models.Index(fields=["receiver", "date"], name="reception_session_receiver"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}{self.get_half_day_display()} {self.receiver_title}{self.receiver}"

    @property
    def is_draft(self) -> bool:
        return self.status == SessionStatus.DRAFT

    @property
    def time_display(self) -> str:
        return f"{self.start_time:%H:%M}—{self.end_time:%H:%M}"


class Handling(models.TextChoices):
    """附件1 办理情况, the four rows (004 四、接待程序 三是问题处理 “七要”)."""

    ON_SITE = "on_site", "现场办理"
    DEADLINE = "deadline", "限期办理"
    EXPLAIN = "explain", "解释说明"
    REFER = "refer", "转有关部门办理"


# Not settled on the spot: the reception becomes an Opinion in the 1234 loop (DESIGN.md "Apps").
UNSETTLED = (Handling.DEADLINE, Handling.REFER)


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


def _max(limit: int) -> list:
    return [MaxLengthValidator(limit)]


class Reception(models.Model):
    """One reception, box by box as 附件1 党组织书记接待群众登记表."""

    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="党组织", on_delete=models.PROTECT, related_name="receptions"
    )
    session = models.ForeignKey(
        ReceptionSession,
        verbose_name="接待日",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receptions",
        help_text="不选则为临时接待（如赶赴现场接待突发事件）",
    )
    received_on = models.DateField("时间", validators=[plausible("event")])
    receiver = models.ForeignKey(
        "members.PartyMember", verbose_name="接待人", on_delete=models.PROTECT, related_name="+"
    )
    receiver_title = models.CharField("职务", max_length=50)
    visitor_name = models.CharField("姓名", max_length=50)
    visitor_initials = models.CharField("姓名拼音检索键", max_length=KEY_LENGTH, editable=False, blank=True)
    visitor_gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    visitor_age = models.PositiveSmallIntegerField(
        "年龄",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(VISITOR_AGE_MAX)],
    )
    visitor_address = models.CharField("家庭住址", max_length=200, blank=True)
    visitor_phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    account = models.TextField(
        "来访情况", max_length=ACCOUNT_TEXT_MAX, validators=_max(ACCOUNT_TEXT_MAX), blank=True
    )
    # 004 四 二是热情接待: 做到事由、原因、请求“三明确”.
    matter = models.CharField("事由", max_length=60, help_text="一句话概括，如“三组机耕道垮塌”")
    cause = models.TextField("原因", max_length=PROBLEM_PART_MAX, validators=_max(PROBLEM_PART_MAX))
    request = models.TextField("请求", max_length=PROBLEM_PART_MAX, validators=_max(PROBLEM_PART_MAX))
    handling = models.CharField("办理情况", max_length=10, choices=Handling.choices)
    handling_note = models.TextField(
        "办理情况说明", max_length=RECEPTION_TEXT_MAX, validators=_max(RECEPTION_TEXT_MAX), blank=True
    )
    visitor_opinion = models.CharField("来访群众意见", max_length=300, blank=True)
    signed_on = models.DateField("签字日期", validators=[plausible("event")], null=True, blank=True)
    opinion = models.OneToOneField(
        "feedback.Opinion",
        verbose_name="转入的群众意见",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reception",
    )
    created_by = recorded_by("登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "接待群众登记"
        verbose_name_plural = "接待群众登记"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visitor_age__isnull=True)
                | Q(visitor_age__gte=0, visitor_age__lte=VISITOR_AGE_MAX),
                name="reception_visitor_age_0_120",
                violation_error_message=f"年龄应在0至{VISITOR_AGE_MAX}岁之间。",
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(signed_on__gte=F("received_on")),
                name="reception_signed_not_before",
                violation_error_message="签字日期不能早于接待时间。",
            ),
            models.CheckConstraint(
                condition=Q(opinion__isnull=True) | Q(handling__in=[h.value for h in UNSETTLED]),
                name="reception_opinion_only_when_unsettled",
                violation_error_message="只有限期办理、转有关部门办理的接待才转为群众意见。",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "received_on"], name="reception_org_received"),
            models.Index(fields=["receiver", "received_on"], name="reception_receiver"),
            models.Index(fields=["visitor_name"], name="reception_visitor"),
            models.Index(fields=["visitor_initials"], name="reception_visitor_initials"),
            models.Index(fields=["visitor_phone"], name="reception_visitor_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d} {self.visitor_name}：{self.matter}"

    def save(self, *args, **kwargs) -> None:
        self.visitor_initials = initials(self.visitor_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "visitor_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "visitor_initials"}
        super().save(*args, **kwargs)

    @property
    def is_unsettled(self) -> bool:
        return self.handling in UNSETTLED

    @property
    def problem_text(self) -> str:
        """要求解决的主要问题 as the register prints it: the 三明确, each labelled."""
        return f"事由：{self.matter}\n原因：{self.cause}\n请求：{self.request}"


__all__ = [
    "ACCOUNT_TEXT_MAX",
    "Gender",
    "HALF_DAY_HOURS",
    "HalfDay",
    "Handling",
    "PlaceKind",
    "Reception",
    "ReceptionSession",
    "SessionKind",
    "SessionStatus",
    "UNSETTLED",
    "VISITOR_AGE_MAX",
]
