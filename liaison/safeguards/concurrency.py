"""A stale save is refused, and the user is told what changed: optimistic locking for any record.

The edit page carries, in a hidden field, the state of the record as the user saw it: a keyed hash of
every field, many-to-many set and named part (a household's residents, a member's positions). Saving
runs in one transaction that first locks the record's row (`select_for_update`: a second save waits
for the first to commit) and compares the state then with the state the user saw. When they differ,
nothing is written; the form comes back with what the user typed, the names of what changed
meanwhile, and a fresh state, so a second submit saves knowingly.

Hashes, not values, go into the page: the page never carries a phone or ID number the user may not
see, and a record someone saved without changing anything is not a conflict.

Every edit view uses it the same way:

    form = SomeForm(request.POST, initial={STATE_FIELD: record_state(instance, parts=PARTS)})
    try:
        with unchanged_since(instance, form.cleaned_data.get(STATE_FIELD), parts=PARTS):
            service(...)
    except StaleRecord as exc:
        show_stale(form, exc, instance)
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.core import signing
from django.db import models, transaction

STATE_FIELD = "record_state"
STALE = "保存失败：您打开这个页面后，这条记录已被他人修改（{what}）。您填写的内容还在下面，请核对当前记录后再保存。"
EXPIRED = "保存失败：页面已过期或被改动，请重新打开这条记录后再修改。"
_SALT = "liaison.safeguards.concurrency"


def _keyed(value: object) -> str:
    key = hashlib.sha256((settings.SECRET_KEY + _SALT).encode()).digest()
    return hmac.new(key, repr(value).encode(), hashlib.sha256).hexdigest()[:12]


def _fields(instance: models.Model) -> Iterator[tuple[str, str, object]]:
    """(key, label, value) of each concrete field but the primary key and auto timestamps."""
    for field in instance._meta.concrete_fields:
        if field.primary_key or getattr(field, "auto_now", False):
            continue
        yield field.attname, str(field.verbose_name), getattr(instance, field.attname)


def _values(instance: models.Model, parts: Sequence[str]) -> dict[str, tuple[str, object]]:
    values = {key: (label, value) for key, label, value in _fields(instance)}
    for field in instance._meta.many_to_many:
        pks = sorted(getattr(instance, field.name).values_list("pk", flat=True))
        values[field.name] = (str(field.verbose_name), pks)
    for part in parts:
        manager = getattr(instance, part)
        label = str(manager.model._meta.verbose_name)
        rows = list(manager.order_by("pk"))
        values[part] = (label, [row.pk for row in rows])
        for row in rows:
            for key, _, value in _fields(row):
                values[f"{part}.{row.pk}.{key}"] = (label, value)
    return values


def record_state(instance: models.Model, *, parts: Sequence[str] = ()) -> str:
    """The record as it stands, for the hidden field: signed, compressed hashes of each value."""
    if instance.pk is None:
        return ""
    hashes = {key: _keyed(value) for key, (_, value) in _values(instance, parts).items()}
    return signing.dumps(hashes, salt=_SALT, compress=True)


class StaleRecord(Exception):
    """The record changed after the user opened the form; `changed` names what (field labels)."""

    def __init__(self, instance: models.Model, changed: list[str], *, expired: bool = False) -> None:
        self.instance = instance
        self.changed = changed
        self.message = EXPIRED if expired else STALE.format(what="、".join(changed) or "内容有变化")
        super().__init__(self.message)


def changed_since(instance: models.Model, seen: str, *, parts: Sequence[str] = ()) -> list[str] | None:
    """The labels of what differs from the state the user saw; None when `seen` is not a valid state."""
    try:
        hashes = signing.loads(seen, salt=_SALT)
    except signing.BadSignature:
        return None
    changed: list[str] = []
    current = _values(instance, parts)
    for key in sorted(set(current) | set(hashes)):
        label, value = current.get(key, (None, None))
        if key not in current:
            label = _label_of(instance, key, parts)
        if hashes.get(key) != (_keyed(value) if key in current else None) and label not in changed:
            changed.append(label)
    return changed


def _label_of(instance: models.Model, key: str, parts: Sequence[str]) -> str:
    head = key.split(".", 1)[0]
    if head in parts:
        return str(getattr(instance, head).model._meta.verbose_name)
    try:
        return str(instance._meta.get_field(head).verbose_name)
    except Exception:
        return head


def lock_unchanged(instance: models.Model, seen: str | None, *, parts: Sequence[str] = ()) -> models.Model:
    """Lock the record's row for this transaction and refuse if it changed since `seen`.

    An empty `seen` (a client that never loaded the edit page, such as a script) skips the comparison
    but still takes the lock; a tampered one is refused."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if not seen:
        return current
    changed = changed_since(current, seen, parts=parts)
    if changed is None:
        raise StaleRecord(current, [], expired=True)
    if changed:
        raise StaleRecord(current, changed)
    return current


@contextmanager
def unchanged_since(instance: models.Model | None, seen: str | None, *, parts: Sequence[str] = ()):
    """One transaction: lock the record, compare, then run the block (the service's save).

    A new record (`instance` None or unsaved) has nothing to compare: the block just runs atomically."""
    with transaction.atomic():
        if instance is not None and instance.pk is not None:
            lock_unchanged(instance, seen, parts=parts)
        yield


def state_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, required=False)


def show_stale(form: forms.BaseForm, exc: StaleRecord, *, parts: Sequence[str] = ()) -> None:
    """The user's input stays; the message goes on top; the hidden state becomes the current one, so
    submitting again saves over the other person's change knowingly."""
    form.add_error(None, exc.message)
    data = form.data.copy()
    data[form.add_prefix(STATE_FIELD)] = record_state(exc.instance, parts=parts)
    form.data = data


class StateFormMixin(forms.Form):
    """Adds the hidden record state to an edit form (filled from `instance`/`record` when given)."""

    record_state = state_field()
