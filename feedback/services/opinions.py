"""Writes on the opinion itself: register, edit, start, result, feedback, close (销号), reopen, recompute.

Each is atomic, locks the row, checks the version the user saw (optimistic locking), applies the
state machine, validates with full_clean() and logs one history event. Nothing is half-saved.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from feedback import rules
from feedback.models import EventKind, Extension, Opinion
from feedback.services.common import (
    OPINION_SEQUENCE,
    compute_deadline,
    diff,
    lock,
    log,
    move,
    require_not_future,
    require_org_in_scope,
    require_owner,
    require_person_in_scope,
    require_visible,
    save,
    snapshot,
    today_of,
)
from feedback.states import Action, State
from liaison.numbering import next_number
from liaison.workcal import StatutoryCalendar

EDITABLE_FIELDS = [
    "received_on",
    "channel",
    "reporter_name",
    "reporter_address",
    "reporter_phone",
    "subject",
    "content",
    "category",
    "responsible",
    "handler",
    "handling_opinion",
    "remarks",
]
RESULT_FIELDS = ["result", "result_on", "handling_opinion", "feedback_contact", "feedback_phone"]
FEEDBACK_FIELDS = ["feedback_on", "feedback_method", "feedback_signer", "satisfaction"]

YEAR_FIXED = "反映时间不能改到其他年份：意见按受理年度编号。如确属登记错误，请另行登记。"
TIMING_LOCKED_BY_EXTENSION = "该意见已批准延期，不能再修改反映时间或类别。"
TIMING_LOCKED_BY_TRANSFER = "该意见已转报上级党组织办理，不能再修改反映时间或类别。"
RESULT_REQUIRED = "请填写办理结果。"
FEEDBACK_REQUIRED = {
    "feedback_on": "请填写反馈本人时间。",
    "feedback_signer": "请填写《反馈单》签收人。",
    "satisfaction": "请选择反映人是否满意。",
}
NO_FEEDBACK = "尚未记录反馈（反馈时间、签收人、是否满意），不能销号。"
FEEDBACK_BEFORE_RESULT = "反馈本人时间不能早于办结时间。"
RESULT_BEFORE_RECEIPT = "办结时间不能早于反映时间（{date}）。"
FEEDBACK_BEFORE_RECEIPT = "反馈本人时间不能早于反映时间（{date}）。"
REASON_REQUIRED = "请说明重新打开的理由。"


def _deadline_fields(opinion: Opinion, *, workcal: StatutoryCalendar | None = None) -> None:
    """The 1234 due date from the day the holder received it (the first receipt, or the level above's
    own receipt after 转报上级), by rules.due_date: the one place the periods are counted."""
    start = opinion.deadline_from
    deadline = compute_deadline(start, opinion.category, workcal=workcal)
    opinion.deadline_mode = deadline.mode
    opinion.original_due_date = deadline.due
    opinion.due_date_provisional = deadline.provisional
    extended = bool(opinion.pk) and opinion.extensions.filter(status=Extension.Status.APPROVED).exists()
    if not extended:
        opinion.due_date = deadline.due
    opinion.due_soon_from = rules.due_soon_from(start, opinion.due_date)


@transaction.atomic
def opinion_register(
    *,
    user,
    organisation,
    received_on: datetime.date,
    channel: str,
    reporter_name: str,
    subject: str,
    content: str,
    category: int,
    responsible,
    reporter_address: str = "",
    reporter_phone: str = "",
    handler=None,
    handling_opinion: str = "",
    remarks: str = "",
    now: datetime.datetime | None = None,
) -> Opinion:
    now, today = today_of(now)
    require_org_in_scope(user, organisation, "organisation")
    require_person_in_scope(user, responsible, "responsible")
    require_person_in_scope(user, handler, "handler")
    require_not_future(received_on, today, "received_on")
    opinion = Opinion(
        organisation=organisation,
        received_on=received_on,
        year=received_on.year,
        channel=channel,
        reporter_name=reporter_name.strip(),
        reporter_address=reporter_address.strip(),
        reporter_phone=reporter_phone,
        subject=subject.strip(),
        content=content.strip(),
        category=int(category),
        responsible=responsible,
        handler=handler,
        handling_opinion=handling_opinion.strip(),
        remarks=remarks.strip(),
        state=State.REGISTERED,
        created_by=user if user.is_authenticated else None,
        version=0,
    )
    _deadline_fields(opinion)
    # The number is taken last, under the sequence's row lock, in this transaction: a failed save
    # rolls it back with everything else, so numbers stay gapless.
    opinion.number = next_number(organisation=organisation, year=opinion.year, kind=OPINION_SEQUENCE)
    save(opinion)
    note = f"类别：{opinion.get_category_display()}；办理时限 {opinion.due_date:%Y-%m-%d}"
    if opinion.due_date_provisional:
        note += "（暂定：所需年份的节假日安排尚未录入）"
    log(
        opinion,
        user=user,
        kind=EventKind.CREATE,
        now=now,
        states=("", State.REGISTERED),
        due=(None, opinion.due_date),
        note=note,
    )
    return opinion


@transaction.atomic
def opinion_update(
    *, user, opinion: Opinion | int, version: int, now: datetime.datetime | None = None, **changes
) -> Opinion:
    now, today = today_of(now)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    opinion = lock(opinion, version)
    require_owner(user, opinion)
    move(opinion, Action.EDIT)
    before = snapshot(opinion, EDITABLE_FIELDS)
    old_received, old_category, old_due = opinion.received_on, opinion.category, opinion.due_date
    for name in ("responsible", "handler"):
        if changes.get(name) is not None and changes[name].pk != getattr(opinion, f"{name}_id"):
            require_person_in_scope(user, changes[name], name)
    for name, value in changes.items():
        setattr(
            opinion, name, value.strip() if isinstance(value, str) and name != "reporter_phone" else value
        )
    opinion.category = int(opinion.category)
    require_not_future(opinion.received_on, today, "received_on")
    if opinion.received_on.year != opinion.year:
        raise ValidationError({"received_on": YEAR_FIXED})
    if (opinion.received_on, opinion.category) != (old_received, old_category):
        if opinion.is_transferred:
            field = "category" if opinion.received_on == old_received else "received_on"
            raise ValidationError({field: TIMING_LOCKED_BY_TRANSFER})
        if opinion.extensions.filter(status=Extension.Status.APPROVED).exists():
            field = "category" if opinion.received_on == old_received else "received_on"
            raise ValidationError({field: TIMING_LOCKED_BY_EXTENSION})
        _deadline_fields(opinion)
    changes_made = diff(before, opinion, EDITABLE_FIELDS)
    if not changes_made:
        return opinion
    save(opinion)
    log(
        opinion,
        user=user,
        kind=EventKind.EDIT,
        now=now,
        due=(old_due, opinion.due_date),
        changes=changes_made,
    )
    return opinion


@transaction.atomic
def opinion_start(
    *, user, opinion: Opinion | int, version: int, now: datetime.datetime | None = None
) -> Opinion:
    now, _ = today_of(now)
    opinion = lock(opinion, version)
    require_visible(user, opinion)
    states = move(opinion, Action.START)
    if opinion.handler_id is None and user.is_authenticated:
        opinion.handler = user
    save(opinion)
    log(opinion, user=user, kind=EventKind.START, now=now, states=states)
    return opinion


@transaction.atomic
def opinion_record_result(
    *,
    user,
    opinion: Opinion | int,
    version: int,
    result: str,
    result_on: datetime.date,
    handling_opinion: str | None = None,
    feedback_contact: str = "",
    feedback_phone: str = "",
    now: datetime.datetime | None = None,
) -> Opinion:
    now, today = today_of(now)
    opinion = lock(opinion, version)
    require_visible(user, opinion)
    states = move(opinion, Action.RESULT)
    if not (result or "").strip():
        raise ValidationError({"result": RESULT_REQUIRED})
    require_not_future(result_on, today, "result_on")
    if result_on < opinion.received_on:
        raise ValidationError(
            {"result_on": RESULT_BEFORE_RECEIPT.format(date=f"{opinion.received_on:%Y-%m-%d}")}
        )
    before = snapshot(opinion, RESULT_FIELDS)
    opinion.result = result.strip()
    opinion.result_on = result_on
    if handling_opinion is not None:
        opinion.handling_opinion = handling_opinion.strip()
    opinion.feedback_contact = feedback_contact.strip()
    opinion.feedback_phone = feedback_phone
    if opinion.feedback_on and opinion.feedback_on < result_on:
        raise ValidationError({"result_on": "办结时间不能晚于已登记的反馈本人时间。"})
    save(opinion)
    log(
        opinion,
        user=user,
        kind=EventKind.RESULT,
        now=now,
        states=states,
        changes=diff(before, opinion, RESULT_FIELDS),
    )
    return opinion


@transaction.atomic
def opinion_record_feedback(
    *,
    user,
    opinion: Opinion | int,
    version: int,
    feedback_on: datetime.date | None,
    feedback_signer: str,
    satisfaction: str,
    feedback_method: str = "",
    close: bool = False,
    now: datetime.datetime | None = None,
) -> Opinion:
    """反馈本人: the slip was handed over and signed; `close=True` also closes it (销号) in one go."""
    now, today = today_of(now)
    opinion = lock(opinion, version)
    require_owner(user, opinion)
    states = move(opinion, Action.FEEDBACK)
    values = {
        "feedback_on": feedback_on,
        "feedback_signer": (feedback_signer or "").strip(),
        "satisfaction": satisfaction,
    }
    missing = {name: message for name, message in FEEDBACK_REQUIRED.items() if not values[name]}
    if missing:
        raise ValidationError(missing)
    require_not_future(feedback_on, today, "feedback_on")
    if feedback_on < opinion.received_on:
        raise ValidationError(
            {"feedback_on": FEEDBACK_BEFORE_RECEIPT.format(date=f"{opinion.received_on:%Y-%m-%d}")}
        )
    if opinion.result_on and feedback_on < opinion.result_on:
        raise ValidationError({"feedback_on": FEEDBACK_BEFORE_RESULT})
    before = snapshot(opinion, FEEDBACK_FIELDS)
    opinion.feedback_on = feedback_on
    opinion.feedback_signer = values["feedback_signer"]
    opinion.satisfaction = satisfaction
    opinion.feedback_method = feedback_method
    on_time = rules.on_time(opinion.due_date, feedback_on)
    save(opinion)
    log(
        opinion,
        user=user,
        kind=EventKind.FEEDBACK,
        now=now,
        states=states,
        changes=diff(before, opinion, FEEDBACK_FIELDS),
        note="按时反馈" if on_time else f"超过办理时限 {(feedback_on - opinion.due_date).days} 天反馈",
    )
    if close:
        _close(user=user, opinion=opinion, now=now)
    return opinion


def _close(*, user, opinion: Opinion, now: datetime.datetime) -> None:
    if not opinion.has_feedback or not opinion.result:
        raise ValidationError(NO_FEEDBACK, code="no_feedback")
    states = move(opinion, Action.CLOSE)
    opinion.closed_at = now
    opinion.closed_by = user if user.is_authenticated else None
    save(opinion)
    log(opinion, user=user, kind=EventKind.CLOSE, now=now, states=states)


@transaction.atomic
def opinion_close(
    *, user, opinion: Opinion | int, version: int, now: datetime.datetime | None = None
) -> Opinion:
    now, _ = today_of(now)
    opinion = lock(opinion, version)
    require_owner(user, opinion)
    if opinion.state == State.ANSWERED and not opinion.has_feedback:
        raise ValidationError(NO_FEEDBACK, code="no_feedback")
    _close(user=user, opinion=opinion, now=now)
    return opinion


@transaction.atomic
def opinion_reopen(
    *, user, opinion: Opinion | int, version: int, reason: str, now: datetime.datetime | None = None
) -> Opinion:
    """A correction of a closed opinion is a logged reopening with its reason, never a silent edit."""
    now, _ = today_of(now)
    opinion = lock(opinion, version)
    require_owner(user, opinion)
    states = move(opinion, Action.REOPEN)
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    opinion.closed_at = None
    opinion.closed_by = None
    save(opinion)
    log(opinion, user=user, kind=EventKind.REOPEN, now=now, states=states, note=reason.strip())
    return opinion


def opinion_recompute_due_dates(*, years: list[int], now: datetime.datetime | None = None) -> int:
    """After the work calendar changed: recount the due dates still running that depend on those years
    (and every provisional one). Approved extensions keep their date; the history records each change."""
    now, _ = today_of(now)
    workcal = StatutoryCalendar()
    changed = 0
    candidates = Opinion.objects.pending().filter(
        due_date_provisional=True
    ) | Opinion.objects.pending().filter(original_due_date__year__in=years)
    for pk in candidates.values_list("pk", flat=True).distinct():
        with transaction.atomic():
            opinion = lock(pk)
            old_due, old_original, was_provisional = (
                opinion.due_date,
                opinion.original_due_date,
                opinion.due_date_provisional,
            )
            _deadline_fields(opinion, workcal=workcal)
            if (opinion.original_due_date, opinion.due_date_provisional) == (old_original, was_provisional):
                continue
            save(opinion)
            note = f"原定办理时限 {old_original:%Y-%m-%d} → {opinion.original_due_date:%Y-%m-%d}"
            if was_provisional and not opinion.due_date_provisional:
                note += "（节假日安排已录入，不再暂定）"
            log(
                opinion,
                user=None,
                kind=EventKind.RECOMPUTE,
                now=now,
                due=(old_due, opinion.due_date),
                note=note,
            )
            changed += 1
    return changed
