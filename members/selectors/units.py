"""Unit pairings (联系帮扶): list with this year's progress, page with every year against its quota."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from liaison.quotas import quotas
from members import rules
from members.filters import UnitPairingFilter
from members.models import PartyMember, UnitPairing
from members.scope import visible_unit_pairings

MONEY = DecimalField(max_digits=14, decimal_places=2)
# The order of 004 三: 联线, 结对, 联姻, 牵手.
KIND_ORDER = Case(
    *[When(kind=kind, then=Value(index)) for index, kind in enumerate(UnitPairing.Kind.values)],
    output_field=IntegerField(),
)


def unit_quotas() -> dict:
    """kind → QuotaRule, in one query."""
    found = quotas(*UnitPairing.QUOTA_CODES.values())
    return {kind: found[code] for kind, code in UnitPairing.QUOTA_CODES.items()}


def _with_parties(queryset: QuerySet[UnitPairing]) -> QuerySet[UnitPairing]:
    return queryset.select_related(
        "helper_organisation",
        "target_organisation",
        "target_household__organisation",
        "target_member__organisation",
        "area__parent",
    ).prefetch_related(
        Prefetch("members", queryset=PartyMember.objects.select_related("organisation").order_by("name"))
    )


def unit_pairing_list(*, user, filters: dict | None = None, year: int | None = None):
    year = year or timezone.localdate().year
    in_year = Q(records__date__year=year)
    base = (
        _with_parties(visible_unit_pairings(user))
        .annotate(
            year_records=Count("records", filter=in_year),
            year_money=Coalesce(Sum("records__money", filter=in_year), Value(Decimal(0)), output_field=MONEY),
        )
        .order_by(KIND_ORDER, "area__path", "-start_date", "id")
    )
    unit_filter = UnitPairingFilter(filters or None, queryset=base, user=user)
    return unit_filter, unit_filter.qs


def year_progress(pairing: UnitPairing, rule, year: int) -> rules.YearResult:
    """The chosen year's progress of a listed pairing (from the list's annotations)."""
    achieved = pairing.year_money if pairing.counts_money else pairing.year_records
    return rules.YearResult(
        year=year, achieved=achieved, minimum=rule.minimum, in_progress=year == timezone.localdate().year
    )


def unit_pairing_detail(*, user, pk: int) -> UnitPairing:
    return get_object_or_404(_with_parties(visible_unit_pairings(user)), pk=pk)


def unit_year_results(pairing: UnitPairing, *, today: datetime.date | None = None) -> list[rules.YearResult]:
    """Every calendar year the pairing has run, newest first, met or unmet against its quota."""
    today = today or timezone.localdate()
    rule = unit_quotas()[pairing.kind]
    per_year = (
        pairing.records.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("id"), money=Sum("money"))
        .order_by()
    )
    totals = {row["year"]: (row["money"] if pairing.counts_money else row["n"]) for row in per_year}
    years = rules.years_between(pairing.start_date, pairing.ended_on, today)
    return list(reversed(rules.yearly_results(totals, years, rule.minimum, current_year=today.year)))
