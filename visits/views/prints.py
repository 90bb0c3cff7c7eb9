"""The 民情日志 (附件3): one visit, a visitor's booklet for a period (a year in one click), a blank page."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from liaison.access.middleware import no_personal_data
from liaison.documents.pdf import render_pdf
from liaison.documents.rendering import file_response
from liaison.safeguards.dates import parse_plausible
from liaison.safeguards.ids import parse_id
from members.scope import visible_members
from visits import selectors
from visits.printing import BOOKLET_TOO_LONG, MAX_BOOKLET_VISITS, blank_context, booklet_context
from visits.services.visits import title_on

TEMPLATE = "visits/print/booklet.html"
NO_VISITS = "{name}在所选期间没有走访记录。"


@login_required
@permission_required("visits.view_visit", raise_exception=True)
@require_GET
def visit_pdf(request, pk: int):
    visit = selectors.visit_detail(user=request.user, pk=pk)
    rendered = render_pdf(
        TEMPLATE,
        booklet_context(visits=[visit], user=request.user, cover=False),
        filename=f"民情日志-{visit.visitor.name}-{visit.visited_on:%Y%m%d}-{visit.head_name}户.pdf",
    )
    return file_response(rendered, inline=True)


def _period(request) -> tuple[datetime.date, datetime.date, str]:
    year = parse_id(request.GET.get("year"))
    start = parse_plausible(request.GET.get("start"))
    end = parse_plausible(request.GET.get("end"))
    if start or end:
        start = start or datetime.date(2000, 1, 1)
        end = end or timezone.localdate()
        if end < start:
            start, end = end, start
        return start, end, f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"
    if year is None or not 2000 <= year <= 2100:
        year = timezone.localdate().year
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year}年度"


@login_required
@permission_required("visits.view_visit", raise_exception=True)
@require_GET
def booklet_pdf(request):
    """A visitor's 民情日志 for a year (?year=) or a period (?start=&end=): cover, then one page a visit."""
    visitor_id = parse_id(request.GET.get("visitor"))
    if visitor_id is None:
        raise Http404
    start, end, period = _period(request)
    visits = selectors.visits_for_booklet(
        user=request.user, visitor_id=visitor_id, start=start, end=end, limit=MAX_BOOKLET_VISITS + 1
    )
    visitor = visits[0].visitor if visits else get_object_or_404(visible_members(request.user), pk=visitor_id)
    if not visits or len(visits) > MAX_BOOKLET_VISITS:
        message = (
            NO_VISITS.format(name=visitor.name)
            if not visits
            else BOOKLET_TOO_LONG.format(limit=MAX_BOOKLET_VISITS)
        )
        return render(
            request, "visits/booklet_refused.html", {"message": message, "visitor": visitor}, status=400
        )
    title = visits[-1].visitor_title or title_on(visitor, end)
    rendered = render_pdf(
        TEMPLATE,
        booklet_context(
            visits=visits,
            user=request.user,
            visitor=visitor,
            unit=visitor.organisation.name,
            title=title,
            period=period,
        ),
        filename=f"民情日志-{visitor.name}-{period}.pdf",
    )
    return file_response(rendered, inline=True)


@login_required
@permission_required("visits.view_visit", raise_exception=True)
@require_GET
def blank_pdf(request):
    """A blank 附件3 page, for visits written by hand first."""
    rendered = render_pdf(TEMPLATE, blank_context(user=request.user), filename="民情日志-空白页.pdf")
    return no_personal_data(file_response(rendered, inline=True))
