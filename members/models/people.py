"""Party members (党员) and the posts they hold in organisations (书记, 班子成员, 党代会代表 …)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from liaison.safeguards.dates import plausible
from liaison.text.pinyin import KEY_LENGTH, initials
from liaison.validators import validate_id_number, validate_phone


class PartyMember(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class Category(models.TextChoices):
        FULL = "full", "正式党员"
        PROBATIONARY = "probationary", "预备党员"

    class Education(models.TextChoices):
        POSTGRADUATE = "postgraduate", "研究生"
        BACHELOR = "bachelor", "大学本科"
        COLLEGE = "college", "大学专科"
        SECONDARY = "secondary", "中专/高中"
        JUNIOR = "junior", "初中及以下"

    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField("姓名", max_length=50)
    name_initials = models.CharField(
        "拼音检索键", max_length=KEY_LENGTH, editable=False, blank=True, db_index=True
    )
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期", validators=[plausible("birth")], null=True, blank=True)
    join_date = models.DateField("入党时间", validators=[plausible("party_join")], null=True, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    id_number = models.CharField("身份证号", max_length=18, blank=True, validators=[validate_id_number])
    education = models.CharField("学历", max_length=16, choices=Education.choices, blank=True)
    title = models.CharField(
        "职务", max_length=50, blank=True, help_text="工作单位职务，如“村委会主任”“副镇长”"
    )
    category = models.CharField("党员类别", max_length=16, choices=Category.choices, default=Category.FULL)
    is_mobile = models.BooleanField("流动党员", default=False)
    mobile_location = models.CharField("流动去向", max_length=100, blank=True)
    household = models.ForeignKey(
        "liaison.Household",
        verbose_name="所在户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_members",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_member",
    )

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["organisation_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~models.Q(id_number=""),
                name="member_unique_id_number",
                violation_error_message="该身份证号已登记为党员。",
            ),
            models.CheckConstraint(
                condition=Q(join_date__isnull=True)
                | Q(birth_date__isnull=True)
                | Q(join_date__gt=models.F("birth_date")),
                name="member_joined_after_birth",
                violation_error_message="入党时间必须晚于出生日期。",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "name"], name="member_org_name"),
            models.Index(fields=["name", "birth_date"], name="member_name_birth"),
            models.Index(fields=["phone"], name="member_phone"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_initials = initials(self.name)
        super().save(*args, **kwargs)


class Position(models.Model):
    """A post held in an organisation, with dates: 书记, 副书记, 班子成员, 委员, 党代会代表."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", "书记"
        DEPUTY_SECRETARY = "deputy", "副书记"
        LEADERSHIP = "leadership", "班子成员"
        COMMITTEE = "committee", "委员"
        DELEGATE = "delegate", "党代会代表"

    # Who counts as a leader (领导班子成员) for the pairing quota of 002 二.
    LEADERSHIP_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.LEADERSHIP, Role.COMMITTEE)

    member = models.ForeignKey(
        PartyMember, verbose_name="党员", on_delete=models.CASCADE, related_name="positions"
    )
    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="任职党组织", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("职务", max_length=16, choices=Role.choices)
    start_date = models.DateField("任职时间", validators=[plausible("start")])
    end_date = models.DateField("离任时间", validators=[plausible("plan")], null=True, blank=True)

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["member_id", "-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
                violation_error_message="离任时间不能早于任职时间。",
            ),
        ]
        indexes = [models.Index(fields=["role", "end_date"], name="position_role_end")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_role_display()}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or datetime.date.today()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)
