"""Reads for the visits app: scoped querysets with what each page prints, no query in a loop."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from liaison.access.scoping import root_organisation, sees_everything
from visits.filters import VisitFilter
from visits.models import MustVisitEvent, Visit, VisitMember
from visits.scope import editable_visits, visible_events, visible_visits

LIST_RELATED = ("organisation", "visitor", "opinion", "event")


def visit_list(*, user, params) -> tuple[VisitFilter, QuerySet[Visit]]:
    queryset = visible_visits(user).select_related(*LIST_RELATED).order_by("-visited_on", "-id")
    filterset = VisitFilter(params, queryset=queryset, user=user)
    return filterset, filterset.qs


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


def household_visits(*, household, limit: int) -> tuple[list[Visit], int]:
    queryset = Visit.objects.filter(household=household)
    rows = list(queryset.select_related("visitor", "opinion", "event").order_by("-visited_on", "-id")[:limit])
    total = len(rows) if len(rows) < limit else queryset.count()
    return rows, total


def household_events(*, household) -> list[MustVisitEvent]:
    return list(
        MustVisitEvent.objects.filter(household=household)
        .annotate(is_visited=MustVisitEvent.objects.visited())
        .order_by("-occurred_on", "-id")[:10]
    )


def open_events(*, user, limit: int) -> tuple[list[MustVisitEvent], int]:
    queryset = visible_events(user).open()
    rows = list(queryset.select_related("household", "organisation").order_by("occurred_on", "id")[:limit])
    total = len(rows) if len(rows) < limit else queryset.count()
    return rows, total


def event_list(*, user) -> QuerySet[MustVisitEvent]:
    return (
        visible_events(user)
        .annotate(is_visited=MustVisitEvent.objects.visited())
        .select_related("household", "organisation")
        .order_by("-occurred_on", "-id")
    )


def is_editable(*, user, visit: Visit) -> bool:
    """The household's side edits (visits.scope.editable_visits), decided on the loaded paths: no query."""
    if sees_everything(user):
        return True
    root = root_organisation(user)
    return root is not None and visit.organisation.path.startswith(root.path)
