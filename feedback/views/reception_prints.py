"""The 接待群众记录本 (附件1): one reception, a receiver over a date range, an organisation's year, and the
blank 登记表 for receptions written by hand first."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from feedback import reception_rules as rr
from feedback import reception_selectors as selectors
from feedback.models import ReceptionSession
from feedback.printing import period_text
from feedback.reception_forms import ReceptionRegisterForm
from feedback.reception_printing import (
    MAX_REGISTER_RECEPTIONS,
    RECEPTIONS_IN_REQUEST,
    REGISTER_TOO_LONG,
    register_context,
)
from feedback.scope import visible_receptions
from liaison.access.middleware import no_personal_data
from liaison.documents.pdf import render_pdf
from liaison.documents.rendering import RenderedFile, file_response
from liaison.jobs.long_prints import print_or_start
from liaison.models import Organisation
from liaison.views.public import PUBLIC_MAX_AGE

TEMPLATE = "feedback/print/reception_register.html"


@login_required
@permission_required("feedback.view_reception", raise_exception=True)
def reception_pdf(request, pk: int):
    """One 登记表 (no cover): the record as it goes into the binder."""
    reception = selectors.reception_detail(user=request.user, pk=pk)
    title = (
        f"党组织书记接待群众登记表-{reception.organisation.display_name}-{reception.received_on:%Y%m%d}"
        f"-{reception.visitor_name}"
    )
    rendered = render_pdf(
        TEMPLATE,
        register_context(
            user=request.user,
            receptions=[reception],
            organisation=reception.organisation,
            start=None,
            end=None,
            title=title,
            cover=False,
        ),
        filename=f"{title}.pdf",
    )
    return file_response(rendered, inline=True)


@login_required
@permission_required("feedback.view_reception", raise_exception=True)
def blank_pdf(request):
    """The cover and an empty 登记表, for a reception written by hand first."""
    rendered = render_pdf(
        TEMPLATE,
        register_context(
            user=request.user,
            receptions=[],
            organisation=None,
            start=None,
            end=None,
            title="党组织书记接待群众登记表（空白）",
            cover=request.GET.get("cover") == "1",
            blank=True,
        ),
        filename="党组织书记接待群众登记表（空白）.pdf",
    )
    return no_personal_data(file_response(rendered, inline=True))


def _request(request):
    return register_request(request.GET, user=request.user)


def register_request(query, *, user):
    """The register's form and scoped queryset for a query (the page's GET, or a job's params)."""
    form = ReceptionRegisterForm(query, user=user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    queryset = (
        visible_receptions(user)
        .filter(
            organisation=data["organisation"], received_on__gte=data["start"], received_on__lte=data["end"]
        )
        .select_related("receiver", "opinion")
        .order_by("received_on", "id")
    )
    if data.get("receiver"):
        queryset = queryset.filter(receiver=data["receiver"])
    return form, queryset


def _page(request, form, status: int = 200, **extra):
    return render(
        request, "feedback/reception_register.html", {"form": form, "count": None, **extra}, status=status
    )


def _name(data) -> str:
    who = f"-{data['receiver'].name}" if data.get("receiver") else ""
    return (
        f"接待群众记录本-{data['organisation'].display_name}{who}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}"
    )


@login_required
@permission_required("feedback.view_reception", raise_exception=True)
def register(request):
    """Choose the organisation, perhaps one receiver, and the year or dates; then print."""
    if not {"organisation", "year", "start", "end"} & set(request.GET):
        return _page(request, ReceptionRegisterForm(user=request.user))
    form, queryset = _request(request)
    if queryset is None:
        return _page(request, form)
    data = form.cleaned_data
    query = {
        "organisation": data["organisation"].pk,
        "start": data["start"].isoformat(),
        "end": data["end"].isoformat(),
    }
    if data.get("receiver"):
        query["receiver"] = data["receiver"].pk
    return _page(
        request,
        form,
        count=queryset.count(),
        querystring=urlencode(query),
        period=period_text(data["start"], data["end"]),
        limit=MAX_REGISTER_RECEPTIONS,
        in_request=RECEPTIONS_IN_REQUEST,
    )


@login_required
@permission_required("feedback.view_reception", raise_exception=True)
def register_pdf(request):
    """Up to about 20 pages at once; a longer register (a village's year) is a background job."""
    form, queryset = _request(request)
    if queryset is None:
        return _page(request, form, status=400)
    size = queryset.count()
    if size > MAX_REGISTER_RECEPTIONS:
        form.add_error(None, REGISTER_TOO_LONG.format(count=size, limit=MAX_REGISTER_RECEPTIONS))
        return _page(request, form, status=400)
    return print_or_start(
        request,
        size=size,
        limit=RECEPTIONS_IN_REQUEST,
        render=lambda: register_rendered(form, queryset, user=request.user),
        kind="feedback.reception_register_pdf",
        title=_name(form.cleaned_data),
        params=request.GET.dict(),
    )


def register_rendered(form, queryset, *, user, on_stage=None) -> RenderedFile:
    data = form.cleaned_data
    title = _name(data)
    return render_pdf(
        TEMPLATE,
        register_context(
            user=user,
            receptions=list(queryset[:MAX_REGISTER_RECEPTIONS]),
            organisation=data["organisation"],
            start=data["start"],
            end=data["end"],
            title=title,
            receiver=data.get("receiver"),
        ),
        filename=f"{title}.pdf",
        on_stage=on_stage,
    )


@require_GET
def public_notice_pdf(request, pk: int, year: int, month: int):
    """公告 for the 党务公开栏: one organisation's published reception days of a month (no login: nothing
    on it is personal — times, places, the receivers' names and 职务, the public phone)."""
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    organisation = get_object_or_404(Organisation, pk=pk, level__in=list(rr.QUOTA_OF_LEVEL))
    start, end = rr.periods(year, rr.MONTH)[month - 1]
    sessions = list(
        ReceptionSession.objects.published()
        .filter(organisation=organisation, date__gte=start, date__lte=end)
        .select_related("receiver")
        .order_by("date", "start_time", "id")
    )
    title = f"{organisation.name}{year}年{month}月接待群众公告"
    rendered = render_pdf(
        "feedback/print/reception_notice.html",
        {
            "title": title,
            "organisation": organisation,
            "year": year,
            "month": month,
            "sessions": sessions,
            "published_on": max((s.published_at for s in sessions if s.published_at), default=None),
        },
        filename=f"{title}.pdf",
    )
    response = no_personal_data(file_response(rendered, inline=True))
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
