"""Opinions made the way the app makes them: through the services, at a pinned moment."""

from __future__ import annotations

import datetime

from django.utils import timezone

from feedback import services
from feedback.models import Channel, Opinion
from feedback.rules import Category


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def register(
    user,
    organisation=None,
    *,
    received_on: datetime.date | None = None,
    category: int = Category.OWN,
    now: datetime.datetime | None = None,
    **overrides,
) -> Opinion:
    received_on = received_on or timezone.localdate()
    data = {
        "organisation": organisation or user.organisation,
        "received_on": received_on,
        "channel": Channel.HOTLINE,
        "reporter_name": "王喆",
        "reporter_address": "桂花村三组12号",
        "reporter_phone": "13812345678",
        "subject": "三组机耕道垮塌",
        "content": "连日降雨，机耕道垮塌约十米，农机下不了田，请求尽快修复。",
        "category": category,
        "responsible": user,
        "handler": user,
    }
    data.update(overrides)
    return services.opinion_register(user=user, now=now or at(received_on, 9), **data)


def refreshed(opinion: Opinion) -> Opinion:
    return Opinion.objects.get(pk=opinion.pk)


def answer(user, opinion: Opinion, *, on: datetime.date, result: str = "已修复，可正常通行。") -> Opinion:
    """Start (if needed) and record the result."""
    opinion = refreshed(opinion)
    if opinion.state == "registered":
        services.opinion_start(user=user, opinion=opinion, version=opinion.version, now=at(on, 9))
        opinion = refreshed(opinion)
    services.opinion_record_result(
        user=user,
        opinion=opinion,
        version=opinion.version,
        result=result,
        result_on=on,
        feedback_contact="刘晓燕",
        feedback_phone="023-66231234",
        now=at(on, 15),
    )
    return refreshed(opinion)


def feed_back(user, opinion: Opinion, *, on: datetime.date, close: bool = True) -> Opinion:
    opinion = refreshed(opinion)
    services.opinion_record_feedback(
        user=user,
        opinion=opinion,
        version=opinion.version,
        feedback_on=on,
        feedback_signer=opinion.reporter_name,
        satisfaction="satisfied",
        feedback_method="in_person",
        close=close,
        now=at(on, 16),
    )
    return refreshed(opinion)


def make_due(opinion: Opinion, *, received_on: datetime.date, due: datetime.date) -> Opinion:
    """Pin an opinion's dates directly, for selector tests that must not depend on the calendar."""
    from feedback import rules

    Opinion.objects.filter(pk=opinion.pk).update(
        received_on=received_on,
        original_due_date=due,
        due_date=due,
        due_soon_from=rules.due_soon_from(received_on, due),
    )
    return refreshed(opinion)


def hand_over(user, opinion: Opinion, unit, *, issued_on: datetime.date = datetime.date(2026, 3, 4)):
    """A 交办单 to `unit`, issued by `user` through the service, due on 12 March 2026."""
    return services.assignment_issue(
        user=user,
        opinion=opinion,
        unit=unit,
        due_date=datetime.date(2026, 3, 12),
        contact_name="刘晓燕",
        contact_phone="13983621457",
        issued_on=issued_on,
    )
