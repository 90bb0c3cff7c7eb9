"""What every commitments write shares: the row lock, the state machine, scope checks, the history."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from commitments import scope
from commitments.models import Commitment, CommitmentEvent
from commitments.states import Action, State, TransitionRefused, next_state
from liaison.models import Organisation

NOT_OWNER = "只有承诺的村（社区）、支部或其上级党组织才能进行此操作。"
TOWNSHIP_ONLY = "此项由镇街党委、政府办理（004 “两委会”双向承诺服务制度），村（社区）不能自行办理。"
DATE_IN_FUTURE = "日期不能晚于今天。"


def today_of(now: datetime.datetime | None) -> tuple[datetime.datetime, datetime.date]:
    now = now or timezone.now()
    return now, timezone.localdate(now)


def actor(user):
    return user if user is not None and user.is_authenticated else None


def lock(commitment: Commitment | int) -> Commitment:
    pk = commitment.pk if isinstance(commitment, Commitment) else commitment
    return Commitment.objects.select_for_update().select_related("organisation").get(pk=pk)


def require_owner(user, organisation: Organisation) -> None:
    if not scope.owns(user, organisation):
        raise PermissionDenied(NOT_OWNER)


def require_township(user, organisation: Organisation) -> None:
    """Approval, inspection and assessment are the township's (an organisation above), never the
    village's own: refused with a message the page shows (a ValidationError, not a 403)."""
    if not scope.owns(user, organisation):
        raise PermissionDenied(NOT_OWNER)
    if not scope.is_above(user, organisation):
        raise ValidationError(TOWNSHIP_ONLY, code="township_only")


def require_not_future(day: datetime.date | None, today: datetime.date, field: str) -> None:
    if day and day > today:
        raise ValidationError({field: DATE_IN_FUTURE})


def move(commitment: Commitment, action: Action, *, failed_vote: bool = False) -> tuple[State, State]:
    before = State(commitment.state)
    try:
        after = next_state(before, action, failed_vote=failed_vote)
    except TransitionRefused as exc:
        raise ValidationError(exc.message, code="transition") from exc
    commitment.state = after
    return before, after


def refuse_unless(commitment: Commitment, action: Action) -> None:
    """Check the action is allowed without changing the state (steps that keep it)."""
    move(commitment, action)


def save(record: models.Model) -> None:
    if hasattr(record, "version") and record.pk:
        record.version += 1
    record.full_clean()
    record.save()


def log(
    commitment: Commitment,
    *,
    user,
    kind: str,
    now: datetime.datetime,
    states: tuple[str, str] | None = None,
    note: str = "",
) -> CommitmentEvent:
    from_state, to_state = states or ("", "")
    return CommitmentEvent.objects.create(
        commitment=commitment,
        at=now,
        user=actor(user),
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
