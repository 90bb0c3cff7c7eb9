"""Opinion pages: list (the 登记簿 on screen), detail with history, register and edit, due-date preview."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from feedback import rules, scope, selectors, services
from feedback.forms import OpinionForm
from feedback.models import Extension
from feedback.services.opinions import EDITABLE_FIELDS
from feedback.states import CLOSED_READ_ONLY, Action, allowed
from feedback.views.common import conflicts, due_text, rebind_with_version
from liaison.access.privacy import can_see_personal_data
from liaison.safeguards.dates import RANGES, parse_plausible
from liaison.views.helpers import paginate, submit
from liaison.workcal import StatutoryCalendar, missing_years_warning

RECEIVED_ON_INVALID = "请输入正确的反映时间：" + RANGES["event"].message()


@login_required
@permission_required("feedback.view_opinion", raise_exception=True)
def opinion_list(request):
    today = timezone.localdate()
    opinion_filter, queryset = selectors.opinion_list(user=request.user, filters=request.GET, today=today)
    page, querystring = paginate(request, queryset, searched=bool(request.GET.get("q", "").strip()))
    return render(
        request,
        "feedback/opinion_list.html",
        {
            "filter": opinion_filter,
            "page": page,
            "rows": selectors.annotate_deadlines(page.object_list, today, request.user),
            "querystring": querystring,
            "today": today,
            "missing_years": missing_years_warning(today),
            "show_personal_data": can_see_personal_data(request.user),
        },
    )


def _actions(user, opinion) -> dict[str, bool]:
    """Which buttons the detail page shows: the state machine, the permission and the side of the opinion."""
    owner = scope.owns(user, opinion)
    above = scope.is_above(user, opinion.handling_organisation)
    # After 转报上级 the one below only reads: the handling buttons are the holder's.
    away = scope.transferred_away(user, opinion)
    change = user.has_perm("feedback.change_opinion") and not away
    return {
        "edit": change and owner and allowed(opinion.state, Action.EDIT),
        "start": change and allowed(opinion.state, Action.START),
        "result": change and allowed(opinion.state, Action.RESULT),
        "feedback": change and owner and allowed(opinion.state, Action.FEEDBACK),
        "close": change and owner and allowed(opinion.state, Action.CLOSE) and opinion.has_feedback,
        "reopen": change and owner and allowed(opinion.state, Action.REOPEN),
        "assign": user.has_perm("feedback.add_assignment")
        and owner
        and allowed(opinion.state, Action.ASSIGN),
        "receive": user.has_perm("feedback.change_assignment") and allowed(opinion.state, Action.RECEIVE),
        "urge": user.has_perm("feedback.add_urge") and owner and allowed(opinion.state, Action.URGE),
        "answer_urge": user.has_perm("feedback.change_urge")
        and not away
        and allowed(opinion.state, Action.ANSWER_URGE),
        "extension": user.has_perm("feedback.add_extension")
        and not away
        and allowed(opinion.state, Action.REQUEST_EXTENSION)
        and not any(e.status == Extension.Status.PENDING for e in opinion.extensions.all()),
        "decide": user.has_perm("feedback.change_extension")
        and above
        and allowed(opinion.state, Action.DECIDE_EXTENSION),
        "case": change and owner and allowed(opinion.state, Action.CASE),
        # 转报上级: a category-2 opinion, by its holder, to an organisation above it
        "transfer": change
        and owner
        and opinion.category == rules.Category.UPPER
        and opinion.handling_organisation.parent_id is not None
        and allowed(opinion.state, Action.TRANSFER),
        "accept_transfer": change
        and allowed(opinion.state, Action.ACCEPT_TRANSFER)
        and scope.owns(user, opinion),
    }


@login_required
@permission_required("feedback.view_opinion", raise_exception=True)
def opinion_detail(request, pk: int):
    today = timezone.localdate()
    opinion = selectors.opinion_detail(user=request.user, pk=pk)
    selectors.annotate_deadlines([opinion], today, request.user)
    return render(
        request,
        "feedback/opinion_detail.html",
        {
            "opinion": opinion,
            "sources": selectors.opinion_sources(opinion),
            "today": today,
            "can": _actions(request.user, opinion),
            "show_personal_data": can_see_personal_data(request.user),
        },
    )


def _previews(received_on: datetime.date | None) -> dict:
    """The due date of each category for a receipt date, as the form shows it next to the category."""
    if received_on is None:
        return {}
    workcal = StatutoryCalendar()
    previews = {}
    for category in rules.Category:
        deadline = services.compute_deadline(received_on, category, workcal=workcal)
        previews[str(int(category))] = {
            "date": deadline.due.isoformat(),
            "text": due_text(deadline.due),
            "provisional": deadline.provisional,
            "missing": sorted(deadline.assumed_years),
        }
    return previews


def _received_on(form: OpinionForm) -> datetime.date | None:
    value = form["received_on"].value()
    if isinstance(value, datetime.date):
        return value if RANGES["event"].contains(value) else None
    return parse_plausible(None if value is None else str(value), "event")


def _form_page(request, form: OpinionForm, opinion=None, conflict_rows=(), status: int = 200):
    return render(
        request,
        "feedback/opinion_form.html",
        {
            "form": form,
            "opinion": opinion,
            "previews": _previews(_received_on(form)),
            "conflicts": conflict_rows,
            "mode_label": rules.CALENDAR_MODES[settings.LIAISON_DEADLINE_CALENDAR],
            "missing_years": missing_years_warning(timezone.localdate()),
        },
        status=status,
    )


@login_required
@permission_required("feedback.add_opinion", raise_exception=True)
def opinion_create(request):
    form = OpinionForm(request.POST or None, user=request.user)
    if response := submit(
        request,
        form,
        lambda: services.opinion_register(
            user=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
        ),
        success=lambda opinion: (
            f"已登记：{opinion.number_display}，办理时限 {due_text(opinion.due_date)}"
            + ("（暂定）" if opinion.due_date_provisional else "")
        ),
        then=lambda opinion: redirect("opinion-detail", pk=opinion.pk),
        record=None,
        repeated=lambda earlier: (
            redirect("opinion-detail", pk=earlier.pk) if earlier else redirect("opinion-list")
        ),
    ):
        return response
    return _form_page(request, form)


@login_required
@permission_required("feedback.change_opinion", raise_exception=True)
def opinion_update(request, pk: int):
    opinion = selectors.opinion_for_action(user=request.user, pk=pk)
    if opinion.is_closed:
        messages.error(request, CLOSED_READ_ONLY)
        return redirect("opinion-detail", pk=opinion.pk)
    if not scope.owns(request.user, opinion):
        raise PermissionDenied
    form = OpinionForm(request.POST or None, instance=opinion, user=request.user)
    try:
        response = submit(
            request,
            form,
            lambda: services.opinion_update(
                user=request.user,
                opinion=opinion.pk,
                version=form.cleaned_data["version"],
                **{name: form.cleaned_data[name] for name in EDITABLE_FIELDS},
            ),
            success=lambda _: f"已保存：{opinion.number_display}",
            then=lambda _: redirect("opinion-detail", pk=opinion.pk),
            guard=False,  # opinions carry their own version number (feedback.services.common.lock)
        )
    except services.StaleOpinion as exc:
        rows = conflicts(form, exc.opinion, EDITABLE_FIELDS)
        fresh = selectors.opinion_for_action(user=request.user, pk=pk)
        form = rebind_with_version(form, exc, instance=fresh, user=request.user)
        return _form_page(request, form, exc.opinion, conflict_rows=rows, status=409)
    return response or _form_page(request, form, opinion)


@require_GET
@login_required
@permission_required("feedback.view_opinion", raise_exception=True)
def due_dates(request):
    """GET ?received_on=YYYY-MM-DD → each category's due date, for the form's preview."""
    received_on = parse_plausible(request.GET.get("received_on"), "event")
    if received_on is None:  # not a date, or one no opinion is received on (9999-12-31)
        return JsonResponse({"error": RECEIVED_ON_INVALID}, status=400)
    return JsonResponse({"received_on": received_on.isoformat(), "categories": _previews(received_on)})
