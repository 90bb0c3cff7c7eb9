"""Each post-holder's year against the personal quotas of their post (QuotaRule rows, never literals):

- home visits: 区级领导 ≥2, 镇街党委班子成员 ≥4 (004 入户走访制度 二), 党代会代表 ≥10 households (002 八);
- 谈心谈话: leaders and village secretaries ≥2 (002 四);
- 驻村调研 days ≥120 and reports (1—2) for township leadership (002 一).

One row per current post (a person with two posts, e.g. a deputy secretary who is also a delegate,
has two rows, each held to its own quota). The figures are correlated subqueries on indexed columns
(visitor+date, leader+date, author+year), evaluated for the page's rows only; "未达标" is filtered in
SQL against the same rule values.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan

from liaison.access.scoping import scoped
from liaison.models import Organisation, QuotaRule
from liaison.quotas import quotas
from members.models import Position
from visits import coverage_rules as rules
from visits.models import FieldResearch, ResearchReport, Talk, Visit

L = Organisation.Level
R = Position.Role
CODES = (
    "visits-district-leader",
    "visits-township-member",
    "delegate-visits",
    "talks-leader",
    "talks-village-secretary",
    "days-in-villages",
    "research-reports",
)
GRASSROOTS = [L.VILLAGE, L.COMMUNITY]

# Which posts the page lists, and the kinds a user may filter by.
KINDS = {
    "district": ("区级领导", Q(role__in=rules.LEADERSHIP_ROLES, organisation__level=L.DISTRICT)),
    "township": (
        "镇街党委（党工委）班子成员",
        Q(role__in=rules.LEADERSHIP_ROLES, organisation__level=L.TOWNSHIP),
    ),
    "delegate": ("党代会代表", Q(role=R.DELEGATE)),
    "village": (
        "村（社区）党组织书记",
        Q(role=R.SECRETARY, organisation__level__in=GRASSROOTS)
        | Q(role=R.SECRETARY, organisation__level=L.BRANCH, organisation__parent__level__in=GRASSROOTS),
    ),
}


# 书记, 副书记, 班子成员, 委员, then 党代会代表: how a post list is read.
ROLE_RANK = Case(
    *(
        When(role=role, then=Value(rank))
        for rank, role in enumerate((*rules.LEADERSHIP_ROLES, rules.DELEGATE_ROLE))
    ),
    default=Value(9),
    output_field=IntegerField(),
)


def _subquery_count(queryset: QuerySet, by: str, *, distinct: str | None = None) -> Coalesce:
    """COUNT of the rows correlated on `by` (the person), as a scalar subquery; 0 when there are none."""
    grouped = queryset.order_by().values(by)
    total = Count(distinct, distinct=True) if distinct else Count("pk")
    return Coalesce(Subquery(grouped.annotate(n=total).values("n")[:1], output_field=IntegerField()), 0)


def _subquery_sum(queryset: QuerySet, by: str, field: str) -> Coalesce:
    grouped = queryset.order_by().values(by)
    return Coalesce(Subquery(grouped.annotate(n=Sum(field)).values("n")[:1], output_field=IntegerField()), 0)


def effective_level(position: Position) -> str:
    """A post on a village's branch is the village's (村党组织负责人)."""
    organisation = position.organisation
    if organisation.level == L.BRANCH and organisation.parent_id and organisation.parent.level in GRASSROOTS:
        return organisation.parent.level
    return organisation.level


@dataclass(frozen=True)
class Figure:
    rule: QuotaRule
    achieved: int
    in_progress: bool

    @property
    def minimum(self) -> int:
        return int(self.rule.minimum)

    @property
    def met(self) -> bool:
        return rules.Quota(self.rule.code, self.achieved, self.minimum).met

    @property
    def state(self) -> str:
        if self.met:
            return "met"
        return "pending" if self.in_progress else "unmet"


@dataclass(frozen=True)
class PersonYear:
    position: Position
    visits: Figure | None
    talks: Figure | None
    days: Figure | None
    reports: Figure | None

    @property
    def figures(self) -> list[Figure]:
        return [f for f in (self.visits, self.talks, self.days, self.reports) if f is not None]

    @property
    def short(self) -> bool:
        return any(not f.met for f in self.figures)

    @property
    def cells(self) -> list[tuple[Figure | None, str]]:
        """The page's four columns, each with its QuotaRule's unit (户 for a delegate's visits)."""
        return [
            (figure, figure.rule.unit if figure else "")
            for figure in (self.visits, self.talks, self.days, self.reports)
        ]


def post_holders(*, user, year: int, kind: str = "", organisation: Organisation | None = None):
    """The current posts in scope with the year's figures annotated (a queryset: paginate it)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    listed = Q()
    for key, (_, condition) in KINDS.items():
        if not kind or kind == key:
            listed |= condition
    member = OuterRef("member_id")
    visits = Visit.objects.filter(visitor=member, visited_on__gte=start, visited_on__lte=end)
    queryset = (
        scoped(Position.objects.all(), user)
        .filter(listed, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("member__organisation", "organisation__parent")
        .annotate(
            visits_made=_subquery_count(visits, "visitor"),
            households_visited=_subquery_count(visits, "visitor", distinct="household"),
            talks_held=_subquery_count(
                Talk.objects.filter(leader=member, talked_on__gte=start, talked_on__lte=end), "leader"
            ),
            days_stayed=_subquery_sum(
                FieldResearch.objects.filter(leader=member, started_on__gte=start, started_on__lte=end),
                "leader",
                "days",
            ),
            reports_written=_subquery_count(
                ResearchReport.objects.filter(author=member, year=year), "author"
            ),
        )
    )
    if organisation is not None:
        queryset = queryset.filter(organisation__path__startswith=organisation.path)
    return queryset.annotate(rank=ROLE_RANK).order_by("organisation__path", "rank", "member__name", "id")


def short_only(holders: QuerySet[Position]) -> QuerySet[Position]:
    """The posts of `post_holders` short of any of their quotas (“未达标”)."""
    return holders.filter(_short_condition())


def _short_condition() -> Q:
    """“未达标” in SQL, against the same QuotaRule values the rows are measured by.

    Each figure is a CASE over the kinds of post held to it, so its subquery runs only for those posts,
    and once: written as one OR arm per kind of post, PostgreSQL counted every post's visits twice
    (district and township arms) before joining the organisation that tells them apart (the district's
    1,328 posts: 93 → 30 ms)."""
    r = {code: int(rule.minimum) for code, rule in quotas(*CODES).items()}
    township = Q(role__in=rules.LEADERSHIP_ROLES, organisation__level=L.TOWNSHIP)
    district = Q(role__in=rules.LEADERSHIP_ROLES, organisation__level=L.DISTRICT)
    village = KINDS["village"][1]
    return (
        _below(
            (district, "visits_made", r["visits-district-leader"]),
            (township, "visits_made", r["visits-township-member"]),
            (Q(role=R.DELEGATE), "households_visited", r["delegate-visits"]),
        )
        | _below(
            (district | township, "talks_held", r["talks-leader"]),
            (village, "talks_held", r["talks-village-secretary"]),
        )
        | _below((township, "days_stayed", r["days-in-villages"]))
        | _below((township, "reports_written", r["research-reports"]))
    )


def _below(*by_post: tuple[Q, str, int]) -> Q:
    """For the first kind of post that matches, its figure is under its minimum; false for any other post."""
    return Q(
        Case(
            *(When(post, then=LessThan(F(figure), Value(minimum))) for post, figure, minimum in by_post),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def person_years(positions, *, year: int, today: datetime.date) -> list[PersonYear]:
    """Each listed post's figures against its quotas (one query for the rules)."""
    rules_by_code = quotas(*CODES)
    in_progress = year == today.year
    rows = []
    for position in positions:
        level = effective_level(position)
        visit_code = rules.visit_quota_code(position.role, level)
        talk_code = rules.talk_quota_code(position.role, level)
        research = rules.research_applies(position.role, level)
        visits = None
        if visit_code:
            achieved = (
                position.households_visited if visit_code == "delegate-visits" else position.visits_made
            )
            visits = Figure(rules_by_code[visit_code], achieved, in_progress)
        rows.append(
            PersonYear(
                position=position,
                visits=visits,
                talks=Figure(rules_by_code[talk_code], position.talks_held, in_progress)
                if talk_code
                else None,
                days=Figure(rules_by_code["days-in-villages"], position.days_stayed, in_progress)
                if research
                else None,
                reports=Figure(rules_by_code["research-reports"], position.reports_written, in_progress)
                if research
                else None,
            )
        )
    return rows


KIND_CHOICES = [("", "全部"), *((key, label) for key, (label, _) in KINDS.items())]
__all__ = ["KIND_CHOICES", "person_years", "post_holders", "short_only"]
