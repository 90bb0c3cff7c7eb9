"""Writes around the opinion: 交办单 and its receipt, 催办/督办 and their answers, extensions, 包案."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from feedback import rules, scope
from feedback.models import Assignment, CaseOwnership, EventKind, Extension, Opinion, Urge
from feedback.services.common import (
    ASSIGNMENT_SEQUENCE,
    diff,
    lock,
    log,
    move,
    require_not_future,
    require_owner,
    require_visible,
    save,
    snapshot,
    today_of,
)
from feedback.states import Action
from liaison.access.scoping import UNIT_OUT_OF_SCOPE
from liaison.numbering import next_number

ASSIGNMENT_DUE_BEFORE_RECEIPT = "办理期限不能早于该意见的反映时间（{date}）。"
ASSIGNMENT_DUE_AFTER_OPINION = "办理期限不能晚于该意见的办理时限（{date}）；如需更多时间，请先申请延期。"
ISSUED_BEFORE_RECEIPT = "交办日期不能早于该意见的反映时间（{date}）。"
DUE_BEFORE_ISSUE = "办理期限不能早于交办日期。"
ALREADY_RECEIVED = "该交办单已于 {date} 签收。"
RECEIPT_BEFORE_ISSUE = "签收时间不能早于交办日期（{date}）。"
RECEIVER_REQUIRED = "请填写收件人。"
SUPERVISE_NEEDS_ABOVE = "督办由上级党组织进行；本级党组织请选择“催办”。"
NOTE_REQUIRED = "请填写催办督办意见。"
ALREADY_ANSWERED = "该催办督办已经回复。"
ANSWER_REQUIRED = "请填写回复内容。"
EXTENSION_NOT_LATER = "申请延至的日期应晚于当前办理时限（{date}）。"
EXTENSION_PENDING = "该意见已有一项待审批的延期申请，请等待上级党组织审批。"
REASON_REQUIRED = "请说明延期理由。"
NOT_ABOVE = "延期由上一级党组织审批，本级不能审批自己的延期申请。"
ALREADY_DECIDED = "该延期申请已经审批（{status}）。"
REFUSAL_NEEDS_NOTE = "不批准时请写明理由。"


@transaction.atomic
def assignment_issue(
    *,
    user,
    opinion: Opinion | int,
    unit,
    due_date: datetime.date,
    contact_name: str,
    contact_phone: str,
    issued_on: datetime.date,
    role: str = Assignment.Role.HANDLE,
    now: datetime.datetime | None = None,
) -> Assignment:
    """Hand the opinion to a unit in the user's scope, or to a 站所/department attached to an organisation
    above it (scope.taskable_units), with a 交办单 numbered per issuing organisation and year."""
    now, today = today_of(now)
    opinion = lock(opinion)
    require_owner(user, opinion)
    states = move(opinion, Action.ASSIGN)
    if not scope.may_task(user, unit):  # the subtree, and the 站所/departments attached above it
        raise ValidationError({"unit": UNIT_OUT_OF_SCOPE})
    require_not_future(issued_on, today, "issued_on")
    errors = {}
    if issued_on < opinion.received_on:
        errors["issued_on"] = ISSUED_BEFORE_RECEIPT.format(date=f"{opinion.received_on:%Y-%m-%d}")
    if due_date < opinion.received_on:
        errors["due_date"] = ASSIGNMENT_DUE_BEFORE_RECEIPT.format(date=f"{opinion.received_on:%Y-%m-%d}")
    elif due_date > opinion.due_date:
        errors["due_date"] = ASSIGNMENT_DUE_AFTER_OPINION.format(date=f"{opinion.due_date:%Y-%m-%d}")
    elif due_date < issued_on:
        errors["due_date"] = DUE_BEFORE_ISSUE
    if errors:
        raise ValidationError(errors)
    issuing = user.organisation if user.organisation_id else opinion.organisation
    assignment = Assignment(
        opinion=opinion,
        issuing_organisation=issuing,
        year=issued_on.year,
        unit=unit,
        role=role,
        issued_on=issued_on,
        due_date=due_date,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone,
        issued_by=user,
        number=0,
    )
    assignment.full_clean(exclude=["number"])
    assignment.number = next_number(organisation=issuing, year=issued_on.year, kind=ASSIGNMENT_SEQUENCE)
    assignment.save()
    save(opinion)
    log(
        opinion,
        user=user,
        kind=EventKind.ASSIGN,
        now=now,
        states=states,
        note=f"交办单{assignment.number_display}：交{unit.name}{assignment.get_role_display()}，期限 {due_date:%Y-%m-%d}",
    )
    return assignment


@transaction.atomic
def assignment_receive(
    *,
    user,
    assignment: Assignment,
    received_by: str,
    received_on: datetime.date,
    now: datetime.datetime | None = None,
) -> Assignment:
    """收件人签字、签收时间. The first receipt moves an assigned opinion into 办理中."""
    now, today = today_of(now)
    opinion = lock(assignment.opinion_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    require_visible(user, opinion)
    if assignment.received_on:
        raise ValidationError(ALREADY_RECEIVED.format(date=f"{assignment.received_on:%Y-%m-%d}"))
    states = move(opinion, Action.RECEIVE)
    if not (received_by or "").strip():
        raise ValidationError({"received_by": RECEIVER_REQUIRED})
    require_not_future(received_on, today, "received_on")
    if received_on < assignment.issued_on:
        raise ValidationError(
            {"received_on": RECEIPT_BEFORE_ISSUE.format(date=f"{assignment.issued_on:%Y-%m-%d}")}
        )
    assignment.received_by = received_by.strip()
    assignment.received_on = received_on
    assignment.full_clean()
    assignment.save()
    save(opinion)
    log(
        opinion,
        user=user,
        kind=EventKind.RECEIVE,
        now=now,
        states=states,
        note=f"交办单{assignment.number_display}由{assignment.received_by}于 {received_on:%Y-%m-%d} 签收",
    )
    return assignment


@transaction.atomic
def urge_create(
    *, user, opinion: Opinion | int, kind: str, note: str, now: datetime.datetime | None = None
) -> Urge:
    now, today = today_of(now)
    opinion = lock(opinion)
    require_owner(user, opinion)
    move(opinion, Action.URGE)
    if kind == Urge.Kind.SUPERVISE and not scope.is_above(user, opinion.handling_organisation):
        raise ValidationError({"kind": SUPERVISE_NEEDS_ABOVE})
    if not (note or "").strip():
        raise ValidationError({"note": NOTE_REQUIRED})
    urge = Urge(
        opinion=opinion,
        kind=kind,
        note=note.strip(),
        organisation=user.organisation,
        urged_by=user,
        urged_at=now,
    )
    urge.full_clean()
    urge.save()
    days = rules.days_left(opinion.due_date, today)
    timing = f"剩余 {days} 天" if days >= 0 else f"已逾期 {-days} 天"
    log(
        opinion,
        user=user,
        kind=EventKind.URGE,
        now=now,
        note=f"{urge.get_kind_display()}（{timing}）：{urge.note}",
    )
    return urge


@transaction.atomic
def urge_answer(*, user, urge: Urge, answer: str, now: datetime.datetime | None = None) -> Urge:
    now, _ = today_of(now)
    opinion = lock(urge.opinion_id)
    urge = Urge.objects.select_for_update().get(pk=urge.pk)
    require_visible(user, opinion)
    move(opinion, Action.ANSWER_URGE)
    if urge.answered_at:
        raise ValidationError(ALREADY_ANSWERED)
    if not (answer or "").strip():
        raise ValidationError({"answer": ANSWER_REQUIRED})
    urge.answer = answer.strip()
    urge.answered_by = user
    urge.answered_at = now
    urge.full_clean()
    urge.save()
    log(
        opinion,
        user=user,
        kind=EventKind.ANSWER_URGE,
        now=now,
        note=f"回复{urge.get_kind_display()}：{urge.answer}",
    )
    return urge


@transaction.atomic
def extension_request(
    *,
    user,
    opinion: Opinion | int,
    requested_due_date: datetime.date,
    reason: str,
    now: datetime.datetime | None = None,
) -> Extension:
    now, _ = today_of(now)
    opinion = lock(opinion)
    require_visible(user, opinion)
    move(opinion, Action.REQUEST_EXTENSION)
    if opinion.extensions.filter(status=Extension.Status.PENDING).exists():
        raise ValidationError(EXTENSION_PENDING)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = REASON_REQUIRED
    if requested_due_date <= opinion.due_date:
        errors["requested_due_date"] = EXTENSION_NOT_LATER.format(date=f"{opinion.due_date:%Y-%m-%d}")
    if errors:
        raise ValidationError(errors)
    extension = Extension(
        opinion=opinion,
        reason=reason.strip(),
        previous_due_date=opinion.due_date,
        requested_due_date=requested_due_date,
        requested_by=user,
        requested_at=now,
    )
    extension.full_clean()
    try:
        with transaction.atomic():
            extension.save()
    except IntegrityError as exc:  # a second request racing the first: the partial unique index decides
        raise ValidationError(EXTENSION_PENDING) from exc
    log(
        opinion,
        user=user,
        kind=EventKind.REQUEST_EXTENSION,
        now=now,
        note=f"申请延至 {requested_due_date:%Y-%m-%d}（延长 {extension.extra_days} 天）：{extension.reason}",
    )
    return extension


@transaction.atomic
def extension_decide(
    *, user, extension: Extension, approve: bool, note: str = "", now: datetime.datetime | None = None
) -> Extension:
    """The organisation above approves (the due date moves, the original stays) or refuses."""
    now, _ = today_of(now)
    opinion = lock(extension.opinion_id)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if not scope.is_above(user, opinion.handling_organisation):
        raise ValidationError(NOT_ABOVE)
    if extension.status != Extension.Status.PENDING:
        raise ValidationError(ALREADY_DECIDED.format(status=extension.get_status_display()))
    move(opinion, Action.DECIDE_EXTENSION)
    if not approve and not (note or "").strip():
        raise ValidationError({"decision_note": REFUSAL_NEEDS_NOTE})
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.decided_by = user
    extension.decided_at = now
    extension.decision_note = (note or "").strip()
    extension.full_clean()
    extension.save()
    old_due = opinion.due_date
    if approve:
        opinion.due_date = extension.requested_due_date
        opinion.due_soon_from = rules.due_soon_from(opinion.deadline_from, opinion.due_date)
        save(opinion)
        log(
            opinion,
            user=user,
            kind=EventKind.APPROVE_EXTENSION,
            now=now,
            due=(old_due, opinion.due_date),
            note=extension.decision_note,
        )
    else:
        log(opinion, user=user, kind=EventKind.REFUSE_EXTENSION, now=now, note=extension.decision_note)
    return extension


CASE_FIELDS = ["leader_name", "leader_title", "team", "plan", "started_on"]


@transaction.atomic
def case_save(
    *,
    user,
    opinion: Opinion | int,
    leader_name: str,
    team: str,
    plan: str,
    started_on: datetime.date,
    leader_title: str = "",
    now: datetime.datetime | None = None,
) -> CaseOwnership:
    """Mark the opinion as a 包案 case (五个一): one problem, one leader, one team, one plan, to the end."""
    now, today = today_of(now)
    opinion = lock(opinion)
    require_owner(user, opinion)
    move(opinion, Action.CASE)
    require_not_future(started_on, today, "started_on")
    case = CaseOwnership.objects.filter(opinion=opinion).first() or CaseOwnership(
        opinion=opinion, created_by=user
    )
    before = snapshot(case, CASE_FIELDS) if case.pk else dict.fromkeys(CASE_FIELDS, "")
    case.leader_name = leader_name.strip()
    case.leader_title = leader_title.strip()
    case.team = team.strip()
    case.plan = plan.strip()
    case.started_on = started_on
    case.full_clean()
    case.save()
    changes = diff(before, case, CASE_FIELDS)
    if changes:
        log(
            opinion,
            user=user,
            kind=EventKind.CASE,
            now=now,
            changes=changes,
            note=f"包案领导：{case.leader_name}{(' ' + case.leader_title) if case.leader_title else ''}",
        )
    return case


__all__ = [
    "assignment_issue",
    "assignment_receive",
    "case_save",
    "extension_decide",
    "extension_request",
    "urge_answer",
    "urge_create",
]
