"""民情分析会: the held/missed grid of a township's villages, one village's year, and the meeting forms."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from liaison.access.scoping import visible_grassroots
from liaison.safeguards.ids import parse_id
from liaison.safeguards.saving import open_page
from liaison.views.helpers import paginate, submit
from members.views.common import chosen_year, year_choices
from visits.compliance import meetings as selectors
from visits.compliance.forms import MeetingForm
from visits.compliance.views.common import chosen_township
from visits.models.meetings import first_of_month


@login_required
@permission_required("visits.view_analysismeeting", raise_exception=True)
def meeting_list(request):
    year = chosen_year(request)
    today = timezone.localdate()
    township = chosen_township(request)
    page, querystring = paginate(request, selectors.grassroots(request.user, township))
    return render(
        request,
        "visits/compliance/meeting_list.html",
        {
            "year": year,
            "years": year_choices(),
            "township": township,
            "page": page,
            "querystring": querystring,
            "rows": selectors.village_years(list(page.object_list), year, today),
            "rule": selectors.rule(),
            "months": range(1, 13),
        },
    )


@login_required
@permission_required("visits.view_analysismeeting", raise_exception=True)
def meeting_year(request, pk: int):
    village = get_object_or_404(visible_grassroots(request.user).select_related("parent"), pk=pk)
    year = chosen_year(request)
    today = timezone.localdate()
    meetings = list(
        selectors.visible_meetings(request.user)
        .filter(organisation=village, month__year=year)
        .select_related("host")
        .order_by("held_on", "id")
    )
    (row,) = selectors.village_years([village], year, today)
    by_month = {month: [m for m in meetings if m.month.month == month] for month in range(1, 13)}
    return render(
        request,
        "visits/compliance/meeting_year.html",
        {
            "village": village,
            "year": year,
            "years": year_choices(),
            "row": row,
            "months": [(month, count, state, by_month[month]) for month, count, state in row.months],
            "rule": selectors.rule(),
        },
    )


@login_required
@permission_required("visits.view_analysismeeting", raise_exception=True)
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(
        selectors.visible_meetings(request.user).select_related("organisation__parent", "host", "created_by"),
        pk=pk,
    )
    return render(
        request,
        "visits/compliance/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": meeting.attendees.select_related("organisation").order_by("name"),
            "opinions": meeting.opinions.order_by("received_on", "number"),
            "visits": meeting.visits.select_related("visitor").order_by("visited_on", "id"),
        },
    )


def _month(raw: str | None) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(f"{raw}-01" if raw and len(raw) == 7 else (raw or ""))
    except ValueError:
        return None
    today = timezone.localdate()
    if day.year < 2000 or first_of_month(day) > first_of_month(today):
        return None
    return first_of_month(day)


def _meeting_form(request, meeting, village, month):
    if request.method == "POST":
        form = MeetingForm(
            request.POST, user=request.user, organisation=village, month=month, meeting=meeting
        )
        if response := submit(
            request,
            form,
            lambda: selectors.meeting_save(user=request.user, meeting=meeting, **form.cleaned_data),
            success=lambda saved: f"已保存{saved.organisation.name}{saved.held_on:%Y年%m月%d日}民情分析会。",
            then=lambda saved: redirect("meeting-detail", pk=saved.pk),
            record=meeting,
            repeated=lambda earlier: (
                redirect("meeting-detail", pk=earlier.pk) if earlier else redirect("meeting-list")
            ),
        ):
            return response
    else:
        form = open_page(
            MeetingForm(user=request.user, organisation=village, month=month, meeting=meeting), meeting
        )
    return render(
        request,
        "visits/compliance/meeting_form.html",
        {"form": form, "meeting": meeting, "village": village, "month": month},
    )


@login_required
@permission_required("visits.add_analysismeeting", raise_exception=True)
def meeting_create(request):
    source = request.POST if request.method == "POST" else request.GET
    village_id = parse_id(source.get("organisation"))
    month = _month(source.get("month"))
    if village_id is None or month is None:
        today = timezone.localdate()
        return render(
            request,
            "visits/compliance/meeting_choose.html",
            {
                "villages": selectors.grassroots(request.user),
                "month": f"{today:%Y-%m}",
                "chosen": village_id,
                "invalid_month": bool(source.get("month")) and month is None,
            },
        )
    village = get_object_or_404(visible_grassroots(request.user).select_related("parent"), pk=village_id)
    return _meeting_form(request, None, village, month)


@login_required
@permission_required("visits.change_analysismeeting", raise_exception=True)
def meeting_update(request, pk: int):
    meeting = get_object_or_404(
        selectors.visible_meetings(request.user).select_related("organisation"), pk=pk
    )
    return _meeting_form(request, meeting, meeting.organisation, meeting.month)


def meeting_new_url(village_id: int, month: datetime.date) -> str:
    return f"{reverse('meeting-create')}?organisation={village_id}&month={month:%Y-%m}"
