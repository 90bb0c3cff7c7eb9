"""How every create and edit form is saved: once, and never over someone else's change.

    result = save_guarded(form, record=instance, parts=PARTS, save=lambda data: service(**data))

runs in one transaction: an edit first locks the record and compares it with the state the page
was opened with (`concurrency`); a create first claims the page's one-time token (`idempotency`).
`data` is the form's cleaned data without the two hidden fields. It raises `StaleRecord` (the form
then shows what changed, `concurrency.show_stale`) or `Repeated` (the view shows the earlier record);
the service's own ValidationErrors pass through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.db import models, transaction

from liaison.safeguards import concurrency, idempotency

STATE_FIELD = concurrency.STATE_FIELD
TOKEN_FIELD = idempotency.TOKEN_FIELD


class SaveGuardFields(forms.Form):
    """The two hidden fields of a record form: the record's state (edit) and the one-time token (create).

    Once the form is cleaned their values move from cleaned_data to `guard_state` / `guard_token`, so a
    view may still pass `**form.cleaned_data` to its service."""

    record_state = concurrency.state_field()
    submission = idempotency.token_field()

    def full_clean(self) -> None:
        super().full_clean()
        cleaned = getattr(self, "cleaned_data", {})
        self.guard_state = cleaned.pop(STATE_FIELD, "") or ""
        self.guard_token = cleaned.pop(TOKEN_FIELD, None)


def guard_initial(
    record: models.Model | None, *, parts: Sequence[str] = (), initial: dict | None = None
) -> dict:
    """Initial values for a form page just opened: the record's state, or a fresh token."""
    initial = dict(initial or {})
    if record is not None and record.pk is not None:
        initial[STATE_FIELD] = concurrency.record_state(record, parts=parts)
    else:
        initial[TOKEN_FIELD] = idempotency.new_token()
    return initial


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


def save_guarded(
    form: forms.BaseForm,
    *,
    user,
    record: models.Model | None,
    save: Callable[[dict[str, Any]], Any],
    parts: Sequence[str] = (),
    made: Callable[[Any], models.Model] = lambda result: result,
) -> Any:
    """Save through `save(data)`; `made(result)` is the record a create made (for the token)."""
    with transaction.atomic():
        if record is not None and record.pk is not None:
            concurrency.lock_unchanged(record, getattr(form, "guard_state", ""), parts=parts)
            return save(form_data(form))
        submission = idempotency.claim(getattr(form, "guard_token", None), user)
        result = save(form_data(form))
        idempotency.link(submission, made(result))
        return result


def open_page(
    form: forms.BaseForm, record: models.Model | None, *, parts: Sequence[str] = ()
) -> forms.BaseForm:
    """A form page being opened (GET): put the record's state or a fresh one-time token in it."""
    form.initial.update(guard_initial(record, parts=parts))
    return form


def show_repeated(request, exc: idempotency.Repeated, url_name: str, fallback: str):
    """The earlier submission's record, with a message; its list if that record is gone."""
    from django.contrib import messages
    from django.shortcuts import redirect

    messages.info(request, exc.message)
    if exc.record is None:
        return redirect(fallback)
    return redirect(url_name, pk=exc.record.pk)


show_stale = concurrency.show_stale
StaleRecord = concurrency.StaleRecord
Repeated = idempotency.Repeated


def earlier_submission(form: forms.BaseForm, record: models.Model | None) -> idempotency.Repeated | None:
    """A create page posted again after its first submission saved: checked before the form is
    validated, since the first record may now make the same input invalid (a duplicate address)."""
    if record is not None and record.pk is not None or not form.is_bound:
        return None
    return idempotency.earlier(form.data.get(form.add_prefix(TOKEN_FIELD)))
