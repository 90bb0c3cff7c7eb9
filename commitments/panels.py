"""What commitments adds to backbone pages through liaison.panels (liaison imports none of it).

- the dashboard: committees graded 不合格 two years running (004 五 “应主动辞职”), 限期整改 deadlines,
  and the items waiting for the user (township approval, redrafting, members without a promise);
- /public/: the published commitments of each village and year, with their status and the published
  综合考评 grade. Nothing about who voted and nothing of any resident.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from commitments import scope, selectors
from commitments.models import Assessment, Commitment
from commitments.rules import Grade
from commitments.states import PUBLIC_STATES, State
from liaison.models import Organisation

L = Organisation.Level
RECTIFY_SHOWN = 8


def dashboard_panel(request) -> str | None:
    user = request.user
    if not user.has_perm("commitments.view_commitment"):
        return None
    today = timezone.localdate()
    own = user.organisation
    # One aggregate over the user's commitments: what waits for whom.
    visible = scope.visible_commitments(user).filter(year__lte=today.year, end_year__gte=today.year)
    below = ~Q(organisation_id=user.organisation_id) if user.organisation_id else Q()
    counts = visible.aggregate(
        to_approve=Count("id", filter=Q(state=State.ADOPTED) & below),
        sent_back=Count("id", filter=Q(state=State.SENT_BACK)),
        drafts=Count("id", filter=Q(state=State.DRAFT)),
        to_publish=Count("id", filter=Q(state=State.APPROVED)),
        published=Count("id", filter=Q(state__in=PUBLIC_STATES)),
    )
    # One query for the flags: 连续两年不合格 and open 限期整改, the latest first.
    flagged = list(
        selectors.with_flags(scope.visible_assessments(user).filter(year__gte=today.year - 2))
        .filter(Q(consecutive_fail=True) | Q(rectification_deadline__gte=today))
        .select_related("organisation", "organisation__parent")
        .order_by("-consecutive_fail", "rectification_deadline", "organisation__path")[: RECTIFY_SHOWN * 2]
    )
    resign = [a for a in flagged if a.consecutive_fail]
    rectify = [a for a in flagged if not a.consecutive_fail and a.rectification_deadline][:RECTIFY_SHOWN]
    if not any(counts.values()) and not flagged:
        return None
    return render_to_string(
        "commitments/panel.html",
        {
            "counts": counts,
            "resign": resign,
            "rectify": rectify,
            "today": today,
            "is_township": bool(own is None or own.level in (L.DISTRICT, L.TOWNSHIP)),
        },
        request=request,
    )


def _organisations(organisation: Organisation | None):
    grassroots = Organisation.objects.filter(level__in=Organisation.GRASSROOTS_LEVELS)
    if organisation is None:
        return grassroots
    return grassroots.filter(path__startswith=organisation.path)


def _year(request, organisations) -> int | None:
    value = (request.GET.get("year") or "").strip()
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    latest = (
        Commitment.objects.filter(organisation__in=organisations, state__in=PUBLIC_STATES)
        .order_by("-end_year")
        .values_list("end_year", flat=True)
        .first()
    )
    return min(latest, timezone.localdate().year) if latest else None


def public_section(request, organisation: Organisation | None = None, **_) -> str | None:
    """公开承诺 (004 四（三）) and the 考评结果 “向群众公布” (四（六）) on /public/ (no login)."""
    organisations = _organisations(organisation)
    year = _year(request, organisations)
    if year is None:
        return None
    single = organisation is not None and organisation.is_grassroots
    grades = {
        a.organisation_id: a
        for a in Assessment.objects.filter(
            organisation__in=organisations, year=year, published_on__isnull=False
        )
        .exclude(final_grade="")
        .only("id", "organisation_id", "year", "final_grade", "published_on")
    }
    if single:
        items = list(selectors.public_commitments(organisations, year))
        villages = []
    else:
        items = []
        villages = list(
            organisations.filter(
                commitments__state__in=PUBLIC_STATES,
                commitments__year__lte=year,
                commitments__end_year__gte=year,
            )
            .annotate(items=Count("commitments"))
            .select_related("parent")
            .order_by("path")[:400]
        )
        for village in villages:
            village.assessment = grades.get(village.pk)
    if not items and not villages:
        return None
    return render_to_string(
        "commitments/public_section.html",
        {
            "year": year,
            "organisation": organisation,
            "single": single,
            "items": items,
            "villages": villages,
            "assessment": grades.get(organisation.pk) if single else None,
            "grade_fail": Grade.FAIL,
        },
        request=request,
    )
