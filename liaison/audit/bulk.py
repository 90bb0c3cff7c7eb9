"""Audit entries for bulk writes, which send no model signals (the Excel import, the pairing's members,
a calendar year's days). One entry per record, written in bulk, with the same who/where as a form save.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from auditlog.context import auditlog_disabled, auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch.dispatcher import _make_id
from django.utils.encoding import smart_str

from liaison.audit.registry import parent_data

BATCH = 500


def _context() -> dict:
    """The actor and address of the request (or set_actor block) running now.

    auditlog leaves its context variable set after the request; what marks it live is its pre_save
    receiver on LogEntry, connected only while the block runs. A stale value is someone else's.
    """
    try:
        context = auditlog_value.get()
    except LookupError:
        return {}
    live = (context.get("signal_duid"), _make_id(LogEntry))
    if not any(receiver[0] == live for receiver in pre_save.receivers):
        return {}
    actor = context.get("actor")
    return {
        "actor": actor if getattr(actor, "is_authenticated", False) else None,
        "remote_addr": context.get("remote_addr"),
        "remote_port": context.get("remote_port"),
    }


def _enabled(model: type[models.Model]) -> bool:
    return auditlog.contains(model) and not auditlog_disabled.get()


def _entry(obj: models.Model, action: int, changes: dict, extra: dict, context: dict) -> LogEntry:
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None,
        object_repr=smart_str(obj),
        action=action,
        changes=changes,
        additional_data={**(parent_data(obj) or {}), **(extra or {})} or None,
        **context,
    )
    if entry.actor is not None:
        entry.actor_email = entry.actor.email or None
    return entry


def log_created(objs: Iterable[models.Model], *, additional_data: dict | None = None) -> int:
    """Log a create entry for each saved object (after bulk_create): every field, None → value."""
    objs = [obj for obj in objs if obj.pk is not None]
    if not objs or not _enabled(type(objs[0])):
        return 0
    context = _context()
    entries = [
        _entry(obj, LogEntry.Action.CREATE, model_instance_diff(None, obj) or {}, additional_data, context)
        for obj in objs
    ]
    LogEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def log_updated(
    changes: Iterable[tuple[models.Model, Mapping[str, tuple[object, object]]]],
    *,
    additional_data: dict | None = None,
) -> int:
    """Log an update entry for each (object, {field: (old, new)}) after bulk_update."""
    changes = [(obj, fields) for obj, fields in changes if fields]
    if not changes or not _enabled(type(changes[0][0])):
        return 0
    context = _context()
    entries = [
        _entry(
            obj,
            LogEntry.Action.UPDATE,
            {name: [_text(old), _text(new)] for name, (old, new) in fields.items()},
            additional_data,
            context,
        )
        for obj, fields in changes
    ]
    LogEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def log_m2m_added(
    links: Iterable[tuple[models.Model, str, list[str]]], *, additional_data: dict | None = None
) -> int:
    """Log tags (or any m2m) added in bulk: (record, field name, [names added])."""
    links = [(obj, field, names) for obj, field, names in links if names]
    if not links or not _enabled(type(links[0][0])):
        return 0
    context = _context()
    entries = [
        _entry(
            obj,
            LogEntry.Action.UPDATE,
            {field: {"type": "m2m", "operation": "add", "objects": names}},
            additional_data,
            context,
        )
        for obj, field, names in links
    ]
    LogEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def _text(value: object) -> str:
    if isinstance(value, models.Model):
        return smart_str(value.pk)
    return smart_str(value)
