"""Reads for receptions and sessions, each starting from feedback.scope (built on liaison.access.scoping)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from feedback import reception_rules as rr
from feedback.models import Opinion, Reception, ReceptionSession, SessionKind, SessionStatus
from feedback.reception_filters import ReceptionFilter, SessionFilter
from feedback.scope import visible_opinions, visible_receptions, visible_sessions
from liaison.access.privacy import number_search
from liaison.access.scoping import visible_organisations
from liaison.models import Organisation, QuotaRule
from liaison.text.pinyin import looks_like_initials, search_key

RECEPTION_RELATED = ("organisation", "receiver", "session", "opinion")
SESSION_RELATED = ("organisation", "receiver")
VISITOR_ROWS = 10


LIST_ORDER = ("-received_on", "-id")


def reception_list(*, user, filters) -> tuple[ReceptionFilter, QuerySet[Reception]]:
    """The filtered list on the receptions' own columns, for `paginate(..., rows=page_rows)`."""
    base = visible_receptions(user).order_by(*LIST_ORDER)
    reception_filter = ReceptionFilter(filters or None, queryset=base, user=user)
    return reception_filter, reception_filter.qs


def page_rows(chosen: QuerySet[Reception]) -> QuerySet[Reception]:
    """A page of the list with what its rows show: the page is chosen on the receptions alone and only
    its rows are joined (liaison.pagination). Joined first, PostgreSQL joined the district's 12,534
    receptions to the 60,000 opinions and 30,000 sessions before sorting them (166 ms of 211)."""
    return (
        Reception.objects.filter(pk__in=chosen.values("pk"))
        .select_related(*RECEPTION_RELATED)
        .order_by(*LIST_ORDER)
    )


def reception_detail(*, user, pk: int) -> Reception:
    queryset = visible_receptions(user).select_related(
        "organisation", "receiver", "session", "opinion", "opinion__organisation", "created_by"
    )
    return get_object_or_404(queryset, pk=pk)


def session_list(*, user, filters) -> tuple[SessionFilter, QuerySet[ReceptionSession]]:
    base = (
        visible_sessions(user)
        .select_related(*SESSION_RELATED)
        .order_by("date", "start_time", "organisation__path", "id")
    )
    session_filter = SessionFilter(filters or None, queryset=base, user=user)
    return session_filter, session_filter.qs


def with_reception_counts(sessions) -> list[ReceptionSession]:
    """The receptions of one page of sessions, counted in one grouped query for that page only: an
    annotation on the list's queryset would group every session of the district before paginating."""
    rows = list(sessions)
    counts = dict(
        Reception.objects.filter(session__in=[s.pk for s in rows])
        .order_by()
        .values_list("session")
        .annotate(n=Count("id"))
    )
    for row in rows:
        row.reception_count = counts.get(row.pk, 0)
    return rows


def session_detail(*, user, pk: int) -> ReceptionSession:
    queryset = visible_sessions(user).select_related("organisation", "receiver", "published_by", "created_by")
    return get_object_or_404(queryset, pk=pk)


def session_choices(user, around: datetime.date, days: int = 62) -> QuerySet[ReceptionSession]:
    """Published sessions near a day, for the reception form's list (the field accepts any in scope)."""
    return (
        visible_sessions(user)
        .exclude(status=SessionStatus.DRAFT)
        .filter(date__gte=around - datetime.timedelta(days=days), date__lte=around)
        .select_related("organisation", "receiver")
        .order_by("-date", "start_time")
    )


@dataclass
class VisitorHistory:
    receptions: list[Reception]
    opinions: list[Opinion]


def visitor_history(*, user, text: str, exclude: int | None = None) -> VisitorHistory:
    """A returning visitor's earlier receptions and opinions, found by name (or pinyin) or phone, in scope.

    Phones match as liaison.access.privacy.number_search allows: a masked viewer only by the complete
    number (logged and rate-limited), never by a fragment."""
    text = (text or "").strip()
    if not text:
        return VisitorHistory([], [])
    number = number_search(user, text)
    if number is not None:
        by_reception = number.q(phone=["visitor_phone"])
        by_opinion = number.q(phone=["reporter_phone"])
    elif looks_like_initials(text):
        by_reception = Q(visitor_initials__contains=search_key(text))
        by_opinion = Q(reporter_initials__contains=search_key(text))
    else:
        by_reception = Q(visitor_name=text)
        by_opinion = Q(reporter_name=text)
    receptions = (
        visible_receptions(user)
        .filter(by_reception)
        .exclude(pk=exclude)
        .select_related("organisation", "receiver", "opinion")
        .order_by("-received_on", "-id")[:VISITOR_ROWS]
    )
    opinions = (
        visible_opinions(user)
        .filter(by_opinion)
        .select_related("organisation")
        .order_by("-received_on", "-id")[:VISITOR_ROWS]
    )
    return VisitorHistory(list(receptions), list(opinions))


