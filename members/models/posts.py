"""设岗定责 (000 第十四条; 003 “按照自主申报和组织安排相结合的办法”): an organisation sets up posts that
serve the people, a member chooses one or is assigned one, and reports each year on the duties done."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible

# The posts the documents name (003 “政策宣讲、致富带头、入党积极分子培养、维护社会治安等岗位”; the rest
# are the ones township catalogues usually add). Offered as suggestions; an organisation may add its own.
STANDARD_POSTS: tuple[tuple[str, str], ...] = (
    ("政策宣讲", "向群众宣传党的路线方针政策和惠民政策，解答群众疑问。"),
    ("致富带头", "带头发展产业，向群众传授实用技术，帮带困难户增收。"),
    ("入党积极分子培养", "联系入党积极分子，谈心谈话，考察培养并向支部报告。"),
    ("维护社会治安", "参加巡逻守护，发现治安隐患及时报告。"),
    ("矛盾纠纷调解", "及时了解邻里矛盾，协助调解，防止矛盾激化。"),
    ("环境卫生监督", "督促院落、道路环境卫生，带头清理垃圾。"),
    ("关心下一代", "关心留守儿童和困难学生的学习生活。"),
)


class Post(models.Model):
    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="设岗党组织", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("岗位名称", max_length=40)
    responsibilities = models.TextField("岗位职责")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "服务岗位"
        verbose_name_plural = "服务岗位"
        ordering = ["organisation_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="post_unique_name_per_organisation",
                violation_error_message="本党组织已设有同名岗位。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PostAssignment(models.Model):
    class Source(models.TextChoices):
        CHOSEN = "chosen", "自主申报"
        ASSIGNED = "assigned", "组织安排"

    post = models.ForeignKey(Post, verbose_name="岗位", on_delete=models.PROTECT, related_name="assignments")
    member = models.ForeignKey(
        "members.PartyMember", verbose_name="党员", on_delete=models.CASCADE, related_name="post_assignments"
    )
    source = models.CharField("上岗方式", max_length=10, choices=Source.choices, default=Source.CHOSEN)
    duties = models.TextField(
        "责任要求", blank=True, help_text="本人在岗位上的具体责任，如“负责三组12户的政策宣讲”"
    )
    start_date = models.DateField("上岗时间", validators=[plausible("start")])
    end_date = models.DateField("离岗时间", validators=[plausible("plan")], null=True, blank=True)

    class Meta:
        verbose_name = "党员上岗"
        verbose_name_plural = "党员上岗"
        ordering = ["post_id", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="post_assignment_ends_after_start",
                violation_error_message="离岗时间不能早于上岗时间。",
            ),
            models.UniqueConstraint(
                fields=["post", "member"],
                condition=Q(end_date__isnull=True),
                name="post_assignment_unique_active",
                violation_error_message="该党员已在这个岗位上。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.post}"


class PostReport(models.Model):
    """年度履职自述: the member's own account of the duties done in one year."""

    assignment = models.ForeignKey(
        PostAssignment, verbose_name="上岗", on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    content = models.TextField("履职情况")
    submitted_on = models.DateField("填报日期", validators=[plausible("event")])
    created_by = recorded_by()

    class Meta:
        verbose_name = "年度履职自述"
        verbose_name_plural = "年度履职自述"
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "year"],
                name="post_report_one_per_year",
                violation_error_message="该年度已填报履职自述，请直接修改。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.assignment}"
