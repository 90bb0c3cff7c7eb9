"""Reads for the visits app: scoped querysets with what each page prints, no query in a loop."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from liaison.access.scoping import root_organisation, sees_everything
from liaison.pagination import SEARCH_CAP
from members.models import Position
from visits import rules
from visits.filters import VisitFilter
from visits.models import MustVisitEvent, Visit, VisitMember
from visits.scope import editable_visits, visible_by_columns, visible_events, visible_visits, visit_sides

LIST_RELATED = ("organisation", "visitor", "opinion", "event")
LIST_ORDER = ("-visited_on", "-id")


def visit_list(*, user, params) -> tuple[VisitFilter, QuerySet, QuerySet | None]:
    """The list's filter, its queryset for `paginate(..., rows=page_rows)` and, when the list is better
    counted in another form, that form (`paginate(..., counted=)`).

    The queryset is the visits themselves or, for a name few people bear on PostgreSQL, their matches'
    ids and dates (`_matches`), whose rows page_rows reads. A common name on SQLite (the filter's `dense`)
    is read in date order with the scope tested visit by visit (visits.scope, `in_date_order`) for the
    pages in the first half of the search's cap, and counted on the scope's indexes: a township's "zhang",
    page 1 249 → 29 ms, page 10 179 ms; walking to page 20 took 360-500 ms, sorting every match 250."""
    queryset = visible_visits(user).select_related(*LIST_RELATED).order_by(*LIST_ORDER)
    filterset = VisitFilter(params, queryset=queryset, user=user)
    listed = filterset.qs  # runs the search, which leaves a rare name's matches on the filter
    if filterset.matching is not None:
        return filterset, _matches(user, params, *filterset.matching), None
    if filterset.dense and _early_page(params):
        walked = visible_visits(user, in_date_order=True).select_related(*LIST_RELATED).order_by(*LIST_ORDER)
        return filterset, filterset.filter_queryset(walked), listed
    return filterset, listed, None


def _early_page(params) -> bool:
    """Whether the page asked for starts in the first half of a search's cap (liaison.pagination)."""
    try:
        number = max(int(params.get("page") or 1), 1)
    except (TypeError, ValueError):
        number = 1
    return (number - 1) * settings.LIAISON_PAGE_SIZE < SEARCH_CAP // 2


def _matches(user, params, households: list[int], visitors: list[int]) -> QuerySet:
    """A search's visits, chosen from the matches: the visits of the matching households and those of
    the matching visitors, each found on its own index and kept in scope by the visit's own columns,
    then put in date order. The list's own date order made PostgreSQL walk the district's visits to find
    a rare name's few (a township's search for 张伟: 39 visits, 4.0 s at 400,000 households)."""
    scope = visible_by_columns(user)
    visits = Visit.objects.filter(scope) if scope is not None else Visit.objects.all()
    others = params.copy()
    others.pop("q", None)  # the search itself is the two sides below
    narrowed = VisitFilter(others, queryset=visits, user=user).qs
    sides = [
        narrowed.filter(household_id__in=households).order_by().values("id", "visited_on"),
        narrowed.filter(visitor_id__in=visitors).order_by().values("id", "visited_on"),
    ]
    return sides[0].union(sides[1]).order_by("-visited_on", "-id")


def page_rows(chosen: QuerySet[Visit]) -> QuerySet[Visit]:
    """A page of the list with what its rows show: the page is chosen on the visits alone, in date
    order from its index, and only its rows are joined (liaison.pagination). Joined first, SQLite
    drove the district's list from the organisations and sorted its million visits (1.35 s). A search's
    page is chosen from its matches (`_matches`) and read by their ids."""
    if chosen.query.combinator:
        ids = [row["id"] for row in chosen]
        return Visit.objects.filter(pk__in=ids).select_related(*LIST_RELATED).order_by(*LIST_ORDER)
    return (
        Visit.objects.filter(pk__in=chosen.values("pk")).select_related(*LIST_RELATED).order_by(*LIST_ORDER)
    )


def visit_count(*, user, params) -> int | None:
    """The list's length as the sum of its two disjoint halves (visits.scope.visit_sides), each filtered
    alike and counted on its own index, or None when a search narrows the list (the search's own plan is
    cheaper there). Counting the OR-ed list read every visit of the district: a township's 50,777 took
    468 ms on PostgreSQL at 1,000,000 visits, the two halves 82 ms; the district's 297 ms, 132 ms."""
    if (params.get("q") or "").strip():
        return None
    return sum(VisitFilter(params, queryset=side, user=user).qs.count() for side in visit_sides(user))


def _with_members(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    return queryset.select_related(
        "organisation",
        "organisation__parent",
        "visitor",
        "visitor__organisation",
        "household",
        "pairing",
        "event",
        "opinion",
        "created_by",
    ).prefetch_related(Prefetch("members", queryset=VisitMember.objects.order_by("position", "id")))


def _get(queryset: QuerySet[Visit], pk: int) -> Visit:
    return get_object_or_404(_with_members(queryset), pk=pk)


def visit_detail(*, user, pk: int) -> Visit:
    return _get(visible_visits(user), pk)


def editable_visit(*, user, pk: int) -> Visit:
    return _get(editable_visits(user), pk)


def visits_for_booklet(
    *, user, visitor_id: int, start: datetime.date, end: datetime.date, limit: int
) -> list[Visit]:
    """At most `limit` visits, oldest first: a caller asking for one more than it prints can tell."""
    return list(
        _with_members(visible_visits(user))
        .filter(visitor_id=visitor_id, visited_on__gte=start, visited_on__lte=end)
        .order_by("visited_on", "id")[:limit]
    )


def booklet_size(*, user, visitor_id: int, start: datetime.date, end: datetime.date) -> int:
    return (
        visible_visits(user).filter(visitor_id=visitor_id, visited_on__gte=start, visited_on__lte=end).count()
    )


def household_visits(*, household, limit: int) -> tuple[list[Visit], int]:
    queryset = Visit.objects.filter(household=household)
    rows = list(queryset.select_related("visitor", "opinion", "event").order_by("-visited_on", "-id")[:limit])
    total = len(rows) if len(rows) < limit else queryset.count()
    return rows, total


def _event_states(queryset: QuerySet[MustVisitEvent]) -> QuerySet[MustVisitEvent]:
    """is_visited: answered by the village secretary; is_tagged: some visit is tagged to it at all."""
    return queryset.annotate(
        is_visited=MustVisitEvent.objects.visited(), is_tagged=MustVisitEvent.objects.tagged()
    )


def household_events(*, household) -> list[MustVisitEvent]:
    return list(
        _event_states(MustVisitEvent.objects.filter(household=household)).order_by("-occurred_on", "-id")[:10]
    )


def open_events(*, user, limit: int) -> tuple[list[MustVisitEvent], int]:
    queryset = visible_events(user).open()
    rows = list(
        _event_states(queryset)
        .select_related("household", "organisation")
        .order_by("occurred_on", "id")[:limit]
    )
    total = len(rows) if len(rows) < limit else queryset.count()
    return rows, total


def event_list(*, user) -> QuerySet[MustVisitEvent]:
    return (
        _event_states(visible_events(user))
        .select_related("household", "organisation")
        .order_by("-occurred_on", "-id")
    )


def secretaries_on(organisation_ids, day: datetime.date) -> dict[int, list[str]]:
    """The 书记 of each village or community on `day` (visits.rules.MUST_VISIT_ROLE), in one query: who
    must still make the 五必访 visits of its households."""
    ids = set(organisation_ids)
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    rows = (
        Position.objects.filter(organisation_id__in=ids, role=rules.MUST_VISIT_ROLE, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("organisation_id", "start_date", "id")
        .values_list("organisation_id", "member__name")
    )
    for organisation_id, name in rows:
        found.setdefault(organisation_id, []).append(name)
    return found


def answers_event(visit: Visit) -> bool | None:
    """Whether this visit answers its 五必访 event (visits.rules.closes_must_visit); None if untagged."""
    if visit.event_id is None:
        return None
    event, day = visit.event, visit.visited_on
    by_secretary = (
        Position.objects.filter(
            member_id=visit.visitor_id,
            organisation_id=event.organisation_id,
            role=rules.MUST_VISIT_ROLE,
            start_date__lte=day,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .exists()
    )
    return rules.closes_must_visit(occurred_on=event.occurred_on, visited_on=day, by_secretary=by_secretary)


def with_duty(events, today: datetime.date) -> list[MustVisitEvent]:
    """Each event with the days elapsed and, while open, who must still visit (`secretaries`, names)."""
    events = list(events)
    names = secretaries_on({e.organisation_id for e in events if not getattr(e, "is_visited", False)}, today)
    for event in events:
        event.days_elapsed = event.days_since(today)
        event.secretaries = names.get(event.organisation_id, [])
    return events


def is_editable(*, user, visit: Visit) -> bool:
    """The household's side edits (visits.scope.editable_visits), decided on the loaded paths: no query."""
    if sees_everything(user):
        return True
    root = root_organisation(user)
    return root is not None and visit.organisation.path.startswith(root.path)
