"""What every write shares: the row lock with the version check, scope checks, the due date, the log."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from feedback import rules, scope
from feedback.models import EventKind, Opinion, OpinionEvent
from feedback.states import Action, State, TransitionRefused, next_state
from liaison.access.scoping import ORGANISATION_OUT_OF_SCOPE, PERSON_OUT_OF_SCOPE, in_scope
from liaison.workcal import CalendarYearMissing, StatutoryCalendar

OPINION_SEQUENCE = "opinion"
ASSIGNMENT_SEQUENCE = "assignment"

NOT_OWNER = "只有受理（或转报后承办）该意见的党组织（或其上级）才能进行此操作。"
NOT_VISIBLE = "您无权处理这条意见。"
TRANSFERRED_AWAY = "该意见已转报{holder}办理，本级只能查看。"
DATE_IN_FUTURE = "日期不能晚于今天。"
STALE = "这条意见已被{user}于{at}修改（{what}）。您填写的内容还在下面，请核对当前记录后再提交。"


class StaleOpinion(Exception):
    """Somebody saved the opinion after this user opened the form (optimistic locking)."""

    def __init__(self, opinion: Opinion, last_event: OpinionEvent | None) -> None:
        self.opinion = opinion
        who = "他人"
        when = timezone.localtime(opinion.updated_at).strftime("%H:%M")
        what = "内容有变化"
        if last_event is not None:
            who = last_event.user.display_name if last_event.user else "系统"
            when = timezone.localtime(last_event.at).strftime("%Y-%m-%d %H:%M")
            what = last_event.get_kind_display()
        self.message = STALE.format(user=who, at=when, what=what)
        super().__init__(self.message)


@dataclass
class Deadline:
    due: datetime.date
    provisional: bool
    mode: str
    assumed_years: set[int] = field(default_factory=set)


def today_of(now: datetime.datetime | None) -> tuple[datetime.datetime, datetime.date]:
    now = now or timezone.now()
    return now, timezone.localdate(now)


def compute_deadline(
    received_on: datetime.date, category: int, *, workcal: StatutoryCalendar | None = None
) -> Deadline:
    """The 1234 due date on the statutory calendar; a year missing from it makes the date provisional
    (counted as ordinary weeks, flagged 暂定 and recomputed when the year is entered), never silent."""
    mode = settings.LIAISON_DEADLINE_CALENDAR
    try:
        due = rules.due_date(received_on, category, calendar=mode, workcal=workcal or StatutoryCalendar())
        return Deadline(due, False, mode)
    except CalendarYearMissing:
        provisional = StatutoryCalendar(provisional=True)
        due = rules.due_date(received_on, category, calendar=mode, workcal=provisional)
        return Deadline(due, True, mode, provisional.assumed_years)


def lock(opinion: Opinion | int, version: int | None = None) -> Opinion:
    """Lock the row for this transaction; refuse when the user's copy is older than the record."""
    pk = opinion.pk if isinstance(opinion, Opinion) else opinion
    current = Opinion.objects.select_for_update().select_related("organisation").get(pk=pk)
    if version is not None and int(version) != current.version:
        last = current.events.select_related("user").order_by("-at", "-id").first()
        raise StaleOpinion(current, last)
    return current


def require_owner(user, opinion: Opinion) -> None:
    if not scope.owns(user, opinion):
        raise PermissionDenied(NOT_OWNER)


def require_visible(user, opinion: Opinion) -> None:
    """On the handling side: the opinion is visible and was not sent up out of the user's subtree."""
    if scope.handles(user, opinion):
        return
    if scope.sees(user, opinion) and scope.transferred_away(user, opinion):
        raise PermissionDenied(TRANSFERRED_AWAY.format(holder=opinion.holder.name))
    raise PermissionDenied(NOT_VISIBLE)


def require_org_in_scope(user, organisation, field_name: str) -> None:
    if not in_scope(user, organisation):
        raise ValidationError({field_name: ORGANISATION_OUT_OF_SCOPE})


def require_person_in_scope(user, person, field_name: str) -> None:
    if person is None:
        return
    if not person.is_active or not in_scope(user, person.organisation):
        raise ValidationError({field_name: PERSON_OUT_OF_SCOPE})


def require_not_future(day: datetime.date | None, today: datetime.date, field_name: str) -> None:
    if day and day > today:
        raise ValidationError({field_name: DATE_IN_FUTURE})


def move(opinion: Opinion, action: Action) -> tuple[State, State]:
    """Apply the state machine; a refused transition becomes a ValidationError with its message."""
    before = State(opinion.state)
    try:
        after = next_state(before, action)
    except TransitionRefused as exc:
        raise ValidationError(exc.message, code="transition") from exc
    opinion.state = after
    return before, after


def save(opinion: Opinion) -> None:
    """Validate everything (fields, constraints) and save with the next version."""
    opinion.version += 1
    opinion.full_clean()
    opinion.save()


def log(
    opinion: Opinion,
    *,
    user,
    kind: str,
    now: datetime.datetime,
    states: tuple[State, State] | None = None,
    due: tuple[datetime.date | None, datetime.date | None] | None = None,
    note: str = "",
    changes: list[list[str]] | None = None,
) -> OpinionEvent:
    from_state, to_state = states or ("", "")
    old_due, new_due = due or (None, None)
    return OpinionEvent.objects.create(
        opinion=opinion,
        at=now,
        user=user if user and user.is_authenticated else None,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        old_due_date=old_due,
        new_due_date=new_due,
        note=note,
        changes=changes or [],
    )


def value_text(model_field, value) -> str:
    """A value as the user reads it (choice labels, names, dates), for the history and conflicts."""
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return getattr(value, "display_name", None) or str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def display(instance: models.Model, name: str) -> str:
    return value_text(instance._meta.get_field(name), getattr(instance, name))


def diff(before: dict[str, str], instance: models.Model, names: list[str]) -> list[list[str]]:
    changes = []
    for name in names:
        after = display(instance, name)
        if before[name] != after:
            changes.append([str(instance._meta.get_field(name).verbose_name), before[name], after])
    return changes


def snapshot(instance: models.Model, names: list[str]) -> dict[str, str]:
    return {name: display(instance, name) for name in names}


__all__ = [
    "ASSIGNMENT_SEQUENCE",
    "OPINION_SEQUENCE",
    "Deadline",
    "EventKind",
    "StaleOpinion",
    "compute_deadline",
    "diff",
    "display",
    "value_text",
    "lock",
    "log",
    "move",
    "require_not_future",
    "require_org_in_scope",
    "require_owner",
    "require_person_in_scope",
    "require_visible",
    "save",
    "snapshot",
    "today_of",
]
