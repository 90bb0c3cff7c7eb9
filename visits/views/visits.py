"""Visit pages: the list, the entry screen (keyboard first, household pre-filled, save and next), the
household section the entry screen loads when a household is picked, detail with history, and edit."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from liaison.access.privacy import can_see_personal_data
from liaison.access.scoping import scoped
from liaison.forms import posted_head_name
from liaison.models import Household
from liaison.safeguards import concurrency
from liaison.safeguards.ids import parse_id
from liaison.safeguards.saving import open_page
from liaison.views.helpers import paginate, submit
from visits import selectors, services
from visits.forms import (
    VisitEditForm,
    VisitForm,
    VisitHouseholdForm,
    visit_member_formset_class,
    visit_resident_formset_class,
)
from visits.models import CREATES_OPINION

HOUSEHOLD_PARTS = ("residents",)
VISIT_PARTS = ("members",)  # a saved visit's family rows: a change to them makes an open edit page stale
NOT_THE_SECRETARY = (
    "家访人不是该村（社区）当天在任的党组织书记：本次走访已记录，但该五必访事项仍待书记本人走访"
)
SAVED_TOKEN = "visits_saved_token"  # the one-time token of the visit just saved: the page clears its draft


@login_required
@permission_required("visits.view_visit", raise_exception=True)
def visit_list(request):
    visit_filter, queryset, counted = selectors.visit_list(user=request.user, params=request.GET)
    count = selectors.visit_count(user=request.user, params=request.GET)
    searched = bool(request.GET.get("q", "").strip())
    page, querystring = paginate(
        request, queryset, count=count, rows=selectors.page_rows, searched=searched, counted=counted
    )
    visitor_id = parse_id(request.GET.get("visitor"))
    return render(
        request,
        "visits/visit_list.html",
        {
            "filter": visit_filter,
            "page": page,
            "querystring": querystring,
            "visitor_id": visitor_id,
            "visitor": page.object_list[0].visitor if visitor_id and page.object_list else None,
        },
    )


def _household_forms(request, household: Household | None, *, bound: bool):
    if household is None:
        return None, None
    formset_class = visit_resident_formset_class()
    if bound:
        form = VisitHouseholdForm(
            request.POST,
            instance=household,
            user=request.user,
            head_name=posted_head_name(request.POST, "residents"),
        )
        formset = formset_class(
            request.POST, instance=household, prefix="residents", form_kwargs={"user": request.user}
        )
        return form, formset
    form = open_page(
        VisitHouseholdForm(instance=household, user=request.user), household, parts=HOUSEHOLD_PARTS
    )
    formset = formset_class(instance=household, prefix="residents", form_kwargs={"user": request.user})
    return form, formset


def _scoped_household(user, value) -> Household | None:
    pk = parse_id(value)
    if pk is None:
        return None
    return scoped(Household.objects.select_related("organisation"), user).filter(pk=pk).first()


def _save(request, form: VisitForm, household_form, resident_formset):
    data = form.cleaned_data
    if household_form is not None and (household_form.has_changed() or resident_formset.has_changed()):
        # Someone else changed the household since this page loaded it: say what, save nothing.
        concurrency.lock_unchanged(
            household_form.instance, getattr(household_form, "guard_state", ""), parts=HOUSEHOLD_PARTS
        )
    return services.visit_record(
        user=request.user,
        household=data["household"],
        visitor=data["visitor"],
        visited_on=data["visited_on"],
        situation=data["situation"],
        problem=data.get("problem") or "",
        handling=data.get("handling") or "",
        handling_text=data.get("handling_text") or "",
        resident_opinion=data.get("resident_opinion") or "",
        signed_by=data.get("signed_by") or "",
        signed_on=data.get("signed_on"),
        event=data.get("event"),
        opinion_category=data.get("opinion_category"),
        opinion_subject=data.get("opinion_subject") or "",
        opinion_responsible=data.get("opinion_responsible"),
        household_form=household_form,
        resident_formset=resident_formset,
    )


def _next_url(visit) -> str:
    query = urlencode({"visitor": visit.visitor_id, "visited_on": f"{visit.visited_on:%Y-%m-%d}"})
    return f"{reverse('visit-create')}?{query}"


def _success(visit) -> str:
    text = f"已保存：{visit.visited_on:%Y-%m-%d} {visit.visitor.name}走访{visit.head_name}户"
    if visit.opinion_id:
        text += f"；已登记群众意见 {visit.opinion.number_display}，办理时限 {visit.opinion.due_date:%Y-%m-%d}"
    if selectors.answers_event(visit) is False:
        text += "；" + NOT_THE_SECRETARY
    return text


@login_required
@permission_required("visits.add_visit", raise_exception=True)
def visit_create(request):
    bound = request.method == "POST"
    source = request.POST if bound else request.GET
    household = _scoped_household(request.user, source.get("household"))
    form = VisitForm(request.POST if bound else None, user=request.user, household=household)
    if not bound:
        for name in ("visitor", "visited_on", "household"):
            if source.get(name):
                form.initial[name] = source.get(name)
    household_form, resident_formset = _household_forms(request, household, bound=bound)
    valid = household_form is None or (household_form.is_valid() & resident_formset.is_valid())

    def then(visit):
        request.session[SAVED_TOKEN] = str(getattr(form, "guard_token", "") or "")
        if "next" in request.POST:
            return redirect(_next_url(visit))
        return redirect("visit-detail", pk=visit.pk)

    if response := submit(
        request,
        form,
        lambda: _save(request, form, household_form, resident_formset),
        valid=valid,
        related=[f for f in (household_form, *(resident_formset.forms if resident_formset else ())) if f],
        success=_success,
        then=then,
        record=None,
        repeated=lambda earlier: (
            redirect("visit-detail", pk=earlier.pk) if earlier else redirect("visit-list")
        ),
    ):
        return response
    return render(
        request,
        "visits/visit_form.html",
        {
            "form": form,
            "household_form": household_form,
            "formset": resident_formset,
            "household": household,
            "saved_token": request.session.pop(SAVED_TOKEN, ""),
            "creates_opinion": list(CREATES_OPINION),
        },
    )


@login_required
@permission_required("visits.add_visit", raise_exception=True)
@require_GET
def household_section(request, pk: int):
    """The 八清楚 section of the entry screen for the household just picked (static/js/visits.js)."""
    household = get_object_or_404(
        scoped(Household.objects.select_related("organisation"), request.user), pk=pk
    )
    form = VisitForm(user=request.user, household=household)
    household_form, resident_formset = _household_forms(request, household, bound=False)
    return render(
        request,
        "visits/includes/household_section.html",
        {"form": form, "household_form": household_form, "formset": resident_formset, "household": household},
    )


@login_required
@permission_required("visits.view_visit", raise_exception=True)
def visit_detail(request, pk: int):
    visit = selectors.visit_detail(user=request.user, pk=pk)
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "can_edit": request.user.has_perm("visits.change_visit")
            and selectors.is_editable(user=request.user, visit=visit),
            "show_personal_data": can_see_personal_data(request.user),
            "answers_event": selectors.answers_event(visit),
            "not_the_secretary": NOT_THE_SECRETARY,
            "saved_token": request.session.pop(SAVED_TOKEN, ""),
        },
    )


@login_required
@permission_required("visits.change_visit", raise_exception=True)
def visit_update(request, pk: int):
    """Correct a saved log: its own boxes, its 八清楚 columns and its family rows (the snapshot). The
    household is not rewritten from an old log (visits.services.visit_update says why)."""
    visit = selectors.editable_visit(user=request.user, pk=pk)
    form = VisitEditForm(request.POST or None, instance=visit, user=request.user)
    member_formset = visit_member_formset_class()(
        request.POST or None,
        instance=visit,
        prefix="members",
        queryset=visit.members.order_by("position", "id"),
        form_kwargs={"user": request.user},
    )

    def save():
        data = dict(form.cleaned_data)
        extra = {
            name: data.pop(name, None)
            for name in ("opinion_category", "opinion_subject", "opinion_responsible")
        }
        return services.visit_update(
            user=request.user,
            visit=visit,
            opinion_category=extra["opinion_category"],
            opinion_subject=extra["opinion_subject"] or "",
            opinion_responsible=extra["opinion_responsible"],
            member_formset=member_formset,
            **data,
        )

    if response := submit(
        request,
        form,
        save,
        valid=member_formset.is_valid() if request.method == "POST" else True,
        related=member_formset.forms,
        success=_success,
        then=lambda saved: redirect("visit-detail", pk=saved.pk),
        record=visit,
        parts=VISIT_PARTS,
    ):
        return response
    return render(
        request,
        "visits/visit_edit.html",
        {
            "form": form,
            "formset": member_formset,
            "visit": visit,
            "creates_opinion": list(CREATES_OPINION),
        },
    )
