"""Dashboard, compliance drill-down and health check.

The dashboard page itself reads only the subtree's stored totals (liaison/totals.py); every heavier
section is loaded after it by its own URL (static/js/dashboard.js), so each request stays within its
query budget: the compliance table, the trends, the missed reception days, and each panel the apps
register in `liaison.panels.dashboard_panels` (one request a panel). `/?full=1` renders them all in
the page, for a browser without script."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from liaison import selectors
from liaison.access.scoping import root_organisation, scoped, visible_organisations
from liaison.compliance import RULES, evaluate, unit_kinds
from liaison.dashboard import charts, trends
from liaison.models import Organisation
from liaison.panels import dashboard_panels
from liaison.views.helpers import paginate

YEARS_BACK = 10
MISSED_SHOWN = 8
SECTIONS = ("compliance", "receptions", "trends")


def _year(request) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if this_year - YEARS_BACK <= year <= this_year else this_year


def _root(user) -> Organisation | None:
    return root_organisation(user) or visible_organisations(user).order_by("path").first()


@login_required
def dashboard(request):
    figures = selectors.dashboard(user=request.user)
    full = request.GET.get("full") == "1"
    inline = full or settings.LIAISON_DASHBOARD_PANELS_INLINE
    context = {
        "totals": figures.totals,
        "grassroots": figures.grassroots,
        "tags": figures.tags,
        "panel_numbers": [] if inline else range(len(dashboard_panels)),
        "panels": dashboard_panels.render(request) if inline else [],
        "full": full,
        "year": timezone.localdate().year,
    }
    if full:
        for name in SECTIONS:
            context.update(_section(request, name))
    return render(request, "liaison/dashboard.html", context)


@login_required
def dashboard_panel(request, index: int):
    """One registered panel, for the dashboard to load after the page; 204 when it has nothing."""
    try:
        html = dashboard_panels.render_one(request, index)
    except IndexError:
        raise Http404 from None
    return HttpResponse(html) if html else HttpResponse(status=204)


@login_required
def dashboard_section(request, name: str):
    if name not in SECTIONS:
        raise Http404
    context = _section(request, name)
    return render(request, f"liaison/dashboard/{name}.html", context)


def _section(request, name: str) -> dict:
    user, today = request.user, timezone.localdate()
    if name == "compliance":
        root = _root(user)
        if root is None:
            return {"evaluation": None}
        return {"evaluation": evaluate(root, today.year, today=today, children=True), "drill": False}
    if name == "trends":
        series = trends.monthly(user, today.year, today)
        return {
            "trend_year": today.year,
            "series": [(s, charts.chart(s.values, share=s.share, title=s.label)) for s in series],
        }
    from feedback.models import ReceptionSession, SessionStatus

    missed = (
        scoped(ReceptionSession.objects.all(), user)
        .filter(status=SessionStatus.MISSED, date__year=today.year)
        .select_related("organisation", "receiver")
        .order_by("-date", "-id")
    )
    shown = list(missed[: MISSED_SHOWN + 1])
    return {
        "missed_sessions": shown[:MISSED_SHOWN],
        "missed_count": missed.count() if len(shown) > MISSED_SHOWN else len(shown),
        "missed_year": today.year,
    }


@login_required
def compliance(request):
    """The compliance table of one organisation of the user's subtree (default: the user's own) and
    the organisations under it, each a link one level down: district → township → village; each rule
    leads to who falls short (compliance_rule), and from there to their records."""
    year = _year(request)
    visible = visible_organisations(request.user)
    if request.GET.get("organisation"):
        try:
            organisation = get_object_or_404(visible, pk=int(request.GET["organisation"]))
        except ValueError:
            raise Http404 from None
    else:
        organisation = _root(request.user)
        if organisation is None:
            raise Http404
    evaluation = evaluate(organisation, year, children=True)
    # The unit rules per kind of unit (one more grouped statement), when any unit rule applies here.
    by_kind = []
    if any(r.key.startswith("unit-") for r in evaluation.results):
        by_kind = unit_kinds.by_unit_kind(evaluation.context)
    return render(
        request,
        "liaison/compliance.html",
        {
            "evaluation": evaluation,
            "by_kind": unit_kinds.grouped(by_kind),
            "organisation": organisation,
            "ancestors": list(organisation.ancestors().filter(pk__in=visible.values("pk")).order_by("path")),
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - YEARS_BACK - 1, -1)),
            "drill": True,
        },
    )


@login_required
def compliance_rule(request, key: str):
    """Who falls short of one rule in one organisation's subtree, each linked to their records; a unit
    rule's list may be narrowed to one kind of unit (`?unit_kind=organ`, `unclassified` for 未分类; any
    other value is ignored, with a note)."""
    rule = next((rule for rule in RULES if rule.key == key), None)
    if rule is None:
        raise Http404
    year = _year(request)
    visible = visible_organisations(request.user)
    try:
        organisation = get_object_or_404(visible, pk=int(request.GET.get("organisation", "")))
    except ValueError:
        organisation = _root(request.user)
        if organisation is None:
            raise Http404 from None
    evaluation = evaluate(organisation, year)
    result = next((r for r in evaluation.results if r.key == key), None)
    if result is None:
        raise Http404
    shortfalls, unit_kind, notice = result.shortfalls, None, ""
    if "unit_kind" in rule.filters and request.GET.get("unit_kind"):
        unit_kind = unit_kinds.parse_unit_kind(request.GET["unit_kind"])
        if unit_kind is None:
            notice = unit_kinds.UNKNOWN_UNIT_KIND
        else:
            shortfalls = rule.shortfalls(evaluation.context, organisation, unit_kind=unit_kind)
    page, querystring = paginate(request, shortfalls)
    return render(
        request,
        "liaison/compliance_rule.html",
        {
            "result": result,
            "unit_kind_label": None if unit_kind is None else unit_kinds.unit_kind_label(unit_kind),
            "notice": notice,
            "organisation": organisation,
            "year": year,
            "page": page,
            "querystring": querystring,
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
