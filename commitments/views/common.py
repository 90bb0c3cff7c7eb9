"""What the commitments views share: one form page per action, and the year a page is about."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.shortcuts import redirect, render
from django.utils import timezone

from liaison.access.roles import role_has_perm
from liaison.views.helpers import submit


def may(user, perm: str) -> bool:
    """What a list page offers (its ＋ buttons), by the role and without a query, as the menu decides
    (liaison.context_processors.menu); the page behind the button still checks the permission."""
    return bool(user.is_superuser or role_has_perm(getattr(user, "role", ""), perm))


def chosen_year(request, name: str = "year") -> int:
    """?year=2025 when it is a plausible year, else this year."""
    value = (request.GET.get(name) or "").strip()
    today = timezone.localdate()
    if value.isdigit() and 2000 <= int(value) <= today.year + 1:
        return int(value)
    return today.year


def year_choices() -> list[int]:
    this = timezone.localdate().year
    return list(range(this + 1, this - 6, -1))


def action_page(
    request,
    *,
    form: forms.Form,
    save: Callable[[], object],
    success: Callable[[object], str] | str,
    then: Callable[[object], object],
    back: str,
    title: str,
    context: dict | None = None,
    intro: str = "",
    button: str = "保存",
    template: str = "commitments/action_form.html",
):
    """GET shows the form; a valid POST runs the service (atomic) and redirects; a refusal comes back
    on the same page next to the field it names, with nothing saved."""
    response = submit(
        request,
        form,
        save,
        success=success if callable(success) else (lambda _: success),
        then=then,
        record=None,
        repeated=lambda earlier: redirect(back),
    )
    if response:
        return response
    return render(
        request,
        template,
        {"form": form, "title": title, "intro": intro, "back": back, "button": button, **(context or {})},
    )
