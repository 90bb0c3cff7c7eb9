"""Coverage per 镇街 against 004 联系帮扶制度 一 “党组织100%覆盖、贫困群众100%覆盖”, counted in SQL.

- 党组织覆盖: villages and communities with an active 支部联线 partner (004 三（一）names all 200 villages
  and 77 communities as the 联线 targets);
- 贫困群众覆盖: households carrying a tag that counts as poor (HouseholdTag.is_poor) with an active
  结对帮扶 or an active 党员结对.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value

from liaison.access.scoping import scoped, visible_grassroots
from liaison.models import Household, HouseholdTag, Organisation
from members.models import Pairing, UnitPairing
from members.rules import Coverage

L = Organisation.Level


def _has_line() -> Exists:
    return Exists(
        UnitPairing.objects.filter(
            kind=UnitPairing.Kind.LIAISON_LINE,
            status=UnitPairing.Status.ACTIVE,
            target_organisation=OuterRef("pk"),
        )
    )


def _is_poor() -> Q:
    # Found from the poor tags' side (their ~20,000 households), not asked of every household: an EXISTS
    # per household made SQLite probe all 400,000 of the district, three times a page (0.32 s each).
    tagged = HouseholdTag.households.through.objects.filter(householdtag__is_poor=True)
    return Q(pk__in=tagged.values("household_id"))


def _is_paired() -> Q:
    pairing = Pairing.objects.filter(household=OuterRef("pk"), status=Pairing.Status.ACTIVE)
    unit = UnitPairing.objects.filter(
        target_household=OuterRef("pk"),
        kind=UnitPairing.Kind.MEMBER_PAIRING,
        status=UnitPairing.Status.ACTIVE,
    )
    return Q(Exists(pairing)) | Q(Exists(unit))


def grassroots(user, township: Organisation | None = None) -> QuerySet[Organisation]:
    queryset = visible_grassroots(user)
    return queryset.filter(parent=township) if township else queryset


def poor_households(user, township: Organisation | None = None) -> QuerySet[Household]:
    queryset = scoped(Household.objects.filter(_is_poor()), user)
    return queryset.filter(organisation__parent=township) if township else queryset


@dataclass(frozen=True)
class TownshipCoverage:
    township: Organisation | None
    organisations: Coverage
    poor: Coverage


def _counts_by_township(user) -> tuple[dict, dict]:
    orgs = {
        row["parent"]: row
        for row in grassroots(user)
        .values("parent")
        .annotate(total=Count("id"), covered=Count("id", filter=Q(_has_line())))
        .order_by()
    }
    poor = {
        row["organisation__parent"]: row
        for row in poor_households(user)
        .values("organisation__parent")
        .annotate(total=Count("id"), covered=Count("id", filter=_is_paired()))
        .order_by()
    }
    return orgs, poor


def coverage_total(user) -> TownshipCoverage:
    """The scope's total alone (the dashboard's panel): both aggregates in one query (UNION ALL)."""
    orgs = (
        grassroots(user)
        .annotate(kind=Value("organisations"))
        .values("kind")
        .annotate(total=Count("id"), covered=Count("id", filter=Q(_has_line())))
        .values_list("kind", "total", "covered")
        .order_by()
    )
    poor = (
        poor_households(user)
        .annotate(kind=Value("poor"))
        .values("kind")
        .annotate(total=Count("id"), covered=Count("id", filter=_is_paired()))
        .values_list("kind", "total", "covered")
        .order_by()
    )
    found = {kind: Coverage(covered, total) for kind, total, covered in orgs.union(poor, all=True)}
    empty = Coverage(0, 0)
    return TownshipCoverage(
        township=None,
        organisations=found.get("organisations", empty),
        poor=found.get("poor", empty),
    )


def coverage_by_township(user) -> tuple[list[TownshipCoverage], TownshipCoverage]:
    """One row per 镇街 in the user's scope plus the total: three queries whatever the size."""
    orgs, poor = _counts_by_township(user)
    townships = Organisation.objects.filter(pk__in=set(orgs) | set(poor)).order_by("path")
    rows = [
        TownshipCoverage(
            township=township,
            organisations=Coverage(
                orgs.get(township.pk, {}).get("covered", 0), orgs.get(township.pk, {}).get("total", 0)
            ),
            poor=Coverage(
                poor.get(township.pk, {}).get("covered", 0), poor.get(township.pk, {}).get("total", 0)
            ),
        )
        for township in townships
    ]
    total = TownshipCoverage(
        township=None,
        organisations=Coverage(
            sum(r.organisations.covered for r in rows), sum(r.organisations.total for r in rows)
        ),
        poor=Coverage(sum(r.poor.covered for r in rows), sum(r.poor.total for r in rows)),
    )
    return rows, total


def uncovered_organisations(user, township: Organisation | None = None) -> QuerySet[Organisation]:
    return grassroots(user, township).filter(~Q(_has_line())).select_related("parent").order_by("path")


def uncovered_poor_households(user, township: Organisation | None = None) -> QuerySet[Household]:
    return (
        poor_households(user, township)
        .filter(~_is_paired())
        .select_related("organisation__parent")
        .prefetch_related("tags")
        .order_by("organisation__path", "sort_key", "id")
    )
