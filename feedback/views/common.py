"""What the feedback views share: the action pattern, optimistic-locking conflicts, date text."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from feedback.models import Opinion
from feedback.services import StaleOpinion
from feedback.services.common import display, value_text
from feedback.states import CLOSED_READ_ONLY
from liaison.access.privacy import viewer_for
from liaison.views.helpers import submit

WEEKDAYS = "一二三四五六日"


def due_text(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def conflicts(form: forms.Form, current: Opinion, names: list[str]) -> list[tuple[str, str, str]]:
    """Fields where what the user typed differs from the record someone else saved meanwhile."""
    rows = []
    for name in names:
        if name not in getattr(form, "cleaned_data", {}):
            continue
        model_field = Opinion._meta.get_field(name)
        yours = value_text(model_field, form.cleaned_data[name])
        theirs = display(current, name)
        if yours != theirs:
            rows.append((str(model_field.verbose_name), yours, theirs))
    return viewer_for(form.user).show_changes(current, rows)


def rebind_with_version(form: forms.Form, exc: StaleOpinion, **kwargs) -> forms.Form:
    """The user's input, kept, with the current version: a second submit then saves knowingly."""
    data = form.data.copy()
    data["version"] = str(exc.opinion.version)
    rebound = form.__class__(data, **kwargs)
    rebound.is_valid()
    rebound.add_error(None, exc.message)
    return rebound


def run_action(
    request,
    *,
    opinion: Opinion,
    form: forms.Form,
    service: Callable[..., object],
    title: str,
    success: str,
    intro: str = "",
    template: str = "feedback/action_form.html",
    extra: dict | None = None,
    form_kwargs: dict | None = None,
    allow_closed: bool = False,
):
    """GET shows the form; a valid POST calls the service; its errors land next to the fields.

    A closed opinion is read-only: every action but reopening sends the user back with the reason."""
    if opinion.is_closed and not allow_closed:
        messages.error(request, CLOSED_READ_ONLY)
        return redirect("opinion-detail", pk=opinion.pk)
    status = 200
    current = None
    try:
        if response := submit(
            request,
            form,
            lambda: service(**form.cleaned_data),
            success=lambda _: success,
            then=lambda _: redirect("opinion-detail", pk=opinion.pk),
            record=None,  # a 交办单, 催办 or 延期申请 created once per page
        ):
            return response
    except StaleOpinion as exc:
        current = exc.opinion
        form = rebind_with_version(form, exc, **(form_kwargs or {}))
        status = 409
    context = {
        "opinion": current or opinion,
        "form": form,
        "title": title,
        "intro": intro,
        "stale": current is not None,
    }
    return render(request, template, {**context, **(extra or {})}, status=status)
