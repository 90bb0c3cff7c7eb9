"""The commitments app's rules (004 两委会双向承诺服务制度): each village or community has its year's
commitments adopted (二 “以后每年初承诺一次”; `commitments.rules.ANNUAL_COMMITMENTS_MIN`), and its
year graded at 考核评诺 基本合格 or better (四（六）; `commitments.rules.grade`'s grades). No QuotaRule
row holds these numbers: they are the rules.py constants, shown with their source like a QuotaRule."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from commitments import rules
from commitments.models import Assessment, Commitment, Subject
from commitments.states import STANDING_STATES
from liaison.compliance.core import AT_END, FROM_START, Context, Counts, Shortfall, Shortfalls
from liaison.compliance.measures import per_subject
from liaison.compliance.registry import Rule, register
from liaison.models import Organisation, QuotaRule

ANNUAL, GRADED = "commitments-annual", "commitments-assessed"
VILLAGE_SUBJECTS = (Subject.PARTY, Subject.COMMITTEE)


def annual_rule() -> QuotaRule:
    return QuotaRule(
        code=ANNUAL,
        name="“两委会”年度承诺",
        subject="村（社区）“两委会”",
        minimum=Decimal(rules.ANNUAL_COMMITMENTS_MIN),
        unit="项",
        period="year",
        source="004 农村（社区）“两委会”双向承诺服务制度 二、承诺的方式（以后每年初承诺一次）",
    )


def graded_rule() -> QuotaRule:
    return QuotaRule(
        code=GRADED,
        name="考核评诺",
        subject="村（社区）“两委会”",
        minimum=Decimal(rules.ASSESSMENTS_PER_YEAR),
        unit="次",
        period="year",
        source="004 农村（社区）“两委会”双向承诺服务制度 四（六）考核评诺（基本合格及以上）",
    )


def _villages(ctx: Context):
    return ctx.organisations().filter(level__in=Organisation.GRASSROOTS_LEVELS)


def _standing(ctx: Context):
    return Commitment.objects.filter(
        organisation=OuterRef("pk"),
        subject__in=VILLAGE_SUBJECTS,
        state__in=STANDING_STATES,
        year__lte=ctx.year,
        end_year__gte=ctx.year,
    )


def _annual(ctx: Context):
    count = _standing(ctx).order_by().values("organisation").annotate(n=Count("pk")).values("n")[:1]
    return _villages(ctx).annotate(achieved=Coalesce(Subquery(count, output_field=IntegerField()), 0))


def _graded(ctx: Context):
    passed = Assessment.objects.filter(organisation=OuterRef("pk"), year=ctx.year).exclude(
        Q(final_grade="") | Q(final_grade=rules.Grade.FAIL)
    )
    achieved = Case(When(Exists(passed), then=Value(1)), default=Value(0), output_field=IntegerField())
    # Held to it: the villages with commitments standing for the year.
    return _villages(ctx).filter(Exists(_standing(ctx))).annotate(achieved=achieved)


def _measure(subjects, code: str, pace: str):
    def measure(ctx: Context) -> dict[int, Counts]:
        # A village owns itself: grouped by its own id.
        return per_subject(ctx, code, subjects(ctx), "pk", pace=pace, owner_path="path")

    return measure


def _shortfalls(subjects, code: str, pace: str, url_name: str, shown: str):
    def shortfalls(ctx: Context, organisation: Organisation) -> Shortfalls:
        def rows():
            due = ctx.threshold(code, "path", pace=pace)
            return (
                subjects(ctx)
                .filter(path__startswith=organisation.path)
                .annotate(due=due)
                .filter(achieved__lt=due)
                .select_related("parent")
                .order_by("path")
            )

        return Shortfalls(
            rows,
            lambda village: Shortfall(
                name=village.display_name,
                organisation=village.parent.display_name if village.parent_id else "",
                achieved=village.achieved,
                minimum=shown,
                url=f"{reverse(url_name)}?organisation={village.pk}&year={ctx.year}",
            ),
        )

    return shortfalls


register(
    Rule(
        "commitments-annual",
        ANNUAL,
        "村（社区）“两委会”年度承诺经民主定诺通过",
        "个村（社区）",
        _measure(_annual, ANNUAL, FROM_START),
        _shortfalls(
            _annual, ANNUAL, FROM_START, "commitment-list", f"至少 {rules.ANNUAL_COMMITMENTS_MIN} 项通过"
        ),
        "commitments",
        fixed=annual_rule,
    )
)
register(
    Rule(
        "commitments-assessed",
        GRADED,
        "村（社区）“两委会”年度考核评诺基本合格及以上",
        "个村（社区）",
        _measure(_graded, GRADED, AT_END),
        _shortfalls(_graded, GRADED, AT_END, "assessment-list", "基本合格及以上"),
        "commitments",
        fixed=graded_rule,
    )
)
