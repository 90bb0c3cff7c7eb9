"""提出初诺 and 民主定诺: draft, redraft, gather comments, record the vote, revise an adopted item.

Each write is atomic, locks the commitment, applies the state machine, validates with full_clean()
(which runs the database constraints too) and logs one history event: nothing is half-saved.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from commitments import rules
from commitments.models import Comment, Commitment, EventKind, Scope, Subject, Vote
from commitments.services.common import (
    actor,
    lock,
    log,
    move,
    refuse_unless,
    require_not_future,
    require_owner,
    save,
    today_of,
)
from commitments.states import Action, State
from liaison.models import Organisation

L = Organisation.Level
CONTENT_FIELDS = [
    "subject",
    "direction",
    "scope",
    "year",
    "area",
    "title",
    "content",
    "target",
    "deadline",
    "responsible",
]
SUBJECT_LEVELS = {
    Subject.PARTY: {L.VILLAGE, L.COMMUNITY},
    Subject.COMMITTEE: {L.VILLAGE, L.COMMUNITY},
    Subject.BRANCH: {L.BRANCH},
}
SUBJECT_LEVEL_MESSAGES = {
    Subject.PARTY: "村（社区）党组织的承诺请选择村或社区。",
    Subject.COMMITTEE: "村（居）委会的承诺请选择村或社区。",
    Subject.BRANCH: "党支部的承诺请选择支部。",
}
YEAR_RANGE = "年度应在2000年至明年之间。"
VOTE_NEGATIVE = "票数不能为负数。"
VOTE_OVER_ELIGIBLE = "同意、不同意、弃权票合计 {cast} 票，超过应参加表决人数 {eligible} 人。"
VOTE_EMPTY = "没有任何表决票（同意、不同意、弃权均为 0），无法计算表决结果。"
ELIGIBLE_REQUIRED = "请填写应参加表决人数（大于 0）。"
OPEN_REVISION = "该承诺已有修改稿在办理中（{title}），请在修改稿上继续。"
REASON_REQUIRED = "请填写理由。"


def _check_subject(organisation: Organisation, subject: str) -> None:
    if subject not in SUBJECT_LEVELS:
        raise ValidationError({"subject": "请选择承诺主体。"})
    if organisation.level not in SUBJECT_LEVELS[subject]:
        raise ValidationError({"organisation": SUBJECT_LEVEL_MESSAGES[subject]})


def _check_year(year: int, today: datetime.date) -> None:
    if not 2000 <= int(year) <= today.year + 1:
        raise ValidationError({"year": YEAR_RANGE})


def _clean_text(values: dict) -> dict:
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}


@transaction.atomic
def commitment_create(
    *,
    user,
    organisation: Organisation,
    subject: str,
    direction: str,
    area: str,
    title: str,
    content: str,
    target: str,
    deadline: datetime.date,
    responsible: str,
    year: int,
    scope: str = Scope.ANNUAL,
    revision_of: Commitment | None = None,
    now: datetime.datetime | None = None,
) -> Commitment:
    """提出初诺: the 两委会 proposes an item (004 四（一）)."""
    now, today = today_of(now)
    require_owner(user, organisation)
    _check_subject(organisation, subject)
    _check_year(year, today)
    values = _clean_text(
        dict(
            subject=subject,
            direction=direction,
            scope=scope,
            year=int(year),
            area=area,
            title=title,
            content=content,
            target=target,
            deadline=deadline,
            responsible=responsible,
        )
    )
    commitment = Commitment(
        organisation=organisation,
        state=State.DRAFT,
        revision_of=revision_of,
        created_by=actor(user),
        version=1,
        **values,
    )
    commitment.full_clean()
    commitment.save()
    note = f"修改稿，替代原承诺“{revision_of.title}”" if revision_of else ""
    log(commitment, user=user, kind=EventKind.CREATE, now=now, states=("", State.DRAFT), note=note)
    return commitment


@transaction.atomic
def commitment_update(*, user, commitment: Commitment | int, now: datetime.datetime | None = None, **changes):
    """Change a draft, or redraft an item the vote (or the township) sent back: it becomes a draft again.
    An adopted item is refused (states.ADOPTED_IS_FIXED): a change is a revision."""
    now, today = today_of(now)
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    commitment = lock(commitment)
    require_owner(user, commitment.organisation)
    states = move(commitment, Action.EDIT)
    before = {name: getattr(commitment, name) for name in CONTENT_FIELDS}
    for name, value in _clean_text(changes).items():
        setattr(commitment, name, value)
    commitment.year = int(commitment.year)
    _check_subject(commitment.organisation, commitment.subject)
    if commitment.year != before["year"]:
        _check_year(commitment.year, today)
    changed = [
        str(Commitment._meta.get_field(name).verbose_name)
        for name in CONTENT_FIELDS
        if getattr(commitment, name) != before[name]
    ]
    if not changed and states[0] == states[1]:
        return commitment
    save(commitment)
    note = "修改了：" + "、".join(changed) if changed else ""
    if states[0] == State.SENT_BACK:
        note = "重新拟定。" + note
    log(commitment, user=user, kind=EventKind.EDIT, now=now, states=states, note=note)
    return commitment


@transaction.atomic
def comment_add(
    *,
    user,
    commitment: Commitment | int,
    received_on: datetime.date,
    source: str,
    content: str,
    handling: str = "",
    now: datetime.datetime | None = None,
) -> Comment:
    """民主定诺's first half: opinions gathered from the township, the members and the residents."""
    now, today = today_of(now)
    commitment = lock(commitment)
    require_owner(user, commitment.organisation)
    refuse_unless(commitment, Action.COMMENT)
    require_not_future(received_on, today, "received_on")
    comment = Comment(
        commitment=commitment,
        received_on=received_on,
        source=source,
        content=content.strip(),
        handling=handling,
        created_by=actor(user),
    )
    save(comment)
    log(
        commitment,
        user=user,
        kind=EventKind.COMMENT,
        now=now,
        note=f"{comment.get_source_display()}：{comment.content[:60]}",
    )
    return comment


