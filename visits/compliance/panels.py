"""The dashboard panel of the compliance pages (liaison.panels.dashboard_panels): the villages in the
user's scope that held no 民情分析会 in the month just over, and those whose 两委 term is not entered or
has run out (coverage per term cannot be counted without it). One query: the villages in scope, each
with two EXISTS."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from liaison.access.scoping import visible_grassroots
from visits.models import AnalysisMeeting, Term
from visits.models.meetings import first_of_month

SHOWN = 8


def compliance_panel(request) -> str | None:
    user = request.user
    if not user.has_perm("visits.view_analysismeeting"):
        return None
    today = timezone.localdate()
    last_month = first_of_month(first_of_month(today) - datetime.timedelta(days=1))
    villages = list(
        visible_grassroots(user)
        .select_related("parent")
        .annotate(
            met=Exists(AnalysisMeeting.objects.filter(organisation=OuterRef("pk"), month=last_month)),
            termed=Exists(
                Term.objects.filter(organisation=OuterRef("pk"), elected_on__lte=today, ends_on__gte=today)
            ),
        )
        .order_by("path")
    )
    if not villages:
        return None
    missed = [v for v in villages if not v.met]
    untermed = [v for v in villages if not v.termed]
    return render_to_string(
        "visits/compliance/panel.html",
        {
            "villages": len(villages),
            "last_month": last_month,
            "missed": missed[:SHOWN],
            "missed_count": len(missed),
            "untermed": untermed[:SHOWN],
            "untermed_count": len(untermed),
        },
        request=request,
    )