# -- compliance -------------------------------------------------------------------------------------


@dataclass
class ComplianceRow:
    organisation: Organisation
    rule: QuotaRule | None
    required: int = 0
    published: int = 0
    held: int = 0
    missed: int = 0
    planned: int = 0  # published and still to come
    members_held: int = 0
    delegates_held: int = 0
    receptions: int = 0
    on_sessions: int = 0
    periods_met: int = 0
    periods_due: int = 0
    shortfalls: list[str] = field(default_factory=list)

    @property
    def per_session(self) -> str:
        if not self.held:
            return "—"
        share = Fraction(self.on_sessions, self.held)
        return f"{float(share):.1f}"

    @property
    def complete(self) -> bool:
        return self.periods_due > 0 and self.periods_met >= self.periods_due


def _period_index(period: str, spans: list[tuple[datetime.date, datetime.date]], day: datetime.date) -> int:
    if period == rr.YEAR:
        return 0
    if period == rr.MONTH:
        return day.month - 1
    for index, (start, end) in enumerate(spans):
        if start <= day <= end:
            return index
    return -1


def compliance(*, user, root: Organisation, year: int, today: datetime.date) -> list[ComplianceRow]:
    """Per organisation with a reception quota (root and below, in scope) for a year: half-days required
    (QuotaRule × periods), published, held and missed, the periods whose quota the held half-days met
    (a missed one counts against it), and the receptions per held session. A fixed number of queries."""
    orgs = list(
        visible_organisations(user)
        .filter(path__startswith=root.path, level__in=list(rr.QUOTA_OF_LEVEL))
        .order_by("path")
    )
    rules = {r.code: r for r in QuotaRule.objects.filter(code__in=set(rr.QUOTA_OF_LEVEL.values()))}
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    ids = [o.pk for o in orgs]
    in_year = Q(date__gte=start, date__lte=end)
    counts = {
        row["organisation"]: row
        for row in ReceptionSession.objects.filter(in_year, organisation__in=ids)
        .values("organisation")
        .annotate(
            published=Count("pk", filter=Q(kind=SessionKind.SECRETARY) & ~Q(status=SessionStatus.DRAFT)),
            held=Count("pk", filter=Q(kind=SessionKind.SECRETARY, status=SessionStatus.HELD)),
            missed=Count("pk", filter=Q(kind=SessionKind.SECRETARY, status=SessionStatus.MISSED)),
            planned=Count("pk", filter=Q(kind=SessionKind.SECRETARY, status=SessionStatus.PUBLISHED)),
            members_held=Count("pk", filter=Q(kind=SessionKind.MEMBER, status=SessionStatus.HELD)),
            delegates_held=Count("pk", filter=Q(kind=SessionKind.DELEGATE, status=SessionStatus.HELD)),
        )
    }
    receptions = {
        row["organisation"]: row
        for row in Reception.objects.filter(
            received_on__gte=start, received_on__lte=end, organisation__in=ids
        )
        .values("organisation")
        .annotate(total=Count("pk"), on_sessions=Count("pk", filter=Q(session__status=SessionStatus.HELD)))
    }
    held_days: dict[int, list[datetime.date]] = defaultdict(list)
    for org_id, day in ReceptionSession.objects.filter(
        in_year, organisation__in=ids, kind=SessionKind.SECRETARY, status=SessionStatus.HELD
    ).values_list("organisation", "date"):
        held_days[org_id].append(day)
    rows = []
    for org in orgs:
        rule = rules.get(rr.QUOTA_OF_LEVEL[org.level])
        row = ComplianceRow(organisation=org, rule=rule)
        found = counts.get(org.pk, {})
        for name in ("published", "held", "missed", "planned", "members_held", "delegates_held"):
            setattr(row, name, found.get(name, 0))
        row.receptions = receptions.get(org.pk, {}).get("total", 0)
        row.on_sessions = receptions.get(org.pk, {}).get("on_sessions", 0)
        if rule is not None and rule.period in rr.PERIODS:
            per_period = rr.whole(rule.minimum)
            spans = rr.periods(year, rule.period)
            row.required = len(spans) * per_period
            done = Counter(_period_index(rule.period, spans, day) for day in held_days.get(org.pk, []))
            due = [i for i, (_, period_end) in enumerate(spans) if period_end < today]
            row.periods_due = len(due)
            row.periods_met = sum(1 for i in due if done.get(i, 0) >= per_period)
            for i in due:
                if done.get(i, 0) < per_period and len(row.shortfalls) < 5:
                    s, e = spans[i]
                    row.shortfalls.append(f"{s:%m-%d}至{e:%m-%d}")
        rows.append(row)
    return rows
