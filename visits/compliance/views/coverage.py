"""走访覆盖 (district → township → village → the households short of visits) and 个人定额 pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from liaison.access.scoping import visible_grassroots, visible_organisations
from liaison.models import Organisation
from liaison.quotas import quota_rule
from liaison.safeguards.ids import parse_id
from liaison.views.helpers import paginate
from members.views.common import chosen_year, year_choices
from visits import coverage_rules as rules
from visits.compliance import coverage as selectors
from visits.compliance import quotas as people
from visits.compliance.views.common import chosen_township

SHOW_CHOICES = (("short", "走访次数不足的户"), ("never", "本届从未走访的户"), ("all", "全部户"))


@login_required
@permission_required("visits.view_visit", raise_exception=True)
def coverage(request):
    year = chosen_year(request)
    today = timezone.localdate()
    township = chosen_township(request)
    rows = selectors.village_coverage(request.user, year=year, today=today, township=township)
    townships, total = selectors.by_township(rows)
    by_township = township is None and len(townships) > 1
    page, querystring = paginate(request, townships if by_township else rows)
    return render(
        request,
        "visits/compliance/coverage.html",
        {
            "year": year,
            "years": year_choices(),
            "township": township,
            "by_township": by_township,
            "page": page,
            "querystring": querystring,
            "total": total,
            "rule": quota_rule(selectors.TERM_QUOTA),
            "today": today,
        },
    )


@login_required
@permission_required("visits.view_visit", raise_exception=True)
def coverage_village(request, pk: int):
    village = get_object_or_404(visible_grassroots(request.user).select_related("parent"), pk=pk)
    today = timezone.localdate()
    rule = quota_rule(selectors.TERM_QUOTA)
    quota = int(rule.minimum)
    term = selectors.current_terms([village], today).get(village.pk)
    show = request.GET.get("show", "short")
    show = show if show in dict(SHOW_CHOICES) else "short"
    context = {"village": village, "term": term, "rule": rule, "show": show, "show_choices": SHOW_CHOICES}
    if term is not None:
        due = rules.visits_due(quota, term.elected_on, term.ends_on, today)
        households = selectors.households_short(village, term, due=due, today=today, show=show)
        page, querystring = paginate(request, households)
        context.update(due=due, page=page, querystring=querystring, ended=today > term.ends_on)
    return render(request, "visits/compliance/coverage_village.html", context)


@login_required
@permission_required("members.view_position", raise_exception=True)
def quotas(request):
    year = chosen_year(request)
    today = timezone.localdate()
    kind = request.GET.get("kind", "")
    kind = kind if kind in people.KINDS else ""
    organisation = None
    if raw := request.GET.get("organisation"):
        organisation = get_object_or_404(visible_organisations(request.user), pk=parse_id(raw) or 0)
    short = request.GET.get("short") == "1"
    holders = people.post_holders(user=request.user, year=year, kind=kind, organisation=organisation)
    if short:
        # 未达标 reads every post's figures to choose its rows: once, for the count and the page together
        # (the district's 1,328 posts, counted and then sorted for a page, read them twice: 59 + 68 ms).
        chosen = people.short_only(holders).values_list("pk", flat=True)
        page, querystring = paginate(request, list(chosen), rows=lambda pks: holders.filter(pk__in=pks))
    else:
        page, querystring = paginate(request, holders)
    return render(
        request,
        "visits/compliance/quotas.html",
        {
            "year": year,
            "years": year_choices(),
            "kind": kind,
            "kinds": people.KIND_CHOICES,
            "organisation": organisation,
            "organisations": visible_organisations(request.user)
            .filter(level__in=[Organisation.Level.DISTRICT, Organisation.Level.TOWNSHIP])
            .order_by("path"),
            "short": short,
            "page": page,
            "querystring": querystring,
            "rows": people.person_years(page.object_list, year=year, today=today),
        },
    )
