"""Reads for the backbone, each starting from the user's scope."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Prefetch, QuerySet

from liaison.access.scoping import get_scoped_or_404, scoped
from liaison.filters import HouseholdFilter
from liaison.models import Household, HouseholdTag, Resident


def household_list(*, user, filters: dict | None = None) -> tuple[HouseholdFilter, QuerySet[Household]]:
    """The filtered, scoped household list with what each row shows, in a constant number of queries.

    The number of residents is not annotated here: a COUNT over the join would group every resident
    of the scope before LIMIT (1.2 M rows for the district, issue #10). `with_resident_counts` counts
    them for the rows actually shown."""
    base = (
        scoped(Household.objects.all(), user)
        .select_related("organisation")
        .prefetch_related(Prefetch("tags", queryset=HouseholdTag.objects.only("id", "name")))
        .order_by("organisation__path", "sort_key", "id")
    )
    household_filter = HouseholdFilter(filters or None, queryset=base, user=user)
    return household_filter, household_filter.qs


def with_resident_counts(households: Iterable[Household]) -> list[Household]:
    """Set `resident_count` on each household, in one grouped query over just these households."""
    rows = list(households)
    counts = dict(
        Resident.objects.filter(household_id__in=[h.pk for h in rows])
        .order_by()
        .values_list("household_id")
        .annotate(n=Count("id"))
    )
    for household in rows:
        household.resident_count = counts.get(household.pk, 0)
    return rows


def household_detail(*, user, pk: int, include_archived: bool = False) -> Household:
    """The household with its current residents. Its page (include_archived) also finds an archived
    household, for the 已归档 list, restore and purge, and lists archived residents in
    `household.archived_residents`; everything else sees only active ones."""
    manager = Household.all_objects if include_archived else Household.objects
    queryset = manager.select_related(
        "organisation", "organisation__parent", "created_by", "archived_by"
    ).prefetch_related(
        "tags",
        Prefetch(
            "residents",
            queryset=Resident.all_objects.filter(archived_on__isnull=True).order_by("id"),
        ),
    )
    household = get_scoped_or_404(queryset, user, pk=pk)
    if include_archived:
        household.archived_residents = list(
            Resident.all_objects.filter(household=household, archived_on__isnull=False).order_by("id")
        )
    return household
