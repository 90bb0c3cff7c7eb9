"""结对帮扶: create and edit a pairing of one or more members with one household."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from liaison.access.scoping import HOUSEHOLD_OUT_OF_SCOPE, MEMBERS_OUT_OF_SCOPE
from liaison.audit import bulk as audit
from liaison.models import Household
from liaison.quotas import quota
from members import rules
from members.models import Pairing, PairingMember, PartyMember
from members.services.common import Errors, check_period, full_clean, out_of_scope

NEED_MEMBER = "请至少选择一名帮扶党员。"
ALREADY_PAIRED = "{names}已与该户结对（帮扶中），请勿重复结对。"
SHORT_PLAN_WARNING = "结对计划不足 {years} 年：002《结对帮扶制度》要求结对帮扶的时间原则上不少于 {years} 年。"


@dataclass
class PairingResult:
    pairing: Pairing
    warnings: list[str] = field(default_factory=list)


def short_plan_warning(start_date: datetime.date, planned_end: datetime.date | None) -> str | None:
    years = quota("pairing-duration")
    if rules.plan_is_short(start_date, planned_end, years):
        return SHORT_PLAN_WARNING.format(years=f"{years:f}".rstrip("0").rstrip("."))
    return None


@transaction.atomic
def pairing_save(
    *,
    user,
    pairing: Pairing | None,
    household: Household,
    members: list[PartyMember],
    start_date: datetime.date,
    planned_end: datetime.date | None,
    help_content: str,
    status: str = Pairing.Status.ACTIVE,
    ended_on: datetime.date | None = None,
    end_reason: str = "",
    notes: str = "",
) -> PairingResult:
    """Create (pairing=None) or update a pairing. Members already on the pairing stay valid even when
    they belong to another subtree (a township leader paired with a village household); a member added
    now must be in the user's scope."""
    errors = Errors()
    pairing = pairing or Pairing(created_by=user)
    if out_of_scope(user, [household]) and household.pk != pairing.household_id:
        errors.add("household", HOUSEHOLD_OUT_OF_SCOPE)
    if not members:
        errors.add("members", NEED_MEMBER)
    current = set(pairing.memberships.values_list("member_id", flat=True)) if pairing.pk else set()
    foreign = [m for m in out_of_scope(user, members) if m.pk not in current]
    if foreign:
        errors.add("members", MEMBERS_OUT_OF_SCOPE.format(names="、".join(m.name for m in foreign)))
    check_period(
        errors,
        start_date=start_date,
        planned_end=planned_end,
        status=status,
        ended_on=ended_on,
        start_label="结对时间",
    )
    if status == Pairing.Status.ACTIVE and members:
        clash = PairingMember.objects.filter(
            member__in=members, pairing__household=household, pairing__status=Pairing.Status.ACTIVE
        ).select_related("member")
        if pairing.pk:
            clash = clash.exclude(pairing=pairing)
        names = sorted({c.member.name for c in clash})
        if names:
            errors.add("members", ALREADY_PAIRED.format(names="、".join(names)))
    errors.raise_if_any()

    pairing.household = household
    pairing.start_date = start_date
    pairing.planned_end = planned_end
    pairing.help_content = help_content.strip()
    pairing.status = status
    pairing.ended_on = ended_on
    pairing.end_reason = end_reason.strip()
    pairing.notes = notes.strip()
    full_clean(pairing)
    pairing.save()
    wanted = {m.pk for m in members}
    pairing.memberships.exclude(member_id__in=wanted).delete()
    added = PairingMember.objects.bulk_create(
        [PairingMember(pairing=pairing, member_id=pk) for pk in sorted(wanted - current)]
    )
    audit.log_created(added)
    warning = short_plan_warning(start_date, planned_end)
    return PairingResult(pairing=pairing, warnings=[warning] if warning else [])
