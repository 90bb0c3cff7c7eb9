"""The dashboard panel: overdue and due-soon opinions of the user's subtree, and this year's on-time share.

An overdue opinion of a village is in its township's subtree, so it shows on the township's dashboard
too, marked as coming from below (升级督办): escalation through the one scoping mechanism.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from feedback import rules, selectors
from liaison.quotas import QuotaMissing, quota_rule
from liaison.workcal import missing_years_warning


def deadline_panel(request) -> str | None:
    user = request.user
    if not user.has_perm("feedback.view_opinion"):
        return None
    today = timezone.localdate()
    board = selectors.deadline_board(user=user, today=today)
    try:
        rule = quota_rule("opinions-on-time")
    except QuotaMissing:
        rule = None
    return render_to_string(
        "feedback/panel.html",
        {
            "board": board,
            "today": today,
            "rule": rule,
            "due_soon_percent": int(rules.DUE_SOON_SHARE * 100),
            "missing_years": missing_years_warning(today),
        },
        request=request,
    )
