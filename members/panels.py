"""Panels on backbone pages (liaison.panels): the household page shows who helps the household, and the
dashboard shows this subtree's pairing coverage."""

from __future__ import annotations

from django.db.models import Prefetch
from django.template.loader import render_to_string

from members.models import Pairing, PartyMember, UnitPairing
from members.selectors.coverage import coverage_total


def household_helpers(request, household) -> str | None:
    """帮扶人: active and ended pairings of this household, and 党员结对 unit pairings. The household is
    already in the user's scope (the page checked); its helpers are shown even when they belong to
    another subtree, since they are the household's own contacts."""
    if not request.user.has_perm("members.view_pairing"):
        return None
    pairings = list(
        Pairing.objects.filter(household=household)
        .prefetch_related(
            Prefetch("members", queryset=PartyMember.objects.select_related("organisation").order_by("name"))
        )
        .order_by("status", "-start_date")
    )
    units = list(
        UnitPairing.objects.filter(target_household=household)
        .select_related("helper_organisation")
        .prefetch_related("members")
        .order_by("status", "-start_date")
    )
    return render_to_string(
        "members/includes/household_panel.html",
        {
            "household": household,
            "pairings": pairings,
            "units": units,
            "perms_add": request.user.has_perm("members.add_pairing"),
        },
        request=request,
    )


def dashboard_coverage(request) -> str | None:
    if not request.user.has_perm("members.view_unitpairing"):
        return None
    total = coverage_total(request.user)
    if not total.organisations.total and not total.poor.total:
        return None
    return render_to_string("members/includes/dashboard_panel.html", {"total": total}, request=request)
