"""Receptions (接待登记, 附件1): list, entry (keyboard-first), detail with history, edit, and the two
lookups the entry form uses: the receiver picker and the returning visitor's earlier receptions."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from feedback import reception_selectors as selectors
from feedback import services
from feedback.reception_forms import ReceptionForm, receiver_label, receivers_in_scope
from feedback.scope import visible_sessions
from feedback.services.receptions import FIELDS
from feedback.services.sessions import post_title
from liaison.access.privacy import can_see_personal_data, viewer_for
from liaison.access.scoping import visible_organisations
from liaison.safeguards.dates import RANGES, parse_plausible
from liaison.safeguards.ids import parse_id
from liaison.safeguards.text import search_text
from liaison.text.pinyin import looks_like_initials, search_key
from liaison.views.helpers import paginate, submit
from members.models import Position

LOOKUP_LIMIT = 20
NEXT = "next"  # the "保存并登记下一条" button


@login_required
@permission_required("feedback.view_reception", raise_exception=True)
def reception_list(request):
    reception_filter, queryset = selectors.reception_list(user=request.user, filters=request.GET)
    page, querystring = paginate(request, queryset, rows=selectors.page_rows)
    return render(
        request,
        "feedback/reception_list.html",
        {"filter": reception_filter, "page": page, "querystring": querystring},
    )


@login_required
@permission_required("feedback.view_reception", raise_exception=True)
def reception_detail(request, pk: int):
    reception = selectors.reception_detail(user=request.user, pk=pk)
    return render(
        request,
        "feedback/reception_detail.html",
        {
            "reception": reception,
            "show_personal_data": can_see_personal_data(request.user),
            "can_edit": request.user.has_perm("feedback.change_reception"),
        },
    )


def _initial_from(request) -> dict:
    """What the page opens with: the session's organisation, day and receiver, or the last entry's."""
    initial: dict = {}
    session = None
    if pk := parse_id(request.GET.get("session")):
        session = visible_sessions(request.user).exclude(status="draft").filter(pk=pk).first()
    if session is not None:
        initial.update(
            session=session.pk,
            organisation=session.organisation_id,
            received_on=session.date,
            signed_on=session.date,
            receiver=session.receiver_id,
            receiver_title=session.receiver_title,
        )
        return initial
    for name in ("organisation", "receiver"):
        if value := parse_id(request.GET.get(name)):
            initial[name] = value
    if (day := request.GET.get("received_on")) and (parsed := parse_plausible(day, "event")):
        initial["received_on"] = initial["signed_on"] = parsed
    if title := search_text(request.GET.get("receiver_title"), limit=50):
        initial["receiver_title"] = title
    return initial


def _next_url(reception) -> str:
    if reception.session_id:
        return f"{reverse('reception-create')}?session={reception.session_id}"
    query = {
        "organisation": reception.organisation_id,
        "receiver": reception.receiver_id,
        "receiver_title": reception.receiver_title,
        "received_on": reception.received_on.isoformat(),
    }
    return f"{reverse('reception-create')}?{urlencode(query)}"


def _form_page(request, form: ReceptionForm, reception=None):
    around = form["received_on"].value()
    if isinstance(around, datetime.date):
        day = around if RANGES["event"].contains(around) else None
    else:
        day = parse_plausible(None if around is None else str(around), "event")
    day = day or timezone.localdate()  # 0001-01-01 or 9999-12-31: the field says so; list today's
    form.limit_sessions(selectors.session_choices(request.user, day))
    return render(request, "feedback/reception_form.html", {"form": form, "reception": reception})


def _saved_message(reception) -> str:
    text = f"已登记接待：{reception.visitor_name}（{reception.matter}）"
    if reception.opinion_id:
        opinion = reception.opinion
        text += f"，已转为群众意见 {opinion.number_display}，办理时限 {opinion.due_date:%Y-%m-%d}"
    return text


@login_required
@permission_required("feedback.add_reception", raise_exception=True)
def reception_create(request):
    form = ReceptionForm(request.POST or None, user=request.user, initial=_initial_from(request))
    again = NEXT in request.POST
    if response := submit(
        request,
        form,
        lambda: services.reception_register(
            user=request.user,
            organisation=form.cleaned_data["organisation"],
            session=form.cleaned_data["session"],
            category=form.cleaned_data.get("category"),
            responsible=form.cleaned_data.get("responsible"),
            **{name: form.cleaned_data[name] for name in FIELDS},
        ),
        success=_saved_message,
        then=lambda saved: redirect(
            _next_url(saved) if again else reverse("reception-detail", args=[saved.pk])
        ),
        record=None,
        repeated=lambda earlier: (
            redirect("reception-detail", pk=earlier.pk) if earlier else redirect("reception-list")
        ),
    ):
        return response
    return _form_page(request, form)


@login_required
@permission_required("feedback.change_reception", raise_exception=True)
def reception_update(request, pk: int):
    reception = selectors.reception_detail(user=request.user, pk=pk)
    form = ReceptionForm(request.POST or None, instance=reception, user=request.user)
    if response := submit(
        request,
        form,
        lambda: services.reception_update(
            user=request.user,
            reception=reception,
            session=form.cleaned_data["session"],
            category=form.cleaned_data.get("category"),
            responsible=form.cleaned_data.get("responsible"),
            **{name: form.cleaned_data[name] for name in FIELDS},
        ),
        success=lambda saved: f"已保存接待记录：{saved.visitor_name}（{saved.matter}）",
        then=lambda saved: redirect("reception-detail", pk=saved.pk),
        record=reception,
    ):
        return response
    return _form_page(request, form, reception)


@require_GET
@login_required
@permission_required("feedback.view_reception", raise_exception=True)
def visitor_lookup(request):
    """A returning visitor: earlier receptions and opinions by name (or pinyin) or phone, masked per role."""
    text = search_text(request.GET.get("q"), limit=50)
    history = selectors.visitor_history(
        user=request.user, text=text, exclude=parse_id(request.GET.get("exclude"))
    )
    viewer = viewer_for(request.user)
    receptions = [
        {
            "kind": "reception",
            "url": reverse("reception-detail", args=[r.pk]),
            "date": f"{r.received_on:%Y-%m-%d}",
            "name": r.visitor_name,
            "gender": r.visitor_gender,
            "age": r.visitor_age,
            "address": r.visitor_address,
            "phone": viewer.show(r, "visitor_phone"),
            "phone_full": viewer.may_see,
            "title": r.matter,
            "where": r.organisation.display_name,
            "state": r.get_handling_display()
            + (f" → 意见{r.opinion.number_display}" if r.opinion_id else ""),
        }
        for r in history.receptions
    ]
    opinions = [
        {
            "kind": "opinion",
            "url": reverse("opinion-detail", args=[o.pk]),
            "date": f"{o.received_on:%Y-%m-%d}",
            "name": o.reporter_name,
            "address": o.reporter_address,
            "phone": viewer.show(o, "reporter_phone"),
            "phone_full": viewer.may_see,
            "title": o.subject,
            "where": o.organisation.display_name,
            "state": f"{o.number_display} · {o.get_state_display()}",
        }
        for o in history.opinions
    ]
    return JsonResponse({"receptions": receptions, "opinions": opinions})


@require_GET
@login_required
@permission_required("feedback.view_reception", raise_exception=True)
def receiver_lookup(request):
    """The receiver picker: members with a post in the user's subtree, by name or pinyin initials; each
    result carries the 职务 to fill in."""
    value = search_text(request.GET.get("q"), limit=50)
    if not value:
        return JsonResponse({"results": []})
    match = (
        {"name_initials__contains": search_key(value)}
        if looks_like_initials(value)
        else {"name__contains": value}
    )
    members = receivers_in_scope(request.user).filter(**match)[:LOOKUP_LIMIT]
    today = timezone.localdate()
    posts = (
        Position.objects.filter(
            member__in=[m.pk for m in members],
            organisation__in=visible_organisations(request.user),
            start_date__lte=today,
        )
        .exclude(end_date__lt=today)
        .select_related("organisation")
        .order_by("start_date")
    )
    titles = {post.member_id: post_title(post.organisation, post.role) for post in posts}
    return JsonResponse(
        {
            "results": [
                {"id": m.pk, "label": receiver_label(m), "title": titles.get(m.pk, "")} for m in members
            ]
        }
    )