def check_vote_counts(*, eligible: int | None, approve: int, reject: int, abstain: int) -> None:
    """The counts a meeting can announce: none negative, not more than who may vote, not all zero."""
    errors: dict[str, list[str]] = {}
    for name, value in (("approve", approve), ("reject", reject), ("abstain", abstain)):
        if value is None or value < 0:
            errors.setdefault(name, []).append(VOTE_NEGATIVE)
    if eligible is None or eligible <= 0:
        errors.setdefault("eligible", []).append(ELIGIBLE_REQUIRED)
    if errors:
        raise ValidationError(errors)
    cast = approve + reject + abstain
    if cast == 0:
        raise ValidationError({"approve": [VOTE_EMPTY]})
    if cast > eligible:
        raise ValidationError({"eligible": [VOTE_OVER_ELIGIBLE.format(cast=cast, eligible=eligible)]})


@transaction.atomic
def vote_record(
    *,
    user,
    commitment: Commitment | int,
    held_on: datetime.date,
    body: str,
    eligible: int,
    approve: int,
    reject: int,
    abstain: int = 0,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Vote:
    """民主定诺: the members' and residents' vote decides (rules.vote_outcome). Not adopted → 重新拟定."""
    now, today = today_of(now)
    commitment = lock(commitment)
    require_owner(user, commitment.organisation)
    check_vote_counts(eligible=eligible, approve=approve, reject=reject, abstain=abstain)
    require_not_future(held_on, today, "held_on")
    outcome = rules.vote_outcome(approve, reject, abstain)
    states = move(commitment, Action.VOTE, failed_vote=not outcome.adopted)
    vote = Vote(
        commitment=commitment,
        held_on=held_on,
        body=body,
        eligible=eligible,
        approve=approve,
        reject=reject,
        abstain=abstain,
        result=outcome.result,
        note=note.strip(),
        created_by=actor(user),
    )
    save(vote)
    save(commitment)
    log(
        commitment,
        user=user,
        kind=EventKind.VOTE,
        now=now,
        states=states,
        note=(
            f"{vote.get_body_display()}：同意 {approve}、不同意 {reject}、弃权 {abstain}"
            f"（同意 {rules.percent(outcome.approve_share)}）——{outcome.result.label}"
        ),
    )
    return vote


@transaction.atomic
def commitment_revise(
    *, user, commitment: Commitment | int, reason: str = "", now: datetime.datetime | None = None
) -> Commitment:
    """A change to an adopted item: a new draft with the same content, voted again; it replaces the
    original when it is published (004 四（二）“直到党员群众认可为止”)."""
    now, _ = today_of(now)
    original = lock(commitment)
    require_owner(user, original.organisation)
    refuse_unless(original, Action.REVISE)
    open_revision = original.revisions.exclude(state__in=[State.WITHDRAWN, State.SUPERSEDED]).first()
    if open_revision is not None:
        raise ValidationError(OPEN_REVISION.format(title=open_revision.title))
    revision = commitment_create(
        user=user,
        organisation=original.organisation,
        revision_of=original,
        now=now,
        **{name: getattr(original, name) for name in CONTENT_FIELDS},
    )
    log(
        original,
        user=user,
        kind=EventKind.REVISE,
        now=now,
        note=f"已提出修改稿{('（' + reason.strip() + '）') if reason.strip() else ''}，原承诺在修改稿公开前继续有效。",
    )
    return revision


@transaction.atomic
def commitment_withdraw(
    *, user, commitment: Commitment | int, reason: str, now: datetime.datetime | None = None
) -> Commitment:
    now, _ = today_of(now)
    commitment = lock(commitment)
    require_owner(user, commitment.organisation)
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    states = move(commitment, Action.WITHDRAW)
    save(commitment)
    log(commitment, user=user, kind=EventKind.WITHDRAW, now=now, states=states, note=reason.strip())
    return commitment
