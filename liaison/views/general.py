"""Dashboard and health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from liaison import selectors
from liaison.panels import dashboard_panels


@login_required
def dashboard(request):
    figures = selectors.dashboard(user=request.user)
    return render(
        request,
        "liaison/dashboard.html",
        {
            "totals": figures.totals,
            "grassroots": figures.grassroots,
            "tags": figures.tags,
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
