"""Panels on backbone pages (liaison.panels): the household page lists the household's visits and the
opinions raised in them; the dashboard lists open 五必访 events with the days elapsed."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from visits import selectors

HOUSEHOLD_PANEL_ROWS = 20
DASHBOARD_PANEL_ROWS = 15


def household_visits(request, household) -> str | None:
    """The household is already in the user's scope (its page checked); its visits are its own
    record, shown whoever made them."""
    user = request.user
    if not user.has_perm("visits.view_visit"):
        return None
    visits, total = selectors.household_visits(household=household, limit=HOUSEHOLD_PANEL_ROWS)
    today = timezone.localdate()
    events = selectors.with_duty(selectors.household_events(household=household), today)
    return render_to_string(
        "visits/includes/household_panel.html",
        {
            "household": household,
            "visits": visits,
            "total": total,
            "events": events,
            "can_add": user.has_perm("visits.add_visit") and not household.is_archived,
            "can_add_event": user.has_perm("visits.add_mustvisitevent") and not household.is_archived,
            "sees_opinions": user.has_perm("feedback.view_opinion"),
        },
        request=request,
    )


def must_visit_panel(request) -> str | None:
    """五必访 (004 入户走访制度 三): events with no visit yet, oldest first, with the days elapsed."""
    user = request.user
    if not user.has_perm("visits.view_mustvisitevent"):
        return None
    today = timezone.localdate()
    rows, total = selectors.open_events(user=user, limit=DASHBOARD_PANEL_ROWS)
    rows = selectors.with_duty(rows, today)
    return render_to_string(
        "visits/includes/dashboard_panel.html",
        {"rows": rows, "total": total, "today": today, "can_add": user.has_perm("visits.add_visit")},
        request=request,
    )
