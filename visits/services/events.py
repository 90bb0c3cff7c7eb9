"""Writes on 五必访 events."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from liaison.access.scoping import HOUSEHOLD_OUT_OF_SCOPE, scoped
from liaison.models import Household
from liaison.safeguards.dates import NOT_IN_FUTURE
from visits.models import MustVisitEvent

DUPLICATE_EVENT = "该户当天已登记过同一事项。"


@transaction.atomic
def event_record(
    *,
    user,
    household: Household,
    kind: str,
    occurred_on: datetime.date,
    note: str = "",
    now: datetime.datetime | None = None,
) -> MustVisitEvent:
    today = timezone.localdate(now) if now else timezone.localdate()
    if not scoped(Household.objects.all(), user).filter(pk=household.pk).exists():
        raise ValidationError({"household": HOUSEHOLD_OUT_OF_SCOPE})
    if occurred_on > today:
        raise ValidationError({"occurred_on": NOT_IN_FUTURE})
    event = MustVisitEvent(
        organisation_id=household.organisation_id,
        household=household,
        kind=kind,
        occurred_on=occurred_on,
        note=note.strip(),
        created_by=user if user.is_authenticated else None,
    )
    try:
        event.full_clean(exclude=["household", "organisation"], validate_constraints=True)
    except ValidationError as exc:
        if "当天已登记" in str(exc):
            raise ValidationError({"occurred_on": DUPLICATE_EVENT}) from exc
        raise
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as exc:
        raise ValidationError({"occurred_on": DUPLICATE_EVENT}) from exc
    return event
