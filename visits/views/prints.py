"""The 民情日志 (附件3): one visit, a visitor's booklet for a period (a year in one click), a blank page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from liaison.access.middleware import no_personal_data
from liaison.documents.pdf import render_pdf
from liaison.documents.rendering import RenderedFile, file_response
from liaison.jobs.long_prints import print_or_start
from liaison.safeguards.dates import parse_plausible
from liaison.safeguards.ids import parse_id
from members.models import PartyMember
from members.scope import visible_members
from visits import selectors
from visits.printing import (
    BOOKLET_TOO_LONG,
    BOOKLET_VISITS_IN_REQUEST,
    MAX_BOOKLET_VISITS,
    blank_context,
    booklet_context,
)
from visits.services.visits import title_on

TEMPLATE = "visits/print/booklet.html"
NO_VISITS = "{name}在所选期间没有走访记录。"
BOOKLET_JOB = "visits.booklet_pdf"


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


def _period(params) -> tuple[datetime.date, datetime.date, str]:
    year = parse_id(params.get("year"))
    start = parse_plausible(params.get("start"))
    end = parse_plausible(params.get("end"))
    if start or end:
        start = start or datetime.date(2000, 1, 1)
        end = end or timezone.localdate()
        if end < start:
            start, end = end, start
        return start, end, f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"
    if year is None or not 2000 <= year <= 2100:
        year = timezone.localdate().year
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year}年度"


@dataclass
class BookletRequest:
    visitor: object
    start: datetime.date
    end: datetime.date
    period: str
    size: int

    @property
    def filename(self) -> str:
        return f"民情日志-{self.visitor.name}-{self.period}.pdf"


def booklet_request(params, *, user) -> BookletRequest:
    """The visitor (in the user's scope, else Http404), the period and how many visits it holds: the
    same for the page and for the job that prints a long booklet."""
    visitor_id = parse_id(params.get("visitor"))
    if visitor_id is None:
        raise Http404
    start, end, period = _period(params)
    size = selectors.booklet_size(user=user, visitor_id=visitor_id, start=start, end=end)
    members = PartyMember.objects.select_related("organisation")
    # A visitor of another subtree (a township leader in this village) is printable for the visits this
    # user may see; with none, only a member in scope (for the “no visits” page).
    visitor = get_object_or_404(
        members if size else visible_members(user).select_related("organisation"), pk=visitor_id
    )
    return BookletRequest(visitor=visitor, start=start, end=end, period=period, size=size)


def booklet_rendered(booklet: BookletRequest, *, user, on_stage=None) -> RenderedFile:
    visits = selectors.visits_for_booklet(
        user=user,
        visitor_id=booklet.visitor.pk,
        start=booklet.start,
        end=booklet.end,
        limit=MAX_BOOKLET_VISITS,
    )
    title = (visits[-1].visitor_title if visits else "") or title_on(booklet.visitor, booklet.end)
    return render_pdf(
        TEMPLATE,
        booklet_context(
            visits=visits,
            user=user,
            visitor=booklet.visitor,
            unit=booklet.visitor.organisation.name,
            title=title,
            period=booklet.period,
        ),
        filename=booklet.filename,
        on_stage=on_stage,
    )


@login_required
@permission_required("visits.view_visit", raise_exception=True)
@require_GET
def booklet_pdf(request):
    """A visitor's 民情日志 for a year (?year=) or a period (?start=&end=): cover, then one page a visit.
    Up to about 20 pages at once; a longer one (a year's) is a background job with its progress bar."""
    booklet = booklet_request(request.GET, user=request.user)
    if not booklet.size or booklet.size > MAX_BOOKLET_VISITS:
        message = (
            NO_VISITS.format(name=booklet.visitor.name)
            if not booklet.size
            else BOOKLET_TOO_LONG.format(count=booklet.size, limit=MAX_BOOKLET_VISITS)
        )
        return render(
            request,
            "visits/booklet_refused.html",
            {"message": message, "visitor": booklet.visitor},
            status=400,
        )
    return print_or_start(
        request,
        size=booklet.size,
        limit=BOOKLET_VISITS_IN_REQUEST,
        render=lambda: booklet_rendered(booklet, user=request.user),
        kind=BOOKLET_JOB,
        title=booklet.filename.removesuffix(".pdf"),
        params=request.GET.dict(),
    )


@login_required
@permission_required("visits.view_visit", raise_exception=True)
@require_GET
def blank_pdf(request):
    """A blank 附件3 page, for visits written by hand first."""
    rendered = render_pdf(TEMPLATE, blank_context(user=request.user), filename="民情日志-空白页.pdf")
    return no_personal_data(file_response(rendered, inline=True))
