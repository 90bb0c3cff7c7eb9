"""`__pinyin` answers the pinyin search from an index on both databases (issue #10): pg_trgm on
PostgreSQL, an FTS5 index kept by triggers on SQLite (liaison.text.pinyin_index). It finds exactly
what `__contains=search_key(q)` finds, after every kind of write, and repairs itself after a migration
that rebuilt the table."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from liaison.models import Resident
from liaison.text.pinyin import initials, search_key
from liaison.text.pinyin_index import INDEXED
from liaison.text.sqlite_fts import ensure_indexes
from tests.factories import ResidentFactory, household_with_head

pytestmark = pytest.mark.django_db
NAMES = ("龚堃", "郭坤", "曾国藩", "单雄信", "张三", "张珊珊", "章三丰", "欧阳修", "𠮷野")
QUERIES = (
    "gk",
    "gong",
    "gongkun",
    "GK",
    "zgf",
    "cgf",
    "ceng",
    "zengguo",
    "shan",
    "dan",
    "zs",
    "zh",
    "z",
    "zhang",
    "zhangsan",
    "zss",
    "oyx",
    "ouyang",
    "kun",
    "gongkuna",
    "x",
)
FTS = INDEXED[("liaison_resident", "name_initials")]


def found(query: str) -> set[str]:
    return set(Resident.objects.filter(name_initials__pinyin=query).values_list("name", flat=True))


def expected(query: str) -> set[str]:
    key = search_key(query)
    return {name for name in Resident.objects.values_list("name", flat=True) if key in initials(name)}


@pytest.fixture
def people(tree):
    household = household_with_head(organisation=tree["village_a"], head_name=NAMES[0], address="一组1号")
    for name in NAMES[1:]:
        ResidentFactory(household=household, name=name, relation="other")
    return household


def test_it_finds_exactly_what_the_key_contains(people):
    for query in QUERIES:
        assert found(query) == expected(query), query
    assert found("zs") == {"张三", "张珊珊", "章三丰"} and found("gongkun") == {"龚堃"}


def test_it_follows_renames_deletes_and_bulk_writes(people):
    renamed = Resident.objects.get(name="郭坤")
    renamed.name = "王五"
    renamed.save()
    Resident.objects.filter(name="张三").delete()
    Resident.objects.bulk_create(
        [Resident(household=people, name="赵六", name_initials=initials("赵六"), relation="other")]
    )
    Resident.objects.filter(name="章三丰").update(name="李四", name_initials=initials("李四"))
    assert found("gk") == {"龚堃"} and found("ww") == {"王五"} and found("zl") == {"赵六"}
    assert found("zs") == {"张珊珊"} and found("ls") == {"李四"}
    for query in QUERIES:
        assert found(query) == expected(query), query


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index is SQLite's; PostgreSQL uses pg_trgm"
)
def test_on_sqlite_the_search_reads_the_fts_index_not_every_resident(people):
    sql, params = Resident.objects.filter(name_initials__pinyin="zs").values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
    assert "liaison_resident_initials_fts VIRTUAL TABLE INDEX" in plan, plan
    assert not re.search(r"SCAN liaison_resident( |$)", plan), plan  # residents read by rowid only


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index is SQLite's; PostgreSQL uses pg_trgm"
)
def test_a_migration_that_dropped_the_triggers_is_repaired_after_migrate(people):
    with connection.cursor() as cursor:
        for suffix in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER {FTS}_{suffix}")
        cursor.execute(f"DROP TABLE {FTS}")
    ResidentFactory(household=people, name="钱七", relation="other")  # written while the index was gone
    assert ensure_indexes() == [FTS]
    assert ensure_indexes() == []  # nothing left to repair
    assert found("qq") == {"钱七"} and found("gk") == {"龚堃", "郭坤"}
