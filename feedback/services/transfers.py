"""转报上级: a category-2 opinion sent up to the level above, and the level above signing for it.

004 “1234”制度 三、反馈的时限: 属上一级党组织工作职责范围解决的问题，上一级党组织应在收到反映问题之日起
20天内办结. So the period of the organisation above runs from its own day of receipt (签收), counted by
rules.due_date like every other; the one below keeps the due date it had, on the Transfer and in the
history, and from then on only reads the opinion (scope.transferred_away).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from feedback import rules
from feedback.models import EventKind, Opinion, Transfer
from feedback.rules import Category
from feedback.services.common import (
    compute_deadline,
    lock,
    log,
    move,
    require_not_future,
    require_owner,
    require_person_in_scope,
    save,
    today_of,
)
from feedback.states import Action
from liaison.access.scoping import in_scope

ONLY_CATEGORY_2 = "只有二类意见（属上一级党组织工作职责范围）才能转报上级；该意见是“{category}”。"
NO_LEVEL_ABOVE = "{organisation}没有上一级党组织，不能转报。"
TRANSFER_NOTE_REQUIRED = "请写明转报理由（为什么属上一级党组织工作职责范围）。"
TRANSFER_BEFORE_RECEIPT = "转报时间不能早于本级收到该意见的时间（{date}）。"
NOT_RECEIVER = "只有{organisation}（或其上级）才能签收这次转报。"
ACCEPT_BEFORE_TRANSFER = "签收时间不能早于转报时间（{date}）。"
RESPONSIBLE_REQUIRED = "请指定上级党组织的责任人。"
RESPONSIBLE_NOT_IN_HOLDER = "责任人应是{organisation}的人员：上一级党组织对转报的问题负责。"
HANDLER_NOT_IN_HOLDER = "经办人应是{organisation}或其下级党组织的人员。"


@transaction.atomic
def opinion_transfer(
    *,
    user,
    opinion: Opinion | int,
    version: int,
    note: str,
    transferred_on: datetime.date,
    now: datetime.datetime | None = None,
) -> Transfer:
    """The holder sends a category-2 opinion to its parent organisation, which must then sign for it."""
    now, today = today_of(now)
    opinion = lock(opinion, version)
    require_owner(user, opinion)
    states = move(opinion, Action.TRANSFER)
    if opinion.category != Category.UPPER:
        raise ValidationError(ONLY_CATEGORY_2.format(category=opinion.get_category_display()))
    sender = opinion.handling_organisation
    above = sender.parent
    if above is None:
        raise ValidationError(NO_LEVEL_ABOVE.format(organisation=sender.name))
    if not (note or "").strip():
        raise ValidationError({"note": TRANSFER_NOTE_REQUIRED})
    require_not_future(transferred_on, today, "transferred_on")
    if transferred_on < opinion.deadline_from:
        raise ValidationError(
            {"transferred_on": TRANSFER_BEFORE_RECEIPT.format(date=f"{opinion.deadline_from:%Y-%m-%d}")}
        )
    transfer = Transfer(
        opinion=opinion,
        from_organisation=sender,
        to_organisation=above,
        note=note.strip(),
        transferred_on=transferred_on,
        transferred_by=user if user.is_authenticated else None,
        previous_due_date=opinion.due_date,
    )
    transfer.full_clean()
    transfer.save()
    opinion.holder = above
    save(opinion)
    log(
        opinion,
        user=user,
        kind=EventKind.TRANSFER,
        now=now,
        states=states,
        note=(
            f"{sender.name}于 {transferred_on:%Y-%m-%d} 转报{above.name}"
            f"（本级收到 {opinion.deadline_from:%Y-%m-%d}，本级办理时限 {opinion.due_date:%Y-%m-%d}）：{transfer.note}"
        ),
    )
    return transfer


@transaction.atomic
def transfer_accept(
    *,
    user,
    opinion: Opinion | int,
    version: int,
    received_on: datetime.date,
    responsible,
    handler=None,
    now: datetime.datetime | None = None,
) -> Transfer:
    """The organisation above records its own day of receipt; its 20 days run from that day."""
    now, today = today_of(now)
    opinion = lock(opinion, version)
    transfer = (
        Transfer.objects.select_for_update()
        .select_related("from_organisation", "to_organisation")
        .filter(opinion=opinion, received_on__isnull=True)
        .first()
    )
    holder = transfer.to_organisation if transfer else opinion.handling_organisation
    if not in_scope(user, holder):
        raise PermissionDenied(NOT_RECEIVER.format(organisation=holder.name))
    states = move(opinion, Action.ACCEPT_TRANSFER)
    require_not_future(received_on, today, "received_on")
    if received_on < transfer.transferred_on:
        raise ValidationError(
            {"received_on": ACCEPT_BEFORE_TRANSFER.format(date=f"{transfer.transferred_on:%Y-%m-%d}")}
        )
    if responsible is None:
        raise ValidationError({"responsible": RESPONSIBLE_REQUIRED})
    require_person_in_scope(user, responsible, "responsible")
    require_person_in_scope(user, handler, "handler")
    if responsible.organisation_id != holder.pk:
        raise ValidationError({"responsible": RESPONSIBLE_NOT_IN_HOLDER.format(organisation=holder.name)})
    if handler is not None and not handler.organisation.path.startswith(holder.path):
        raise ValidationError({"handler": HANDLER_NOT_IN_HOLDER.format(organisation=holder.name)})
    # 004 “1234”制度 三: 上一级党组织应在收到反映问题之日起20天内办结 — from its own receipt, by rules.due_date.
    deadline = compute_deadline(received_on, opinion.category)
    old_due = opinion.due_date
    opinion.holder_received_on = received_on
    opinion.deadline_mode = deadline.mode
    opinion.original_due_date = deadline.due
    opinion.due_date = deadline.due
    opinion.due_date_provisional = deadline.provisional
    opinion.due_soon_from = rules.due_soon_from(received_on, deadline.due)
    opinion.responsible = responsible
    opinion.handler = handler
    save(opinion)
    transfer.received_on = received_on
    transfer.received_by = user if user.is_authenticated else None
    transfer.due_date = deadline.due
    transfer.full_clean()
    transfer.save()
    log(
        opinion,
        user=user,
        kind=EventKind.ACCEPT_TRANSFER,
        now=now,
        states=states,
        due=(old_due, opinion.due_date),
        note=(
            f"{holder.name}于 {received_on:%Y-%m-%d} 签收，自签收之日起 {rules.period_days(opinion.category)} 天，"
            f"办理时限 {opinion.due_date:%Y-%m-%d}"
            + ("（暂定）" if deadline.provisional else "")
            + f"；{transfer.from_organisation.name}原办理时限 {transfer.previous_due_date:%Y-%m-%d}"
        ),
    )
    return transfer


__all__ = ["opinion_transfer", "transfer_accept"]
