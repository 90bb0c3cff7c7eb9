"""Dashboard and health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from liaison.access.scoping import scoped, visible_grassroots
from liaison.models import Household, Resident
from liaison.panels import dashboard_panels


@login_required
def dashboard(request):
    user = request.user
    households = scoped(Household.objects.all(), user)
    totals = households.aggregate(
        households=Count("id"),
        with_away=Count("id", filter=Exists(Resident.objects.filter(household=OuterRef("pk"), is_away=True))),
    )
    residents = scoped(Resident.objects.all(), user, via="household__organisation").aggregate(
        residents=Count("id"), party=Count("id", filter=Q(is_party_member=True))
    )
    # Counted per organisation_id through its index, then joined to the names: a JOIN grouped by every
    # organisation column took 788 ms at district scale against 13 ms this way (issue #10).
    per_village = (
        Household.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("id"))
        .values("n")
    )
    grassroots = (
        visible_grassroots(user)
        .select_related("parent")
        .annotate(household_count=Coalesce(Subquery(per_village), 0))
        .order_by("path")
    )
    # Counted on the household–tag link table, grouped by tag id: excluding untagged households through
    # the household join made PostgreSQL plan an anti join of every scoped household against every
    # untagged one (minutes at district scale).
    tags = (
        scoped(Household.tags.through.objects.all(), user, via="household__organisation")
        .filter(household__archived_on__isnull=True)  # the link table has no manager to hide them
        .order_by()
        .values("householdtag_id", "householdtag__name")
        .annotate(n=Count("id"))
        .order_by("-n", "householdtag__name")[:12]
    )
    return render(
        request,
        "liaison/dashboard.html",
        {
            "totals": {**totals, **residents},
            "grassroots": grassroots,
            "tags": tags,
            "panels": dashboard_panels.render(request),
        },
    )


@never_cache
def healthz(request):
    """200 when the database answers; 503 otherwise. No login, no personal data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
