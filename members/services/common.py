"""Helpers shared by the members services."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from liaison.access.scoping import scoped
from liaison.models import Organisation

NOT_IN_FUTURE = "日期不能晚于今天。"
PLANNED_END_BEFORE_START = "计划结束日期必须晚于{start}。"
ENDED_BEFORE_START = "实际结束日期不能早于{start}。"
ENDED_NEEDS_DATE = "状态为“已结束”时，请填写实际结束日期。"
ACTIVE_HAS_END = "帮扶中的不能填写实际结束日期；如已结束，请把状态改为“已结束”。"


class Errors:
    """Collects field errors and raises them together, so the user sees every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def full_clean(obj: Model, *, exclude: Iterable[str] = ()) -> None:
    """Model validation including the database constraints, messages in Chinese."""
    obj.full_clean(exclude=list(exclude), validate_constraints=True)


def out_of_scope(user, objects: Iterable[Model], via: str = "organisation") -> list[Model]:
    """The objects the user may not see: one query, whatever their number."""
    objects = list(objects)
    if not objects:
        return []
    model = type(objects[0])
    visible = set(
        scoped(model.objects.filter(pk__in=[o.pk for o in objects]), user, via).values_list("pk", flat=True)
    )
    return [o for o in objects if o.pk not in visible]


def grassroots_of(organisation: Organisation) -> Organisation | None:
    """The village or community an organisation belongs to (itself, or the one above its branch)."""
    if organisation.is_grassroots:
        return organisation
    return (
        organisation.ancestors().filter(level__in=Organisation.GRASSROOTS_LEVELS).order_by("-depth").first()
    )


def check_not_future(errors: Errors, field: str, day: datetime.date | None, today: datetime.date) -> None:
    if day is not None and day > today:
        errors.add(field, NOT_IN_FUTURE)


def check_period(errors: Errors, *, start_date, planned_end, status, ended_on, start_label: str) -> None:
    """Start, planned end, status and actual end of a pairing agree (the database checks them too)."""
    check_not_future(errors, "ended_on", ended_on, timezone.localdate())
    if start_date and planned_end and planned_end <= start_date:
        errors.add("planned_end", PLANNED_END_BEFORE_START.format(start=start_label))
    if start_date and ended_on and ended_on < start_date:
        errors.add("ended_on", ENDED_BEFORE_START.format(start=start_label))
    if status == "ended" and ended_on is None:
        errors.add("ended_on", ENDED_NEEDS_DATE)
    if status == "active" and ended_on is not None:
        errors.add("ended_on", ACTIVE_HAS_END)
