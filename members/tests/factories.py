"""Factories and small builders for the members tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from liaison.models import HouseholdTag, Organisation
from members.models import Pairing, PairingMember, UnitPairing, UnitPairingRecord
from tests.factories import OrganisationFactory, PartyMemberFactory

L = Organisation.Level
# GB 11643 check digits, to make valid ID numbers for any birth date.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CODES = "10X98765432"


def id_number(birth: datetime.date, sequence: int = 123) -> str:
    body = f"500113{birth:%Y%m%d}{sequence:03d}"
    return body + _CODES[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


class MemberFactory(PartyMemberFactory):
    """A member with the fields the members pages show."""

    birth_date = datetime.date(1975, 5, 4)
    join_date = datetime.date(2000, 7, 1)
    phone = factory.Sequence(lambda n: f"139{n:08d}")


def branch(parent: Organisation, name: str, code: str) -> Organisation:
    return OrganisationFactory(
        name=name, short_name=name.removeprefix(parent.name), code=code, level=L.BRANCH, parent=parent
    )


def poor(household):
    household.tags.add(HouseholdTag.objects.get(name="贫困户"))
    return household


def pairing(
    household,
    *members,
    start=datetime.date(2025, 3, 1),
    planned_end=None,
    status="active",
    ended_on=None,
    help_content="柑橘种植技术",
) -> Pairing:
    created = Pairing.objects.create(
        household=household,
        start_date=start,
        planned_end=planned_end,
        status=status,
        ended_on=ended_on,
        help_content=help_content,
    )
    PairingMember.objects.bulk_create([PairingMember(pairing=created, member=m) for m in members])
    return created


def unit_pairing(
    kind,
    helper,
    *,
    target_organisation=None,
    target_household=None,
    target_member=None,
    area=None,
    start=datetime.date(2024, 1, 1),
    status="active",
    ended_on=None,
    members=(),
) -> UnitPairing:
    area = area or target_organisation or (target_household.organisation if target_household else None)
    created = UnitPairing.objects.create(
        kind=kind,
        helper_organisation=helper,
        target_organisation=target_organisation,
        target_household=target_household,
        target_member=target_member,
        area=area,
        start_date=start,
        status=status,
        ended_on=ended_on,
    )
    created.members.set(members)
    return created


def record(
    pairing: UnitPairing, day: datetime.date, money: str = "0", content: str = "实事"
) -> UnitPairingRecord:
    return UnitPairingRecord.objects.create(pairing=pairing, date=day, content=content, money=Decimal(money))
