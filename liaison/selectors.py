"""Reads for the backbone, each starting from the user's scope."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce

from liaison.access.scoping import get_scoped_or_404, scoped, visible_organisations
from liaison.filters import HouseholdFilter
from liaison.models import (
    Household,
    HouseholdTag,
    Organisation,
    OrganisationTagTotal,
    OrganisationTotals,
    Resident,
)
from liaison.totals import FIELDS as TOTAL_FIELDS

DASHBOARD_TAGS = 12  # 重点户: the tags with most households


def household_list(*, user, filters: dict | None = None) -> tuple[HouseholdFilter, QuerySet[Household]]:
    """The filtered, scoped household list with what each row shows, in a constant number of queries.

    The number of residents is not annotated here: a COUNT over the join would group every resident
    of the scope before LIMIT (1.2 M rows for the district, issue #10). `with_resident_counts` counts
    them for the rows actually shown."""
    # A user who sees the whole tree sees every household (their organisation is required): without the
    # `organisation_id IN (subtree)` filter SQLite walks the villages in path order and each one's
    # (organisation, sort_key) index, and stops at the page (the district's list 287 ms → 5 ms query).
    households = scoped(Household.objects.all(), user, all_placed=True)
    base = (
        households.select_related("organisation")
        .prefetch_related(Prefetch("tags", queryset=HouseholdTag.objects.only("id", "name")))
        .order_by("organisation__path", "sort_key", "id")
    )
    household_filter = HouseholdFilter(filters or None, queryset=base, user=user)
    return household_filter, household_filter.qs


def stored_household_count(household_filter: HouseholdFilter) -> int | None:
    """The list's count from the stored totals (liaison.totals, recounted on every write and compared
    with fresh counts in tests/test_totals.py) when nothing but a village or a tag narrows it, else
    None. A COUNT over the district's 400,000 active households took 84 ms of the page's 124 ms on
    PostgreSQL; this sums ~300 rows."""
    if household_filter.is_bound and not household_filter.is_valid():
        return None
    values = household_filter.form.cleaned_data if household_filter.is_bound else {}
    if any(values.get(name) not in (None, "") for name in ("q", "group", "away")):
        return None
    organisations = visible_organisations(household_filter.user)
    if chosen := values.get("organisation"):
        organisations = organisations.filter(path__startswith=chosen.path)
    if tag := values.get("tag"):
        rows = OrganisationTagTotal.objects.filter(tag=tag)
    else:
        rows = OrganisationTotals.objects.all()
    return rows.filter(organisation__in=organisations.values("pk")).aggregate(
        n=Coalesce(Sum("households"), 0)
    )["n"]


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


@dataclass(frozen=True)
class Dashboard:
    totals: dict[str, int]  # the subtree's households, households_with_away, residents, party_residents
    grassroots: list[Organisation]  # each with household_count
    tags: list[dict]  # {"tag_id", "tag__name", "n"}


def dashboard(*, user) -> Dashboard:
    """The figures of the dashboard, from the stored per-organisation totals (liaison/totals.py): two
    queries over the few hundred organisations of the subtree, whatever the number of households.

    The villages and communities are listed with their own household counts, and the subtree's totals
    are summed over the same rows in SQL (`SUM(...) OVER ()`). An organisation of another level that
    holds households (the admin allows it) is listed too, so the list always adds up to the totals."""
    rows = list(
        visible_organisations(user)
        .filter(Q(level__in=Organisation.GRASSROOTS_LEVELS) | Q(totals__households__gt=0))
        .select_related("parent")
        .annotate(
            household_count=Coalesce(F("totals__households"), 0),
            **{f"subtree_{name}": Window(Sum(f"totals__{name}")) for name in TOTAL_FIELDS},
        )
        .order_by("path")
    )
    totals = {name: (getattr(rows[0], f"subtree_{name}") or 0) if rows else 0 for name in TOTAL_FIELDS}
    tags = list(
        scoped(OrganisationTagTotal.objects.all(), user)
        .values("tag_id", "tag__name")
        .annotate(n=Sum("households"))
        .filter(n__gt=0)
        .order_by("-n", "tag__name")[:DASHBOARD_TAGS]
    )
    return Dashboard(totals=totals, grassroots=rows, tags=tags)
