"""`__part` finds exactly what `__contains` finds (issue #10): a name or address search of one or two
characters, which pg_trgm cannot index, is answered on PostgreSQL from a GIN index on the column's
one- and two-character pieces (liaison.text.short_search); everywhere else it is the LIKE itself."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from liaison.models import Household, Resident
from liaison.text.short_search import INDEXED
from members.models import PartyMember
from members.tests.factories import MemberFactory
from tests.factories import ResidentFactory, household_with_head

pytestmark = pytest.mark.django_db
NAMES = ("张国华", "国华", "李华", "华", "欧阳国华", "王建国", "𠮷野家", "张 华", "Zhang 华")
QUERIES = ("国华", "华", "国", "张国华", "欧阳", "𠮷", "𠮷野", " 华", "g华", "Z", "张三", "国华张")


@pytest.fixture
def residents(tree):
    household = household_with_head(organisation=tree["village_a"], head_name="户主", address="三组国华路7号")
    for name in NAMES:
        ResidentFactory(household=household, name=name, relation=Resident.Relation.OTHER)
    return household


@pytest.mark.parametrize("query", QUERIES)
def test_part_finds_what_contains_finds(residents, query):
    assert set(Resident.objects.filter(name__part=query).values_list("name", flat=True)) == set(
        Resident.objects.filter(name__contains=query).values_list("name", flat=True)
    )
    assert Household.objects.filter(address__part=query).exists() == (query in residents.address)


def test_members_too(tree):
    for name in ("周国华", "周华", "国强"):
        MemberFactory(organisation=tree["village_a"], name=name)
    assert sorted(PartyMember.objects.filter(name__part="国华").values_list("name", flat=True)) == ["周国华"]
    assert sorted(PartyMember.objects.filter(name__part="华").values_list("name", flat=True)) == [
        "周华",
        "周国华",
    ]


def test_an_edit_is_found_at_once(residents):
    """The index is an expression index: nothing to keep in step, a renamed resident is found by the new name."""
    resident = Resident.objects.get(name="李华")
    resident.name = "李明"
    resident.save()
    assert not Resident.objects.filter(name__part="李华").exists()
    assert Resident.objects.filter(name__part="李明").get() == resident


def sql_of(queryset) -> str:
    return str(queryset.query)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pieces index is PostgreSQL's")
def test_postgresql_looks_short_queries_up_in_the_index():
    assert "liaison_short_pieces" in sql_of(Resident.objects.filter(name__part="国华"))
    assert "liaison_short_pieces" in sql_of(PartyMember.objects.filter(name__part="华"))
    assert "liaison_short_pieces" not in sql_of(Resident.objects.filter(name__part="张国华"))  # pg_trgm's
    assert "liaison_short_pieces" not in sql_of(Resident.objects.filter(phone__part="13"))  # not indexed
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(INDEXED.values())])
        assert {row[0] for row in cursor.fetchall()} == set(INDEXED.values())


def test_the_household_search_finds_a_two_character_given_name(client_for, clerk_a, residents):
    response = client_for(clerk_a).get(reverse("household-list"), {"q": "国华"})
    assert list(response.context["page"].object_list) == [residents]
    response = client_for(clerk_a).get(reverse("household-list"), {"q": "国华路"})  # the address
    assert list(response.context["page"].object_list) == [residents]
