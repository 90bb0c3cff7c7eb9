"""What every app's views share: service errors on the form, pagination, and the save-then-redirect step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import HttpResponse

from liaison.documents.printable import warn_unprintable
from liaison.pagination import BothEndsPaginator

T = TypeVar("T")


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError next to the fields it names; the rest above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def paginate(request, queryset, per_page: int | None = None) -> tuple[Page, str]:
    """The requested page, and the query string without ?page= for the pager's links."""
    page = BothEndsPaginator(queryset, per_page or settings.LIAISON_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def submit(
    request,
    form: forms.BaseForm,
    save: Callable[[], T],
    *,
    success: Callable[[T], str],
    then: Callable[[T], HttpResponse],
    valid: bool = True,
    related: Sequence[forms.BaseForm] = (),
) -> HttpResponse | None:
    """A POSTed, valid form → `save()` (the service) → a success message → `then(result)`, the redirect.

    Returns None when the page is to be shown again: a GET, an invalid form, or the service's
    ValidationError (put next to the fields it names). `valid` carries any formset's is_valid(), and
    `related` its forms: text that no print font can draw is pointed out after saving, whichever form
    holds it (liaison.documents.printable)."""
    if request.method != "POST" or not (form.is_valid() and valid):
        return None
    try:
        result = save()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success(result))
    warn_unprintable(request, [form, *related])
    return then(result)
