"""Reads for the backbone, each starting from the user's scope."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from liaison.access.scoping import get_scoped_or_404, scoped
from liaison.filters import HouseholdFilter
from liaison.models import Household, HouseholdTag, Resident


def household_list(*, user, filters: dict | None = None) -> tuple[HouseholdFilter, QuerySet[Household]]:
    """The filtered, scoped household list with what each row shows, in a constant number of queries."""
    base = (
        scoped(Household.objects.all(), user)
        .select_related("organisation")
        .annotate(resident_count=Count("residents", distinct=True))
        .prefetch_related(Prefetch("tags", queryset=HouseholdTag.objects.only("id", "name")))
        .order_by("organisation__path", "sort_key", "id")
    )
    household_filter = HouseholdFilter(filters or None, queryset=base, user=user)
    return household_filter, household_filter.qs


def household_detail(*, user, pk: int) -> Household:
    queryset = Household.objects.select_related(
        "organisation", "organisation__parent", "created_by"
    ).prefetch_related("tags", Prefetch("residents", queryset=Resident.objects.order_by("id")))
    return get_scoped_or_404(queryset, user, pk=pk)
