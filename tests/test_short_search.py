"""`__part` finds exactly what `__contains` finds (issue #10), from an index: a name or address search
of one or two characters, which pg_trgm cannot index, is answered on PostgreSQL from a GIN index on the
column's one- and two-character pieces; on SQLite a search of any length from an FTS5 index of its
pieces, kept by triggers (liaison.text.short_search)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from liaison.models import Household, Resident
from liaison.text.short_search import INDEXED, SQLITE, pieces_query
from liaison.text.sqlite_fts import ensure_indexes
from members.models import PartyMember
from members.tests.factories import MemberFactory
from tests.factories import ResidentFactory, household_with_head

pytestmark = pytest.mark.django_db
NAMES = (
    "张国华",
    "国华",
    "李华",
    "华",
    "欧阳国华",
    "王建国",
    "𠮷野家",
    "张 华",
    "Zhang 华",
    "张国·国华",
    "ZHANG",
)
QUERIES = (
    "国华",
    "华",
    "国",
    "张国华",
    "欧阳",
    "𠮷",
    "𠮷野",
    " 华",
    "g华",
    "Z",
    "张三",
    "国华张",
    "欧阳国华",
    "国·国",
    "·",
    "zhang",
    "an",
    "张国国华",
)


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


def names_found(query: str) -> set[str]:
    return set(Resident.objects.filter(name__part=query).values_list("name", flat=True))


def names_containing(query: str) -> set[str]:
    return set(Resident.objects.filter(name__contains=query).values_list("name", flat=True))


def test_it_follows_renames_deletes_bulk_and_raw_writes(residents):
    Resident.objects.filter(name="李华").update(name="李国强")
    Resident.objects.get(name="华").delete()
    renamed = Resident.objects.get(name="王建国")
    renamed.name = "王建华"
    renamed.save()
    Resident.objects.bulk_create([Resident(household=residents, name="赵国华", relation="other")])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE liaison_resident SET name = %s WHERE name = %s", ["钱七", "欧阳国华"])
    assert names_found("国华") == {"张国华", "国华", "赵国华", "张国·国华"}
    assert names_found("建华") == {"王建华"} and names_found("国强") == {"李国强"}
    assert not names_found("欧阳") and not names_found("建国")
    for query in (*QUERIES, "钱七", "七", "赵"):
        assert names_found(query) == names_containing(query), query


def test_a_value_as_long_as_its_column_is_found_by_its_end(residents):
    field = Household._meta.get_field("address")
    residents.address = "长" * (field.max_length - 2) + "巷尾"
    residents.save()
    assert Household.objects.filter(address__part="巷尾").get() == residents
    assert Household.objects.filter(address__part="长巷尾").get() == residents


def test_the_pieces_a_query_is_looked_up_by():
    assert pieces_query("国华") == '"国华"'
    assert pieces_query("张国华") == '"张国" AND "国华"'
    assert pieces_query("国国国") == '"国国"'
    assert pieces_query("国") == '"国"*'
    assert pieces_query(" 华") == '"华"*'  # no pair is a word: a word beginning with 华
    assert pieces_query("a·b") == '"a"* AND "b"*'
    assert pieces_query("··") is None  # nothing to look up: the LIKE alone


def sqlite_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " / ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 pieces index is SQLite's")
@pytest.mark.parametrize("query", ["国华", "张国华", "国"])
def test_on_sqlite_a_name_is_looked_up_in_its_pieces_not_in_every_row(residents, query):
    for model, column in ((Resident, "name"), (Household, "address"), (PartyMember, "name")):
        plan = sqlite_plan(model.objects.filter(**{f"{column}__part": query}).values("id"))
        index = SQLITE[(model._meta.db_table, column)].name
        assert f"{index} VIRTUAL TABLE INDEX" in plan, plan
        assert not re.search(rf"SCAN {model._meta.db_table}( |$)", plan), plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 pieces index is SQLite's")
def test_a_migration_that_dropped_the_pieces_index_is_repaired_after_migrate(residents):
    index = SQLITE[("liaison_resident", "name")]
    with connection.cursor() as cursor:
        for suffix in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER {index.name}_{suffix}")
        cursor.execute(f"DROP TABLE {index.name}")
    ResidentFactory(household=residents, name="孙国华", relation=Resident.Relation.OTHER)
    assert ensure_indexes() == [index.name]
    assert ensure_indexes() == []
    assert names_found("国华") == names_containing("国华") and "孙国华" in names_found("国华")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {index.name}({index.name}) VALUES ('integrity-check')")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 pieces index is SQLite's")
def test_on_sqlite_an_edited_or_deleted_name_leaves_the_index(residents):
    """The LIKE would hide stale pieces from the results; the index itself must drop them too."""
    index = SQLITE[("liaison_resident", "name")].name

    def indexed(query: str) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {index} WHERE {index} MATCH %s", [pieces_query(query)])
            return {row[0] for row in cursor.fetchall()}

    renamed, deleted = Resident.objects.get(name="李华"), Resident.objects.get(name="欧阳国华")
    assert renamed.pk in indexed("李华") and deleted.pk in indexed("欧阳")
    Resident.objects.filter(pk=renamed.pk).update(name="李明")
    deleted.delete()
    assert indexed("李华") == set() and indexed("欧阳") == set()
    assert indexed("李明") == {renamed.pk}
