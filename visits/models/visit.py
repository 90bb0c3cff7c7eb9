"""Visit (入户走访), printed as the 民情日志 (seed 004 附件3).

A visit keeps the 八清楚 as they stood on the day (004 入户走访制度 四、一): the household's columns on
the visit itself, the family members (and for those working away, the second 八清楚) as VisitMember
rows. Later edits of the household never rewrite an old log: the printed 民情日志 reads only these.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible
from liaison.validators import validate_phone
from visits import rules

# 家访情况 is the booklet's big box; 3,000 characters flow over three 续页. Longer is a report, not a log.
SITUATION_MAX = 5000
# 要求解决的问题 becomes an Opinion's 反映问题的主要内容 (feedback OPINION_TEXT_MAX = 2000) when not settled.
TEXT_MAX = 2000


def _capped(limit: int) -> list:
    return [MaxLengthValidator(limit)]


class Handling(models.TextChoices):
    """附件3 “办理情况”: the four rows of the form, in their printed order."""

    ON_SITE = "on_site", "现场办理"
    DEADLINE = "deadline", "限期办理"
    EXPLAINED = "explained", "解释说明"
    REFERRED = "referred", "转有关部门办理"


# Not settled on the spot: the visit registers an Opinion in the 1234 loop in the same save.
CREATES_OPINION = (Handling.DEADLINE, Handling.REFERRED)


class Visit(models.Model):
    # Where the household lived on the day (its village or community): the scope of the visit, kept
    # with the log like the rest of the snapshot; lists filter on it with the date.
    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="所属村（社区）", on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "liaison.Household",
        verbose_name="被访户",
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,  # visit_household_date_org begins with it
    )
    visitor = models.ForeignKey(
        "members.PartyMember",
        verbose_name="家访人",
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,  # visit_visitor_date and visit_visitor_org begin with it
    )
    visitor_title = models.CharField("职务", max_length=100, blank=True, help_text="走访当天的职务")
    visited_on = models.DateField("走访时间", validators=[plausible("event")])
    pairing = models.ForeignKey(
        "members.Pairing",
        verbose_name="结对帮扶",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        help_text="结对帮扶走访计入该结对的年度走访次数",
    )
    event = models.ForeignKey(
        "visits.MustVisitEvent",
        verbose_name="五必访事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    # The 八清楚 of the household on the day (snapshot).
    group = models.CharField("村民小组/网格", max_length=40, blank=True)
    address = models.CharField("居住地点", max_length=200)
    head_name = models.CharField("户主", max_length=50)
    annual_income = models.DecimalField(
        "家庭年收入（元）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(rules.MAX_ANNUAL_INCOME)],
    )
    skills = models.CharField("专长技能", max_length=200, blank=True)
    housing_area = models.DecimalField(
        "住房面积（㎡）",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(rules.MAX_HOUSING_AREA)],
    )
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    party_member_info = models.CharField("家庭党员情况", max_length=200, blank=True)
    household_problems = models.TextField(
        "存在问题", max_length=TEXT_MAX, validators=_capped(TEXT_MAX), blank=True
    )
    household_requests = models.TextField(
        "建议要求", max_length=TEXT_MAX, validators=_capped(TEXT_MAX), blank=True
    )
    # What happened.
    situation = models.TextField("家访情况", max_length=SITUATION_MAX, validators=_capped(SITUATION_MAX))
    problem = models.TextField(
        "要求解决的问题", max_length=TEXT_MAX, validators=_capped(TEXT_MAX), blank=True
    )
    handling = models.CharField("办理方式", max_length=12, choices=Handling.choices, blank=True)
    handling_text = models.TextField(
        "办理情况", max_length=TEXT_MAX, validators=_capped(TEXT_MAX), blank=True
    )
    resident_opinion = models.TextField(
        "被访群众意见", max_length=TEXT_MAX, validators=_capped(TEXT_MAX), blank=True
    )
    signed_by = models.CharField("签字人", max_length=50, blank=True)
    signed_on = models.DateField("签字日期", validators=[plausible("event")], null=True, blank=True)
    opinion = models.OneToOneField(
        "feedback.Opinion",
        verbose_name="群众意见",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit",
        help_text="限期办理、转有关部门办理的问题登记为群众意见，进入“1234”办理",
    )
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "入户走访"
        verbose_name_plural = "入户走访"
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["visitor", "household", "visited_on"],
                name="visit_unique_visitor_household_day",
                violation_error_message="该家访人当天已有一条走访这一户的记录。",
            ),
            models.CheckConstraint(
                condition=Q(housing_area__isnull=True)
                | Q(housing_area__gte=0, housing_area__lte=rules.MAX_HOUSING_AREA),
                name="visit_housing_area_sane",
            ),
            models.CheckConstraint(
                condition=Q(annual_income__isnull=True)
                | Q(annual_income__gte=0, annual_income__lte=rules.MAX_ANNUAL_INCOME),
                name="visit_income_sane",
            ),
            models.CheckConstraint(
                condition=Q(handling__in=["", *Handling.values]), name="visit_handling_known"
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(signed_on__gte=models.F("visited_on")),
                name="visit_signed_not_before_visit",
                violation_error_message="签字日期不能早于走访时间。",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-visited_on"], name="visit_org_date"),
            # Coverage (visits.compliance.coverage): per village, the visits since a day, by household —
            # read from the index alone (PostgreSQL: Index Only Scan, no heap fetch; SQLite: COVERING INDEX).
            models.Index(fields=["organisation", "visited_on", "household"], name="visit_org_day_household"),
            models.Index(fields=["visitor", "-visited_on"], name="visit_visitor_date"),
            # The visits a subtree's members made outside it (visits.scope.visit_sides), counted from the
            # index alone: a township's count read 50,777 visits from the table for it (76 ms).
            models.Index(fields=["visitor", "organisation"], name="visit_visitor_org"),
            # A household's visits newest first, and coverage's count per household (visits.compliance.
            # coverage): the households joined to their visits in the index alone, in household order —
            # PostgreSQL merges the two without hashing 400,000 households; the village is read from it.
            models.Index(
                fields=["household", "-visited_on", "organisation"], name="visit_household_date_org"
            ),
            models.Index(fields=["-visited_on", "-id"], name="visit_date"),
            models.Index(fields=["pairing", "visited_on"], name="visit_pairing_date"),
            # 处理方式 (限期办理, 转交 …) within a year: the 组织部's district list read every visit of the
            # year for it (SQLite 2.6 s, PostgreSQL 207 ms for the count at 1,000,000 visits).
            models.Index(fields=["handling", "-visited_on"], name="visit_handling_date"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} 走访{self.head_name}户"

    @property
    def creates_opinion(self) -> bool:
        return self.handling in CREATES_OPINION


class VisitMember(models.Model):
    """One row of 被访家庭成员基本情况 as it stood on the day, and for a member working away the second
    八清楚 (流出地点, 联系电话, 从事职业, 收入状况, 建议要求, 党员组织生活情况, 遵纪守法情况, 返家情况)."""

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    visit = models.ForeignKey(Visit, verbose_name="走访", on_delete=models.CASCADE, related_name="members")
    position = models.PositiveSmallIntegerField("序号")
    resident = models.ForeignKey(
        "liaison.Resident",
        verbose_name="家庭成员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="走访时的户籍成员；成员日后迁出、删除，本记录仍保留当天的情况",
    )
    name = models.CharField("姓名", max_length=50)
    relation = models.CharField("与户主关系", max_length=20, blank=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    age = models.PositiveSmallIntegerField("年龄", null=True, blank=True, validators=[MaxValueValidator(130)])
    occupation = models.CharField("职业", max_length=50, blank=True)
    is_party_member = models.BooleanField("党员", default=False)
    is_away = models.BooleanField("外出人员", default=False)
    away_location = models.CharField("流出地点", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    away_income = models.DecimalField(
        "收入状况（元/年）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    away_requests = models.CharField("建议要求", max_length=200, blank=True)
    away_party_life = models.CharField("党员组织生活情况（非党参加党派情况）", max_length=200, blank=True)
    away_law_record = models.CharField("遵纪守法情况", max_length=200, blank=True)
    away_return = models.CharField("返家情况", max_length=200, blank=True)

    class Meta:
        verbose_name = "被访家庭成员"
        verbose_name_plural = "被访家庭成员"
        ordering = ["visit_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "position"], name="visit_member_unique_position"),
            models.CheckConstraint(condition=Q(age__lte=130), name="visit_member_age_sane"),
            models.CheckConstraint(
                condition=Q(away_income__isnull=True) | Q(away_income__gte=0),
                name="visit_member_away_income_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name
