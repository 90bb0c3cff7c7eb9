"""The township's part: approve what the vote adopted (or send it back), see it published, inspect.

004 四（二）“再报镇街党委、政府批准”; 四（三）公开承诺; 四（五）跟踪督诺.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from commitments.models import Commitment, EventKind, Inspection
from commitments.services.common import (
    actor,
    lock,
    log,
    move,
    require_not_future,
    require_owner,
    require_township,
    save,
    today_of,
)
from commitments.states import Action, State
from liaison.models import Organisation

REASON_REQUIRED = "请填写退回理由，村（社区）据此重新拟定。"
APPROVED_BEFORE_VOTE = "批准日期不能早于表决日期（{date}）。"
PUBLISHED_BEFORE_APPROVAL = "公开日期不能早于镇街批准日期（{date}）。"
NOTHING_PUBLISHED = "该村（社区）{year}年尚无已公开的承诺事项，不能督诺。"
NOT_THIS_ORGANISATION = "所选承诺事项不属于被督查的村（社区）。"
NOT_PUBLISHED_ITEM = "“{title}”尚未公开，不能督诺。"
NOT_GRASSROOTS = "跟踪督诺的对象是村（社区）“两委会”：请选择村或社区。"


def _last_vote_on(commitment: Commitment) -> datetime.date | None:
    vote = commitment.votes.order_by("-held_on", "-id").first()
    return vote.held_on if vote else None


@transaction.atomic
def commitment_approve(
    *,
    user,
    commitment: Commitment | int,
    approved_on: datetime.date,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Commitment:
    now, today = today_of(now)
    commitment = lock(commitment)
    require_township(user, commitment.organisation)
    states = move(commitment, Action.APPROVE)
    require_not_future(approved_on, today, "approved_on")
    voted_on = _last_vote_on(commitment)
    if voted_on and approved_on < voted_on:
        raise ValidationError({"approved_on": APPROVED_BEFORE_VOTE.format(date=f"{voted_on:%Y-%m-%d}")})
    commitment.approved_on = approved_on
    commitment.approved_by = actor(user)
    save(commitment)
    log(commitment, user=user, kind=EventKind.APPROVE, now=now, states=states, note=note.strip())
    return commitment


@transaction.atomic
def commitment_refuse(
    *, user, commitment: Commitment | int, reason: str, now: datetime.datetime | None = None
) -> Commitment:
    """The township does not approve: back to the village to redraft and vote again."""
    now, _ = today_of(now)
    commitment = lock(commitment)
    require_township(user, commitment.organisation)
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    states = move(commitment, Action.REFUSE)
    save(commitment)
    log(commitment, user=user, kind=EventKind.REFUSE, now=now, states=states, note=reason.strip())
    return commitment


@transaction.atomic
def commitment_publish(
    *, user, commitment: Commitment | int, published_on: datetime.date, now: datetime.datetime | None = None
) -> Commitment:
    """公开承诺 at the members' and residents' meeting and on the 公开栏. A published revision replaces
    the item it revises."""
    now, today = today_of(now)
    commitment = lock(commitment)
    require_owner(user, commitment.organisation)
    states = move(commitment, Action.PUBLISH)
    require_not_future(published_on, today, "published_on")
    if commitment.approved_on and published_on < commitment.approved_on:
        raise ValidationError(
            {"published_on": PUBLISHED_BEFORE_APPROVAL.format(date=f"{commitment.approved_on:%Y-%m-%d}")}
        )
    commitment.published_on = published_on
    save(commitment)
    log(commitment, user=user, kind=EventKind.PUBLISH, now=now, states=states)
    if commitment.revision_of_id:
        original = lock(commitment.revision_of_id)
        replaced = move(original, Action.SUPERSEDE)
        save(original)
        log(
            original,
            user=user,
            kind=EventKind.SUPERSEDE,
            now=now,
            states=replaced,
            note=f"修改稿已于 {published_on:%Y-%m-%d} 公开。",
        )
    return commitment


@transaction.atomic
def inspection_add(
    *,
    user,
    organisation: Organisation,
    date: datetime.date,
    inspectors: str,
    findings: str,
    help_given: str = "",
    commitments=(),
    now: datetime.datetime | None = None,
) -> Inspection:
    """跟踪督诺 by the township: only of what the village has published."""
    now, today = today_of(now)
    require_township(user, organisation)
    if not organisation.is_grassroots and organisation.level != Organisation.Level.BRANCH:
        raise ValidationError({"organisation": NOT_GRASSROOTS})
    require_not_future(date, today, "date")
    items = list(commitments)
    published = Commitment.objects.filter(
        organisation=organisation, state=State.PUBLISHED, year__lte=date.year, end_year__gte=date.year
    )
    if not published.exists():
        raise ValidationError(NOTHING_PUBLISHED.format(year=date.year))
    for item in items:
        if item.organisation_id != organisation.pk:
            raise ValidationError({"commitments": NOT_THIS_ORGANISATION})
        if item.state != State.PUBLISHED:
            raise ValidationError({"commitments": NOT_PUBLISHED_ITEM.format(title=item.title)})
    inspection = Inspection(
        organisation=organisation,
        date=date,
        year=date.year,
        inspectors=inspectors.strip(),
        findings=findings.strip(),
        help_given=help_given.strip(),
        created_by=actor(user),
    )
    save(inspection)
    inspection.commitments.set(items)
    for item in items:
        log(
            item,
            user=user,
            kind=EventKind.INSPECT,
            now=now,
            note=f"{date:%Y-%m-%d} 督查：{inspection.findings[:60]}",
        )
    return inspection
