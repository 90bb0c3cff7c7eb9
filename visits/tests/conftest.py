"""Fixtures for visits/: a village secretary who visits, a household of three with one working away."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from liaison.models import Resident
from members.models import Position
from tests.factories import PartyMemberFactory, ResidentFactory
from visits.services import visit_record

MARCH_3 = datetime.date(2026, 3, 3)


@pytest.fixture
def secretary_member(tree):
    """陈国华, 桂花村党委书记 since 2021: the visitor."""
    member = PartyMemberFactory(organisation=tree["village_a"], name="陈国华")
    Position.objects.create(
        member=member,
        organisation=tree["village_a"],
        role=Position.Role.SECRETARY,
        start_date=datetime.date(2021, 1, 1),
    )
    return member


@pytest.fixture
def family(household_a):
    household_a.housing_area = Decimal("120")
    household_a.annual_income = Decimal("48000")
    household_a.skills = "柑橘种植"
    household_a.party_member_info = "户主为党员"
    household_a.phone = "13800001234"
    household_a.save()
    Resident.objects.filter(household=household_a).update(birth_year=1962, occupation="务农")
    ResidentFactory(
        household=household_a,
        name="李秀英",
        relation=Resident.Relation.SPOUSE,
        gender="F",
        birth_year=1964,
        occupation="务农",
    )
    ResidentFactory(
        household=household_a,
        name="王小军",
        relation=Resident.Relation.CHILD,
        birth_year=1990,
        occupation="电子厂工人",
        phone="13700002222",
        is_away=True,
        away_location="广东省东莞市",
        away_return="春节返家",
    )
    return household_a


@pytest.fixture
def visit_a(clerk_a, family, secretary_member):
    return visit_record(
        user=clerk_a,
        household=family,
        visitor=secretary_member,
        visited_on=MARCH_3,
        situation="了解春耕备耕情况，户主反映柑橘销路不畅。",
        problem="希望村里联系收购商。",
        handling="on_site",
        handling_text="当场联系了镇农服中心。",
        resident_opinion="满意",
        signed_by="王喆",
        signed_on=MARCH_3,
    )
