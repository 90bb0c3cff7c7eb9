"""联系帮扶 (004 联系帮扶制度 三): the four kinds of unit pairing and their yearly records."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from liaison.access.scoping import HOUSEHOLD_OUT_OF_SCOPE, MEMBERS_OUT_OF_SCOPE, in_scope
from liaison.models import Household, Organisation
from members.models import PartyMember, UnitPairing, UnitPairingRecord
from members.services.common import (
    Errors,
    check_not_future,
    check_period,
    full_clean,
    grassroots_of,
    out_of_scope,
)

L = Organisation.Level
K = UnitPairing.Kind

HELPER_LEVEL = "帮扶方应为机关、企事业单位、“两新”组织或群团组织的党组织（或其所属支部）。"
LINE_TARGET = "支部“联线”的对象是村或社区党组织。"
MARRIAGE_TARGET = "工农“联姻”的对象是村党组织或村里的党员：请选其一。"
HAND_TARGET = "社团“牵手”的对象是社区党组织或社区里的党员：请选其一。"
NEED_HOUSEHOLD = "党员“结对”须选择一户贫困群众。"
NOT_POOR = "党员“结对”的对象是贫困群众（004 三（二））：该户没有计入贫困群众的标签（如贫困户、低保户）。"
NEED_MEMBERS = "党员“结对”须选择至少一名结对党员。"
MEMBER_NOT_IN_GRASSROOTS = "受帮扶党员应为村（社区）的党员。"
NEITHER_SIDE_IN_SCOPE = "帮扶方和受帮扶方都不在您的管辖范围内，不能录入。"
RECORD_BEFORE_START = "记录日期不能早于帮扶开始时间（{start}）。"
RECORD_AFTER_END = "记录日期不能晚于帮扶结束时间（{end}）。"
MONEY_NEGATIVE = "帮扶资金不能为负数。"

HELPER_PARENT_LEVELS = {L.UNIT, L.TOWNSHIP, L.DISTRICT}
# 004 三（三）“与村党组织或党员‘联姻’”; 三（四）“与社区党组织或党员开展‘手牵手’”.
TARGET_LEVELS = {
    K.LIAISON_LINE: {L.VILLAGE, L.COMMUNITY},
    K.WORKER_FARMER: {L.VILLAGE},
    K.HAND_IN_HAND: {L.COMMUNITY},
}
# 004 三（三）: 机关、企事业单位、“两新”组织党组织与村党组织或党员“联姻”— the seed's 工农联姻 is the “两新”
# organisations' (DESIGN.md "Pairing": 工农联姻 ("两新" organisation ↔ village)); 三（四）社团牵手 is the
# mass organisations' (社团 ↔ community).
HELPER_KINDS = {K.WORKER_FARMER: Organisation.Kind.TWO_NEW, K.HAND_IN_HAND: Organisation.Kind.MASS}
HELPER_KIND_WRONG = {
    K.WORKER_FARMER: "工农“联姻”的帮扶方应是“两新”组织（非公有制经济组织、社会组织）的党组织，所选是“{kind}”。",
    K.HAND_IN_HAND: "社团“牵手”的帮扶方应是群团、社团组织的党组织，所选是“{kind}”。",
}
HELPER_KIND_UNKNOWN = "所选帮扶方尚未设定单位类别，请先在“党组织”管理中设定（工农联姻须为“两新”组织，社团牵手须为群团、社团组织）。"
TARGET_MESSAGES = {K.LIAISON_LINE: LINE_TARGET, K.WORKER_FARMER: MARRIAGE_TARGET, K.HAND_IN_HAND: HAND_TARGET}


def is_helper_organisation(organisation: Organisation) -> bool:
    """A 机关/企事业单位/“两新”/群团 party organisation, or a branch of one (or of a township's or the
    district's offices); never a village, a community or their branches."""
    if organisation.level == L.UNIT:
        return True
    return (
        organisation.level == L.BRANCH
        and organisation.parent is not None
        and organisation.parent.level in HELPER_PARENT_LEVELS
    )


def _check_targets(errors: Errors, user, kind, target_organisation, target_household, target_member, members):
    """Returns the village or community helped (the pairing's `area`)."""
    area = None
    if kind == K.MEMBER_PAIRING:
        if target_household is None:
            errors.add("target_household", NEED_HOUSEHOLD)
        else:
            if out_of_scope(user, [target_household]):
                errors.add("target_household", HOUSEHOLD_OUT_OF_SCOPE)
            if not target_household.tags.filter(is_poor=True).exists():
                errors.add("target_household", NOT_POOR)
            area = target_household.organisation
        if not members:
            errors.add("members", NEED_MEMBERS)
        return area
    levels = TARGET_LEVELS[kind]
    member_allowed = kind != K.LIAISON_LINE
    chose_org, chose_member = target_organisation is not None, member_allowed and target_member is not None
    if chose_org == chose_member or (chose_org and target_organisation.level not in levels):
        errors.add("target_organisation", TARGET_MESSAGES[kind])
    elif chose_org:
        area = target_organisation
    else:
        area = grassroots_of(target_member.organisation)
        if out_of_scope(user, [target_member]):
            errors.add("target_member", MEMBERS_OUT_OF_SCOPE.format(names=target_member.name))
        if area is None or area.level not in levels:
            errors.add("target_member", TARGET_MESSAGES[kind] if area else MEMBER_NOT_IN_GRASSROOTS)
    return area


@transaction.atomic
def unit_pairing_save(
    *,
    user,
    pairing: UnitPairing | None,
    kind: str,
    helper_organisation: Organisation,
    target_organisation: Organisation | None = None,
    target_household: Household | None = None,
    target_member: PartyMember | None = None,
    members: list[PartyMember] | None = None,
    start_date: datetime.date,
    planned_end: datetime.date | None = None,
    content: str = "",
    status: str = UnitPairing.Status.ACTIVE,
    ended_on: datetime.date | None = None,
) -> UnitPairing:
    errors = Errors()
    # Only the target that fits the kind is kept: a form may post leftovers from another kind.
    members = list(members or []) if kind == K.MEMBER_PAIRING else []
    if kind == K.MEMBER_PAIRING:
        target_organisation = target_member = None
    else:
        target_household = None
        if kind == K.LIAISON_LINE:
            target_member = None
    if not is_helper_organisation(helper_organisation):
        errors.add("helper_organisation", HELPER_LEVEL)
    elif kind in HELPER_KINDS and helper_organisation.kind_of_unit != HELPER_KINDS[kind]:
        actual = helper_organisation.kind_of_unit
        errors.add(
            "helper_organisation",
            HELPER_KIND_WRONG[kind].format(kind=Organisation.Kind(actual).label)
            if actual
            else HELPER_KIND_UNKNOWN,
        )
    area = _check_targets(errors, user, kind, target_organisation, target_household, target_member, members)
    pairing = pairing or UnitPairing(created_by=user)
    current = set(pairing.members.values_list("pk", flat=True)) if pairing.pk else set()
    foreign = [m for m in out_of_scope(user, members) if m.pk not in current]
    if foreign:
        errors.add("members", MEMBERS_OUT_OF_SCOPE.format(names="、".join(m.name for m in foreign)))
    if area is not None and not (in_scope(user, area) or in_scope(user, helper_organisation)):
        errors.add("helper_organisation", NEITHER_SIDE_IN_SCOPE)
    check_period(
        errors,
        start_date=start_date,
        planned_end=planned_end,
        status=status,
        ended_on=ended_on,
        start_label="开始时间",
    )
    errors.raise_if_any()

    pairing.kind = kind
    pairing.helper_organisation = helper_organisation
    pairing.target_organisation = target_organisation
    pairing.target_household = target_household
    pairing.target_member = target_member
    pairing.area = area
    pairing.start_date = start_date
    pairing.planned_end = planned_end
    pairing.content = content.strip()
    pairing.status = status
    pairing.ended_on = ended_on
    full_clean(pairing)
    pairing.save()
    pairing.members.set(members)
    return pairing


@transaction.atomic
def unit_record_add(
    *,
    user,
    pairing: UnitPairing,
    date: datetime.date,
    content: str,
    money: Decimal | None = None,
    goods: str = "",
) -> UnitPairingRecord:
    errors = Errors()
    money = Decimal(0) if money is None else money
    if money < 0:
        errors.add("money", MONEY_NEGATIVE)
    check_not_future(errors, "date", date, timezone.localdate())
    if date < pairing.start_date:
        errors.add("date", RECORD_BEFORE_START.format(start=pairing.start_date.isoformat()))
    if pairing.ended_on and date > pairing.ended_on:
        errors.add("date", RECORD_AFTER_END.format(end=pairing.ended_on.isoformat()))
    errors.raise_if_any()
    record = UnitPairingRecord(
        pairing=pairing, date=date, content=content.strip(), money=money, goods=goods.strip(), created_by=user
    )
    full_clean(record)
    record.save()
    return record
