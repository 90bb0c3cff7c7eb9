"""Reception sessions (接待日): the schedule list, propose a year or a month, edit, publish, held/missed,
and the compliance view per organisation and year."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from feedback import reception_selectors as selectors
from feedback import services
from feedback.models import ReceptionSession, SessionStatus
from feedback.reception_forms import GenerateForm, OutcomeForm, PublishForm, SessionForm
from feedback.scope import visible_sessions
from liaison.access.scoping import visible_organisations
from liaison.http import post_only
from liaison.safeguards.ids import parse_id
from liaison.views.helpers import add_service_errors, paginate, submit


def _list_url(organisation, start: datetime.date, end: datetime.date, **extra) -> str:
    query = {
        "organisation": organisation.pk,
        "date_from": start.isoformat(),
        "date_to": end.isoformat(),
        **extra,
    }
    return f"{reverse('session-list')}?{urlencode(query)}"


@login_required
@permission_required("feedback.view_receptionsession", raise_exception=True)
def session_list(request):
    session_filter, queryset = selectors.session_list(user=request.user, filters=request.GET)
    page, querystring = paginate(request, queryset)
    data = session_filter.form.cleaned_data if session_filter.is_bound and session_filter.is_valid() else {}
    organisation = data.get("organisation")
    drafts = 0
    publish_form = None
    if organisation is not None and request.user.has_perm("feedback.change_receptionsession"):
        drafts = queryset.filter(status=SessionStatus.DRAFT, organisation=organisation).count()
        if drafts:
            today = timezone.localdate()
            publish_form = PublishForm(
                user=request.user,
                initial={
                    "organisation": organisation.pk,
                    "start": data.get("date_from") or today,
                    "end": data.get("date_to") or datetime.date(today.year, 12, 31),
                },
            )
    return render(
        request,
        "feedback/session_list.html",
        {
            "filter": session_filter,
            "page": page,
            "rows": selectors.with_reception_counts(page.object_list),
            "querystring": querystring,
            "today": timezone.localdate(),
            "drafts": drafts,
            "publish_form": publish_form,
        },
    )


@login_required
@permission_required("feedback.add_receptionsession", raise_exception=True)
def session_generate(request):
    form = GenerateForm(request.POST or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        start, end = form.span()
        data = form.cleaned_data
        try:
            result = services.session_generate(
                user=request.user,
                organisation=data["organisation"],
                start=start,
                end=end,
                kind=data["kind"],
                rotation=data["rotation"],
                pattern=form.pattern(),
                place=data["place"],
                market_place=data["market_place"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"已拟定 {len(result.created)} 个接待日（替换原拟定 {result.replaced} 个）。请核对、修改后公布。",
            )
            for line in [*result.warnings, *result.skipped[:10]]:
                messages.warning(request, line)
            return redirect(_list_url(data["organisation"], start, end))
    return render(request, "feedback/session_generate.html", {"form": form})


@post_only("session-list")
@login_required
@permission_required("feedback.change_receptionsession", raise_exception=True)
def session_publish(request):
    form = PublishForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("session-list")
    data = form.cleaned_data
    sessions = visible_sessions(request.user).filter(
        organisation=data["organisation"], date__gte=data["start"], date__lte=data["end"]
    )
    try:
        count = services.session_publish(user=request.user, sessions=sessions)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已公布 {count} 个接待日，群众可在公开页面查看时间、地点和电话。")
    return redirect(_list_url(data["organisation"], data["start"], data["end"]))


@login_required
@permission_required("feedback.view_receptionsession", raise_exception=True)
def session_detail(request, pk: int):
    session = selectors.session_detail(user=request.user, pk=pk)
    receptions = session.receptions.select_related("opinion").order_by("id")
    today = timezone.localdate()
    change = request.user.has_perm("feedback.change_receptionsession")
    return render(
        request,
        "feedback/session_detail.html",
        {
            "session": session,
            "receptions": receptions,
            "outcome_form": OutcomeForm(initial={"held": "1"}),
            "can": {
                "edit": change
                and session.status in (SessionStatus.DRAFT, SessionStatus.PUBLISHED)
                and session.date >= today,
                "publish": change and session.is_draft and session.date >= today,
                "outcome": change and not session.is_draft and session.date <= today,
                "delete": change and session.is_draft,
                "receive": request.user.has_perm("feedback.add_reception") and not session.is_draft,
            },
        },
    )


def _edit(request, session: ReceptionSession | None):
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method != "POST" and session is None:
        day = request.GET.get("date")
        if day:
            form.initial["date"] = day
    if response := submit(
        request,
        form,
        lambda: services.session_save(
            user=request.user,
            session=session,
            organisation=form.cleaned_data.get("organisation") if session is None else None,
            **{k: v for k, v in form.cleaned_data.items() if k != "organisation"},
        ),
        success=lambda saved: (
            f"已保存接待日：{saved.date:%Y-%m-%d}{saved.get_half_day_display()} {saved.receiver.name}"
        ),
        then=lambda saved: redirect("session-detail", pk=saved.pk),
        record=session,
        repeated=lambda earlier: (
            redirect("session-detail", pk=earlier.pk) if earlier else redirect("session-list")
        ),
    ):
        return response
    return render(request, "feedback/session_form.html", {"form": form, "session": session})


@login_required
@permission_required("feedback.add_receptionsession", raise_exception=True)
def session_create(request):
    return _edit(request, None)


@login_required
@permission_required("feedback.change_receptionsession", raise_exception=True)
def session_update(request, pk: int):
    session = selectors.session_detail(user=request.user, pk=pk)
    if (
        session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED)
        or session.date < timezone.localdate()
    ):
        messages.error(request, services.sessions.PAST_EDIT)
        return redirect("session-detail", pk=pk)
    return _edit(request, session)


@post_only("session-detail")
@login_required
@permission_required("feedback.change_receptionsession", raise_exception=True)
def session_outcome(request, pk: int):
    session = selectors.session_detail(user=request.user, pk=pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.session_record_outcome(
                user=request.user,
                session=session,
                held=form.cleaned_data["held"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "已登记接待情况。")
    else:
        messages.error(request, "请选择接待情况。")
    return redirect("session-detail", pk=pk)


@post_only("session-detail")
@login_required
# Removing a proposed (draft) half-day is an edit of the schedule; published ones are never deleted.
@permission_required("feedback.change_receptionsession", raise_exception=True)
def session_delete(request, pk: int):
    session = selectors.session_detail(user=request.user, pk=pk)
    try:
        services.session_delete(user=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("session-detail", pk=pk)
    messages.success(request, "已删除拟定的接待日。")
    return redirect(_list_url(session.organisation, session.date, session.date))


@login_required
@permission_required("feedback.view_receptionsession", raise_exception=True)
def compliance(request):
    today = timezone.localdate()
    year = parse_id(request.GET.get("year")) or today.year
    if not 2000 <= year <= 2100:
        year = today.year
    orgs = visible_organisations(request.user)
    root = None
    if chosen := parse_id(request.GET.get("organisation")):
        root = orgs.filter(pk=chosen).first()
    root = root or request.user.organisation or orgs.order_by("path").first()
    rows = selectors.compliance(user=request.user, root=root, year=year, today=today) if root else []
    page, querystring = paginate(request, rows)
    return render(
        request,
        "feedback/session_compliance.html",
        {
            "page": page,
            "querystring": querystring,
            "year": year,
            "years": list(range(today.year + 1, today.year - 5, -1)),
            "root": root,
            "roots": orgs.exclude(level__in=["branch", "unit", "village", "community"]).order_by("path")[
                :200
            ],
            "today": today,
        },
    )


def session_or_404(user, pk: int) -> ReceptionSession:
    return get_object_or_404(visible_sessions(user), pk=pk)
