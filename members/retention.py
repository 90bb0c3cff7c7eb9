"""What stands in the way of archiving a household, from the members app's side (liaison/retention.py)."""

from __future__ import annotations

from liaison.models import Household
from members.models import Pairing, UnitPairing

ACTIVE_PAIRING = "该户还有进行中的结对帮扶（{names}），请先结束结对再归档。"
ACTIVE_UNIT_PAIRING = "该户还有进行中的党员结对（{names}），请先结束再归档。"


def active_pairings(household: Household) -> list[str]:
    """An archived household is out of the coverage counts: its pairings must end first, or coverage
    would count help given to no one."""
    messages = []
    pairings = Pairing.objects.filter(household=household, status=Pairing.Status.ACTIVE)
    if pairings.exists():
        names = "、".join(
            sorted(
                {
                    m.member.name
                    for p in pairings.prefetch_related("memberships__member")
                    for m in p.memberships.all()
                }
            )
        )
        messages.append(ACTIVE_PAIRING.format(names=names or "无成员"))
    units = UnitPairing.objects.filter(target_household=household, status=UnitPairing.Status.ACTIVE)
    if units.exists():
        messages.append(ACTIVE_UNIT_PAIRING.format(names="、".join(str(u) for u in units)))
    return messages
