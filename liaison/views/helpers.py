"""What every app's views share: service errors on the form, pagination, and the save-then-redirect step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db import models
from django.http import HttpResponse

from liaison.documents.printable import warn_unprintable
from liaison.pagination import SEARCH_CAP, BothEndsPaginator
from liaison.safeguards.saving import (
    Repeated,
    SaveGuardFields,
    StaleRecord,
    earlier_submission,
    open_page,
    save_guarded,
    show_stale,
)

T = TypeVar("T")


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError next to the fields it names; the rest above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def paginate(
    request,
    queryset,
    per_page: int | None = None,
    *,
    rows: Callable[[models.QuerySet], models.QuerySet] | None = None,
    count: int | None = None,
    searched: bool = False,
    counted: models.QuerySet | None = None,
) -> tuple[Page, str]:
    """The requested page, and the query string without ?page= for the pager's links. `rows` reads a
    page's rows with their joins; `count` is the list's length when the caller has it stored; a
    `searched` list counts its first SEARCH_CAP matches only, from `counted` when the same rows are
    counted faster in that form (liaison.pagination)."""
    paginator = BothEndsPaginator(
        queryset,
        per_page or settings.LIAISON_PAGE_SIZE,
        rows=rows,
        count=count,
        cap=SEARCH_CAP if searched else None,
        counted=counted,
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


_NEW = object()


def submit(
    request,
    form: forms.BaseForm,
    save: Callable[[], T],
    *,
    success: Callable[[T], str],
    then: Callable[[T], HttpResponse],
    valid: bool = True,
    related: Sequence[forms.BaseForm] = (),
    record: models.Model | None | object = _NEW,
    parts: Sequence[str] = (),
    made: Callable[[T], models.Model] | None = None,
    repeated: Callable[[models.Model | None], HttpResponse] | None = None,
    guard: bool = True,
) -> HttpResponse | None:
    """A POSTed, valid form → `save()` (the service) → a success message → `then(result)`, the redirect.

    Returns None when the page is to be shown again: a GET, an invalid form, or the service's
    ValidationError (put next to the fields it names). `valid` carries any formset's is_valid(), and
    `related` its forms: text that no print font can draw is pointed out after saving, whichever form
    holds it (liaison.documents.printable).

    A record form (one with `SaveGuardFields`) is saved through liaison.safeguards.saving: `record`
    is the record being edited (its state is checked under a row lock: a stale save comes back with
    what changed; `parts` names its child rows) or None for a create (its one-time token makes a
    second submission land, through `repeated(earlier_record)`, on what the first one made; `made`
    picks that record out of the service's result). `guard=False` is for a form that carries its own
    version number instead (opinions)."""
    guarded = guard and isinstance(form, SaveGuardFields)
    edited = None if record is _NEW else record
    if guarded and request.method != "POST":
        open_page(form, edited, parts=parts)
    if request.method != "POST":
        return None
    if guarded and (earlier := earlier_submission(form, edited)) is not None:
        messages.info(request, earlier.message)
        return (repeated or then)(earlier.record)
    if not (form.is_valid() and valid):
        return None
    try:
        if guarded:
            result = save_guarded(
                form,
                user=request.user,
                record=edited,
                parts=parts,
                save=lambda _: save(),
                made=made or (lambda result: result),
            )
        else:
            result = save()
    except Repeated as exc:
        messages.info(request, exc.message)
        return (repeated or then)(exc.record)
    except StaleRecord as exc:
        show_stale(form, exc, parts=parts)
        return None
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success(result))
    warn_unprintable(request, [form, *related])
    return then(result)
