"""Households (户) and residents (家庭成员) with the 八清楚 (seed 004 入户走访制度 四、一).

A household carries: 家庭人员, 居住地点, 住房面积, 收入状况, 专长技能, 存在问题, 建议要求, 联系电话.
A resident who works away (外出人员) carries the second 八清楚: 流出地点, 联系电话, 从事职业, 收入状况,
建议要求, 党员组织生活情况（非党参加党派情况）, 遵纪守法情况, 返家情况.
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from liaison.models.users import recorded_by
from liaison.text.pinyin import KEY_LENGTH, initials
from liaison.text.sorting import household_sort_key
from liaison.validators import validate_id_number, validate_phone


class HouseholdTag(models.Model):
    """困难户, 贫困户, 五保户 … editable, so a township can add its own."""

    name = models.CharField("标签", max_length=20, unique=True)
    is_poor = models.BooleanField(
        "计入贫困群众", default=False, help_text="联系帮扶“贫困群众100%覆盖”按此统计（004 联系帮扶制度 一）"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "户标签"
        verbose_name_plural = "户标签"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


# The longest 存在问题 / 建议要求: what the 户情卡 can still print on its page or two.
HOUSEHOLD_TEXT_MAX = 1000


class ArchiveReason(models.TextChoices):
    MOVED_AWAY = "moved_away", "迁出"
    DECEASED = "deceased", "死亡"
    OTHER = "other", "其他（注销）"


class ActiveHouseholdManager(models.Manager):
    """The default manager: archived households are out of every list, search, lookup, count and export.

    Selectors, forms, related managers (organisation.households) and validation all start here, so an
    archived household cannot leak into a new page by accident. `Household.all_objects` sees them: the
    已归档 list, restore and purge use it explicitly.
    """

    def get_queryset(self) -> models.QuerySet[Household]:
        return super().get_queryset().filter(archived_on__isnull=True)


class ActiveResidentManager(models.Manager):
    """Residents who are neither archived themselves nor in an archived household."""

    def get_queryset(self) -> models.QuerySet[Resident]:
        return super().get_queryset().filter(archived_on__isnull=True, household__archived_on__isnull=True)


class Archivable(models.Model):
    """迁出 or 死亡: kept, out of sight, until the retention period (LIAISON_RETENTION_YEARS) has passed."""

    archived_on = models.DateField("归档日期", null=True, blank=True, db_index=True)
    archive_reason = models.CharField("归档原因", max_length=12, choices=ArchiveReason.choices, blank=True)
    archive_note = models.CharField("归档说明", max_length=200, blank=True)
    archived_by = recorded_by("归档人")

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None


class Household(Archivable):
    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="所属村（社区）",
        on_delete=models.PROTECT,
        related_name="households",
    )
    group = models.CharField("村民小组/网格", max_length=40, blank=True)
    address = models.CharField("居住地点", max_length=200)
    head_name = models.CharField("户主", max_length=50, editable=False)
    head_initials = models.CharField("户主拼音检索键", max_length=KEY_LENGTH, editable=False, blank=True)
    # 小组 then address in natural order ("二组" < "十一组", "3号" < "12号"): see liaison/text/sorting.py.
    sort_key = models.CharField(max_length=255, editable=False, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    housing_area = models.DecimalField(
        "住房面积（㎡）",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    annual_income = models.DecimalField(
        "家庭年收入（元）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    skills = models.CharField("专长技能", max_length=200, blank=True)
    problems = models.TextField(
        "存在问题",
        max_length=HOUSEHOLD_TEXT_MAX,
        validators=[MaxLengthValidator(HOUSEHOLD_TEXT_MAX)],
        blank=True,
    )
    requests = models.TextField(
        "建议要求",
        max_length=HOUSEHOLD_TEXT_MAX,
        validators=[MaxLengthValidator(HOUSEHOLD_TEXT_MAX)],
        blank=True,
    )
    party_member_info = models.CharField("家庭党员情况", max_length=200, blank=True)
    tags = models.ManyToManyField(HouseholdTag, verbose_name="标签", blank=True, related_name="households")
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = ActiveHouseholdManager()
    all_objects = models.Manager()  # noqa: DJ012 (ruff takes a plain Manager for a field)

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        ordering = ["organisation_id", "sort_key", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(archived_on__isnull=True, archive_reason="")
                | Q(archived_on__isnull=False) & ~Q(archive_reason=""),
                name="household_archive_has_reason",
            ),
            models.UniqueConstraint(
                fields=["organisation", "address", "head_name"],
                name="household_unique_address_head",
                violation_error_message="本村（社区）已有同一地址、同一户主的户。",
            ),
            models.CheckConstraint(condition=Q(housing_area__gte=0), name="household_area_not_negative"),
            models.CheckConstraint(condition=Q(annual_income__gte=0), name="household_income_not_negative"),
        ]
        indexes = [
            models.Index(fields=["organisation", "group"], name="household_org_group"),
            models.Index(fields=["organisation", "sort_key"], name="household_org_sort"),
            models.Index(fields=["head_initials"], name="household_head_initials"),
            models.Index(fields=["head_name"], name="household_head_name"),
            models.Index(fields=["phone"], name="household_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}户（{self.address}）"

    def save(self, *args, **kwargs) -> None:
        self.head_initials = initials(self.head_name)
        self.sort_key = household_sort_key(self.group, self.address)
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        # Where it was when read: a save that moves it recounts both villages (liaison/totals.py).
        instance = super().from_db(db, field_names, values)
        if "organisation_id" in instance.__dict__:
            instance._loaded_organisation_id = instance.organisation_id
        return instance


class Resident(Archivable):
    class Relation(models.TextChoices):
        HEAD = "head", "户主"
        SPOUSE = "spouse", "配偶"
        CHILD = "child", "子女"
        CHILD_IN_LAW = "child_in_law", "儿媳/女婿"
        GRANDCHILD = "grandchild", "孙子女"
        PARENT = "parent", "父母"
        GRANDPARENT = "grandparent", "祖父母"
        SIBLING = "sibling", "兄弟姐妹"
        OTHER = "other", "其他"

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.CASCADE, related_name="residents"
    )
    name = models.CharField("姓名", max_length=50)
    name_initials = models.CharField("拼音检索键", max_length=KEY_LENGTH, editable=False, blank=True)
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices, default=Relation.OTHER)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(
        "出生年份", null=True, blank=True, validators=[MinValueValidator(1880), MaxValueValidator(2200)]
    )
    id_number = models.CharField("身份证号", max_length=18, blank=True, validators=[validate_id_number])
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    occupation = models.CharField("职业", max_length=50, blank=True)
    is_party_member = models.BooleanField("党员", default=False)
    # 外出人员的八清楚 (004 入户走访制度 四、一)
    is_away = models.BooleanField("外出人员", default=False)
    away_location = models.CharField("流出地点", max_length=100, blank=True)
    away_income = models.DecimalField(
        "外出收入（元/年）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    away_requests = models.CharField("外出人员建议要求", max_length=200, blank=True)
    away_party_life = models.CharField("党员组织生活情况（非党参加党派情况）", max_length=200, blank=True)
    away_law_record = models.CharField("遵纪守法情况", max_length=200, blank=True)
    away_return = models.CharField("返家情况", max_length=200, blank=True)

    objects = ActiveResidentManager()
    all_objects = models.Manager()  # noqa: DJ012 (ruff takes a plain Manager for a field)

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household_id", "id"]
        base_manager_name = "all_objects"
        permissions = [
            ("view_personal_data", "查看完整的联系电话和身份证号"),
            ("view_audit_address", "查看修改记录中操作人的IP地址"),
            ("purge_archived", "永久删除超过保存期限的归档户和家庭成员"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(archived_on__isnull=True, archive_reason="")
                | Q(archived_on__isnull=False) & ~Q(archive_reason=""),
                name="resident_archive_has_reason",
            ),
            models.UniqueConstraint(
                fields=["household"],
                # An archived 户主 (died, moved away) stays 户主 in the record; the new one is the head now.
                condition=Q(relation="head", archived_on__isnull=True),
                name="resident_one_head_per_household",
                violation_error_message="一户只能有一名户主。",
            ),
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="resident_unique_id_number",
                violation_error_message="该身份证号已登记在其他户。",
            ),
            models.CheckConstraint(condition=Q(birth_year__gte=1880), name="resident_birth_year_sane"),
            models.CheckConstraint(condition=Q(away_income__gte=0), name="resident_away_income_not_negative"),
        ]
        indexes = [
            models.Index(fields=["name_initials"], name="resident_initials"),
            models.Index(fields=["name"], name="resident_name"),
            models.Index(fields=["phone"], name="resident_phone"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_initials = initials(self.name)
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        # The household it was read in: a save that moves it recounts both (liaison/totals.py).
        instance = super().from_db(db, field_names, values)
        if "household_id" in instance.__dict__:
            instance._loaded_household_id = instance.household_id
        return instance

    @property
    def age(self) -> int | None:
        if self.birth_year is None:
            return None
        return datetime.date.today().year - self.birth_year
