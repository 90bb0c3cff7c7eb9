"""A record's history for its page: who, when, from where, and each field's old → new value.

The caller has already fetched the record through its scoped selector, so whoever gets here may see
the record; its history is read with the same right. Phone and ID numbers are masked for roles without
liaison.view_personal_data (through liaison.access.privacy's viewer, which also notes full ones for the
access log), and the address of the person who made the change is shown only to roles
with liaison.view_audit_address. The query count does not grow with the number of entries: one query
for the entries (with their actors), one for the total, and one per kind of record their foreign keys
point to.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from liaison.access.privacy import personal_fields, viewer_for
from liaison.audit.registry import parent_key

AUDIT_ADDRESS_PERMISSION = "liaison.view_audit_address"
HISTORY_LIMIT = 50
EMPTY = "（空）"
ACTION_LABELS = {
    LogEntry.Action.CREATE: "新增",
    LogEntry.Action.UPDATE: "修改",
    LogEntry.Action.DELETE: "删除",
    LogEntry.Action.ACCESS: "查看",
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    actor: str
    remote_addr: str | None
    action: str
    subject: str  # "家庭成员 张三" for a record shown on its parent's page; "" for the record itself
    changes: list[FieldChange] = field(default_factory=list)
    note: str = ""


@dataclass
class History:
    entries: list[HistoryEntry]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.entries)


def entries_for(record: models.Model) -> models.QuerySet[LogEntry]:
    """The record's own entries and those of the records shown on its page (see registry.PARENTS)."""
    content_type = ContentType.objects.get_for_model(record)
    return LogEntry.objects.filter(
        Q(content_type=content_type, object_id=record.pk)
        | Q(additional_data__parent=parent_key(record._meta.label_lower, record.pk))
    )


def record_history(*, user, record: models.Model, limit: int = HISTORY_LIMIT) -> History:
    queryset = entries_for(record)
    total = queryset.count()
    rows = list(queryset.select_related("actor").order_by("-timestamp", "-id")[:limit])
    return History(entries=format_entries(rows, user=user, record=record), total=total)


def format_entries(rows: list[LogEntry], *, user, record: models.Model | None = None) -> list[HistoryEntry]:
    viewer = viewer_for(user)
    show_address = bool(user and user.has_perm(AUDIT_ADDRESS_PERMISSION))
    own_type = ContentType.objects.get_for_model(record).pk if record is not None else None
    names = _foreign_names(rows, record)
    entries = []
    for row in rows:
        model = _model(row.content_type_id)
        subject = ""
        if row.content_type_id != own_type or (record is not None and row.object_id != record.pk):
            subject = f"{model._meta.verbose_name if model else ''} {row.object_repr}".strip()
        note = (row.additional_data or {}).get("reason", "") if isinstance(row.additional_data, dict) else ""
        batch = (
            (row.additional_data or {}).get("import_batch") if isinstance(row.additional_data, dict) else None
        )
        if batch:
            note = f"Excel 导入（批次 {batch}）"
        entries.append(
            HistoryEntry(
                at=row.timestamp,
                actor=(row.actor.display_name if row.actor else "") or row.actor_email or "系统",
                remote_addr=row.remote_addr if show_address else None,
                action=ACTION_LABELS.get(row.action, ""),
                subject=subject,
                changes=_changes(row, model, names, viewer),
                note=note,
            )
        )
    return entries


def _model(content_type_id: int) -> type[models.Model] | None:
    return ContentType.objects.get_for_id(content_type_id).model_class()


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _foreign_names(
    rows: list[LogEntry], record: models.Model | None
) -> dict[tuple[type[models.Model], str], str]:
    """Every foreign key value on the page, named with one query per related model; the page's own
    record (a resident's household on the household's page) is named without one."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    names = {}
    if record is not None:
        names[(record._meta.concrete_model, str(record.pk))] = str(record)
    for row in rows:
        model = _model(row.content_type_id)
        for name, values in (row.changes or {}).items():
            target = _field(model, name)
            if isinstance(target, models.ForeignKey) and isinstance(values, list):
                wanted[target.related_model].update(
                    v
                    for v in values
                    if v not in (None, "None", "") and (target.related_model, v) not in names
                )
    for related, pks in wanted.items():
        if not pks:
            continue
        for obj in related._base_manager.filter(pk__in=list(pks)):
            names[(related, str(obj.pk))] = str(obj)
    return names


def _changes(row: LogEntry, model, names, viewer) -> list[FieldChange]:
    """Personal values (liaison.access.privacy.PERSONAL_FIELDS) go through the request's viewer: masked
    for roles without liaison.view_personal_data, and noted for the access log when shown in full."""
    kinds = personal_fields(model) if model is not None else {}
    subject = model(pk=row.object_id) if model is not None and row.object_id is not None else None
    changes = []
    for name, values in (row.changes or {}).items():
        target = _field(model, name)
        if target is None or target.auto_created and not target.concrete:
            continue  # reverse relations auditlog lists on delete
        label = str(getattr(target, "verbose_name", name))
        if isinstance(values, dict) and values.get("type") == "m2m":
            verb = "增加" if values.get("operation") == "add" else "移除"
            changes.append(FieldChange(label=label, old="", new=f"{verb}：{'、'.join(values['objects'])}"))
            continue
        if not isinstance(values, list) or len(values) != 2:
            continue
        if target.primary_key:
            continue
        old, new = (_display(target, value, names) for value in values)
        if old == new:
            continue  # an empty field of a new record, or "" → None
        kind = kinds.get(name)
        if kind is not None:
            old, new = (viewer.show_value(subject, name, kind, value) for value in (old, new))
        changes.append(FieldChange(label=label, old=old or EMPTY, new=new or EMPTY))
    return changes


def _display(target: models.Field, value, names) -> str:
    if value is None or value == "None":
        return ""
    value = str(value)
    if isinstance(target, models.ForeignKey):
        return names.get((target.related_model, value), f"（已删除，编号 {value}）")
    if isinstance(target, models.BooleanField):
        return {"True": "是", "False": "否"}.get(value, value)
    if target.choices:
        return str(dict(target.flatchoices).get(_typed(target, value), value))
    if isinstance(target, models.DateTimeField):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=datetime.UTC)
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return value


def _typed(target: models.Field, value: str):
    try:
        return target.to_python(value)
    except (
        ValidationError,
        TypeError,
        ValueError,
    ):  # a value stored before the field's type changed: show it as it was
        return value
