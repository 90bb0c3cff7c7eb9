"""Commitments in each step, made through the services (so every test row went the way a user's does)."""

from __future__ import annotations

import datetime
import itertools

from commitments import services
from commitments.models import Area, Commitment, Direction, Scope, Subject, VoterGroup

YEAR = 2026
_titles = itertools.count(1)


def draft(user, organisation, *, subject=Subject.COMMITTEE, area=None, title=None, **overrides) -> Commitment:
    area = area or (Area.SERVICE if subject == Subject.COMMITTEE else Area.MEMBERSHIP)
    values = dict(
        organisation=organisation,
        subject=subject,
        direction=Direction.DOWNWARD,
        scope=Scope.ANNUAL,
        year=YEAR,
        area=area,
        title=title or f"为困难群众办实事第{next(_titles)}件",
        content="走访全村困难户，落实临时救助和医疗报销。",
        target="帮扶困难户 20 户",
        deadline=datetime.date(YEAR, 11, 30),
        responsible="村委会主任 陈国平",
    )
    values.update(overrides)
    return services.commitment_create(user=user, now=now(1, 5), **values)


def now(month: int, day: int, year: int = YEAR) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, 0, tzinfo=datetime.UTC)


def adopt(user, commitment, *, approve=80, reject=5, abstain=3, eligible=100, on=None) -> Commitment:
    on = on or datetime.date(commitment.year, 1, 20)
    services.vote_record(
        user=user,
        commitment=commitment,
        held_on=on,
        body="joint",
        eligible=eligible,
        approve=approve,
        reject=reject,
        abstain=abstain,
        now=now(on.month, on.day, on.year),
    )
    commitment.refresh_from_db()
    return commitment


def approve(township_user, commitment, on=None) -> Commitment:
    on = on or datetime.date(commitment.year, 1, 25)
    services.commitment_approve(
        user=township_user, commitment=commitment, approved_on=on, now=now(on.month, on.day, on.year)
    )
    commitment.refresh_from_db()
    return commitment


def publish(user, commitment, on=None) -> Commitment:
    on = on or datetime.date(commitment.year, 2, 1)
    services.commitment_publish(
        user=user, commitment=commitment, published_on=on, now=now(on.month, on.day, on.year)
    )
    commitment.refresh_from_db()
    return commitment


def published(village_user, township_user, organisation, **kwargs) -> Commitment:
    item = draft(village_user, organisation, **kwargs)
    return publish(village_user, approve(township_user, adopt(village_user, item)))


def tallies(satisfied: int, basically: int, dissatisfied: int) -> dict[str, tuple[int, int, int]]:
    """All the ballots in one group, the rest empty."""
    counts = {group.value: (0, 0, 0) for group in VoterGroup}
    counts[VoterGroup.MEMBER_REPS] = (satisfied, basically, dissatisfied)
    return counts
