"""The party organisation tree (党组织). Every record belongs to one; every query is scoped to a subtree."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Concat, Substr

# Width of one step in the materialised path: 4 base-36 digits = 1.6 M siblings per parent.
PATH_STEP = 4


def _encode(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rem = divmod(number, 36)
        out = digits[rem] + out
    return out.rjust(PATH_STEP, "0")


class Organisation(models.Model):
    class Level(models.TextChoices):
        DISTRICT = "district", "区"
        TOWNSHIP = "township", "镇街"
        VILLAGE = "village", "村"
        COMMUNITY = "community", "社区"
        UNIT = "unit", "机关、企事业单位、“两新”组织"
        BRANCH = "branch", "支部"

    class Kind(models.TextChoices):
        """What sort of unit a 机关/企事业/“两新”/群团 party organisation belongs to (004 三（一）–（四）:
        支部联线、工农联姻 with “两新”组织、社团牵手 with 群团组织), and the 站所 and departments a 交办单
        may go to. Empty for villages, communities, townships and the district."""

        ORGAN = "organ", "机关"
        ENTERPRISE = "enterprise", "企事业单位"
        TWO_NEW = "two_new", "“两新”组织"
        MASS = "mass", "群团、社团组织"
        STATION = "station", "站所"
        DEPARTMENT = "department", "部门"

    # The levels a kind belongs to: a unit, or a branch of one's own (a company's 党支部 under a township).
    KIND_LEVELS = ("unit", "branch")

    # Villages and communities: the levels that hold households (the grassroots).
    GRASSROOTS_LEVELS = (Level.VILLAGE, Level.COMMUNITY)

    # Which level may sit under which: a village never sits under a branch, and so on.
    ALLOWED_PARENTS: dict[str, set[str | None]] = {
        Level.DISTRICT: {None},
        Level.TOWNSHIP: {Level.DISTRICT},
        Level.VILLAGE: {Level.TOWNSHIP},
        Level.COMMUNITY: {Level.TOWNSHIP},
        Level.UNIT: {Level.DISTRICT, Level.TOWNSHIP},
        Level.BRANCH: {Level.VILLAGE, Level.COMMUNITY, Level.UNIT, Level.TOWNSHIP, Level.DISTRICT},
    }

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    code = models.SlugField("编码", max_length=40, unique=True, help_text="用于导出和命令行，如 BN-JS-GH")
    level = models.CharField("层级", max_length=12, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path ("0001" + "0003" + …): a subtree is one indexed prefix range, at any depth.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    unit_kind = models.CharField(
        "单位类别",
        max_length=12,
        choices=Kind.choices,
        blank=True,
        default="",
        help_text="机关、企事业单位、“两新”组织、群团社团、站所或部门的党组织（及其直属支部）填写；村、社区、镇街不填",
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit_kind="") | models.Q(level__in=["unit", "branch"]),
                name="organisation_kind_only_for_units",
                violation_error_message="只有机关、企事业单位、“两新”组织等单位的党组织（及其支部）才有单位类别。",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        parent_path = self.parent.path if self.parent_id else ""
        old = Organisation.objects.filter(pk=self.pk).values("path", "depth").first() if self.pk else None
        if old is None or old["path"][:-PATH_STEP] != parent_path:
            self.path = parent_path + self._next_step(parent_path)
        self.depth = len(self.path) // PATH_STEP - 1
        super().save(*args, **kwargs)
        if old and old["path"] != self.path:
            # A move: rewrite the whole subtree in one statement, never row by row.
            Organisation.objects.filter(path__startswith=old["path"]).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old["path"]) + 1)),
                depth=F("depth") + (self.depth - old["depth"]),
            )

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def kind_of_unit(self) -> str:
        """The kind of the unit this organisation belongs to: its own, or a branch's unit's."""
        if self.unit_kind:
            return self.unit_kind
        if self.level == self.Level.BRANCH and self.parent_id and self.parent.level == self.Level.UNIT:
            return self.parent.unit_kind
        return ""

    @classmethod
    def kind_of_unit_sql(cls, lookup: str) -> Case:
        """`kind_of_unit` in SQL for the organisation at `lookup` (e.g. "helper_organisation"): its own
        kind, else a branch's unit's, else "" (the same three steps as the property; the parent is a LEFT
        JOIN, so the district, which has none, is "")."""
        return Case(
            When(~Q(**{f"{lookup}__unit_kind": ""}), then=F(f"{lookup}__unit_kind")),
            When(
                Q(**{f"{lookup}__level": cls.Level.BRANCH, f"{lookup}__parent__level": cls.Level.UNIT}),
                then=F(f"{lookup}__parent__unit_kind"),
            ),
            default=Value(""),
            output_field=CharField(),
        )

    @property
    def is_grassroots(self) -> bool:
        """Villages and communities: the ones that hold households."""
        return self.level in self.GRASSROOTS_LEVELS

    @property
    def indented_name(self) -> str:
        """The short name indented by depth below the district: how every organisation choice reads."""
        return "　" * max(self.depth - 1, 0) + self.display_name

    def clean(self) -> None:
        parent_level = self.parent.level if self.parent_id else None
        allowed = self.ALLOWED_PARENTS.get(self.level, set())
        if parent_level not in allowed:
            raise ValidationError({"parent": "该层级的党组织不能设在所选上级之下。"})
        if self.pk and self.parent_id and self.path and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": "不能把党组织移到它自己的下级之下。"})

    @staticmethod
    def _next_step(parent_path: str) -> str:
        siblings = Organisation.objects.filter(
            path__startswith=parent_path, depth=len(parent_path) // PATH_STEP
        ).order_by("-path")
        last = siblings.values_list("path", flat=True).first()
        number = int(last[-PATH_STEP:], 36) + 1 if last else 1
        return _encode(number)

    def subtree(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet[Organisation]:
        prefixes = [self.path[:i] for i in range(PATH_STEP, len(self.path), PATH_STEP)]
        return Organisation.objects.filter(path__in=prefixes)
