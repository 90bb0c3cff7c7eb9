"""Committees, sessions and receptions made the way the app makes them: through the services."""

from __future__ import annotations

import datetime

from feedback import services
from feedback.models import HalfDay, Handling, PlaceKind, Reception, ReceptionSession, SessionKind
from feedback.tests.factories import at
from members.models import PartyMember, Position
from tests.factories import PartyMemberFactory

TERM_START = datetime.date(2024, 1, 1)


def committee(organisation, names: list[str], *, delegates: tuple[str, ...] = ()) -> list[PartyMember]:
    """A committee: the first name is the secretary, the second a deputy, the rest 委员; then delegates."""
    people = []
    for index, name in enumerate(names):
        member = PartyMemberFactory(organisation=organisation, name=name)
        role = Position.Role.SECRETARY if index == 0 else Position.Role.DEPUTY_SECRETARY
        if index >= 2:
            role = Position.Role.COMMITTEE
        Position.objects.create(member=member, organisation=organisation, role=role, start_date=TERM_START)
        people.append(member)
    for name in delegates:
        member = PartyMemberFactory(organisation=organisation, name=name)
        Position.objects.create(
            member=member, organisation=organisation, role=Position.Role.DELEGATE, start_date=TERM_START
        )
        people.append(member)
    return people


def session(user, receiver, *, day: datetime.date, now_day: datetime.date | None = None, **overrides):
    organisation = overrides.pop("organisation", user.organisation)
    values = {
        "kind": SessionKind.SECRETARY,
        "date": day,
        "half_day": HalfDay.MORNING,
        "start_time": datetime.time(9, 0),
        "end_time": datetime.time(12, 0),
        "place_kind": PlaceKind.SERVICE_CENTRE,
        "place": f"{organisation.name}便民服务中心",
        "receiver": receiver,
        "receiver_title": "村党组织书记",
        "phone": "023-66230001",
    }
    values.update(overrides)
    return services.session_save(
        user=user, organisation=organisation, now=at(now_day or day - datetime.timedelta(days=7)), **values
    )


def published(user, receiver, *, day: datetime.date, **overrides) -> ReceptionSession:
    made = session(user, receiver, day=day, **overrides)
    services.session_publish(
        user=user,
        sessions=ReceptionSession.objects.filter(pk=made.pk),
        now=at(day - datetime.timedelta(days=7)),
    )
    made.refresh_from_db()
    return made


def reception(user, receiver, *, day: datetime.date, **overrides) -> Reception:
    organisation = overrides.pop("organisation", user.organisation)
    values = {
        "received_on": day,
        "receiver": receiver,
        "receiver_title": "村党组织书记",
        "visitor_name": "王喆",
        "visitor_gender": "M",
        "visitor_age": 63,
        "visitor_address": "桂花村三组12号",
        "visitor_phone": "13812345678",
        "account": "王喆到村便民服务中心反映三组机耕道垮塌。",
        "matter": "三组机耕道垮塌",
        "cause": "连日降雨，机耕道垮塌约十米。",
        "request": "请求尽快修复，保证农机下田。",
        "handling": Handling.ON_SITE,
        "handling_note": "当场联系施工队，次日修复。",
        "visitor_opinion": "满意",
        "signed_on": day,
    }
    values.update(overrides)
    return services.reception_register(user=user, organisation=organisation, now=at(day, 11), **values)
