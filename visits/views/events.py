"""五必访 events: the list (open ones first) and recording one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone

from liaison.views.helpers import paginate, submit
from visits import selectors, services
from visits.forms import EventForm


@login_required
@permission_required("visits.view_mustvisitevent", raise_exception=True)
def event_list(request):
    queryset = selectors.event_list(user=request.user)
    state = request.GET.get("state", "open")
    if state == "open":
        queryset = queryset.filter(is_visited=False)
    elif state == "closed":
        queryset = queryset.filter(is_visited=True)
    page, querystring = paginate(request, queryset)
    page.object_list = selectors.with_duty(page.object_list, timezone.localdate())
    return render(
        request,
        "visits/event_list.html",
        {"page": page, "querystring": querystring, "state": state},
    )


@login_required
@permission_required("visits.add_mustvisitevent", raise_exception=True)
def event_create(request):
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "GET" and request.GET.get("household"):
        form.initial["household"] = request.GET["household"]
    if response := submit(
        request,
        form,
        lambda: services.event_record(user=request.user, **form.cleaned_data),
        success=lambda event: f"已登记五必访事项：{event.household.head_name}户 {event}",
        then=lambda event: redirect("household-detail", pk=event.household_id),
        record=None,
        repeated=lambda earlier: (
            redirect("household-detail", pk=earlier.household_id) if earlier else redirect("event-list")
        ),
    ):
        return response
    return render(request, "visits/event_form.html", {"form": form})
