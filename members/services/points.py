"""联系点 (003): a leader's 1–3 points and the contacts with each."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from liaison.access.scoping import LEADER_OUT_OF_SCOPE, in_scope
from liaison.models import Organisation
from members import rules
from members.models import LiaisonContact, LiaisonPoint, PartyMember
from members.services.common import Errors, check_not_future, full_clean, out_of_scope

L = Organisation.Level
POINT_LEVELS = {L.VILLAGE, L.COMMUNITY, L.UNIT, L.BRANCH}

POINT_LEVEL = "联系点应为村（社区）、单位或研究所的党组织。"
TOO_MANY_POINTS = "该领导干部已有 {n} 个联系点（003：每人联系 1—3 个），请先撤销一个再新增。"
ENDED_BEFORE_START = "撤销时间不能早于确定时间。"
DUPLICATE_POINT = "该领导干部已把这个党组织作为联系点。"
CONTACT_BEFORE_START = "联系日期不能早于确定联系点的时间（{start}）。"
CONTACT_AFTER_END = "联系日期不能晚于撤销联系点的时间（{end}）。"
POINT_OUT_OF_SCOPE = (
    "所选村（社区）不在您的管辖范围内：村（社区）联系点由同时管辖领导干部和该村（社区）的党组织录入。"
)


@transaction.atomic
def liaison_point_save(
    *,
    user,
    point: LiaisonPoint | None,
    leader: PartyMember,
    organisation: Organisation,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    focus: str = "",
) -> LiaisonPoint:
    errors = Errors()
    point = point or LiaisonPoint()
    if out_of_scope(user, [leader]) and leader.pk != point.leader_id:
        errors.add("leader", LEADER_OUT_OF_SCOPE)
    grassroots = organisation.level in (L.VILLAGE, L.COMMUNITY)
    if grassroots and not in_scope(user, organisation) and organisation.pk != point.organisation_id:
        # README “跨范围的记录”: the side that holds both the leader and the point records it.
        errors.add("organisation", POINT_OUT_OF_SCOPE)
    if organisation.level not in POINT_LEVELS:
        errors.add("organisation", POINT_LEVEL)
    today = timezone.localdate()
    check_not_future(errors, "started_on", started_on, today)
    check_not_future(errors, "ended_on", ended_on, today)
    if ended_on and ended_on < started_on:
        errors.add("ended_on", ENDED_BEFORE_START)
    if ended_on is None:
        # Lock the leader so two clerks adding a fourth point at once cannot both pass the count.
        PartyMember.objects.select_for_update().filter(pk=leader.pk).first()
        active = LiaisonPoint.objects.filter(leader=leader, ended_on__isnull=True).exclude(pk=point.pk)
        if active.filter(organisation=organisation).exists():
            errors.add("organisation", DUPLICATE_POINT)
        elif rules.liaison_points_full(active.count()):
            errors.add("leader", TOO_MANY_POINTS.format(n=active.count()))
    errors.raise_if_any()
    point.leader, point.organisation = leader, organisation
    point.started_on, point.ended_on, point.focus = started_on, ended_on, focus.strip()
    full_clean(point)
    point.save()
    return point


@transaction.atomic
def liaison_contact_add(
    *, user, point: LiaisonPoint, date: datetime.date, method: str, content: str
) -> LiaisonContact:
    errors = Errors()
    check_not_future(errors, "date", date, timezone.localdate())
    if date < point.started_on:
        errors.add("date", CONTACT_BEFORE_START.format(start=point.started_on.isoformat()))
    if point.ended_on and date > point.ended_on:
        errors.add("date", CONTACT_AFTER_END.format(end=point.ended_on.isoformat()))
    errors.raise_if_any()
    contact = LiaisonContact(point=point, date=date, method=method, content=content.strip(), created_by=user)
    full_clean(contact)
    contact.save()
    return contact
