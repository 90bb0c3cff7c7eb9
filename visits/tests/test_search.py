"""The visit list's search box: a household by any of its residents' names or pinyin, or its address, and
a visitor by name or pinyin, each found on its own index and then its visits (not a scan of every
visit), within the user's scope."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.models import ArchiveReason, Household, Resident
from tests.factories import PartyMemberFactory, household_with_head
from visits.tests.factories import visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[20_000, 1], ids=["rare", "common"])
def common(request, monkeypatch):
    """Each search here runs both ways on SQLite: from the index's matches, and, for a name at least as
    common as liaison.filters.COMMON, each visit's household checked on its own rows."""
    monkeypatch.setattr("liaison.filters.COMMON", request.param)
    return request.param


@pytest.fixture
def visits(clerk_a, clerk_b, tree, family, secretary_member, household_b):
    other_home = household_with_head(
        organisation=tree["village_a"], head_name="张三", address="桂花村五组8号"
    )
    other_member = PartyMemberFactory(organisation=tree["village_a"], name="刘备")
    outsider = PartyMemberFactory(organisation=tree["village_b"], name="陈国华")  # same name, village_b
    return {
        "family": visit(clerk_a, family, secretary_member, on=datetime.date(2026, 3, 3)),
        "family_again": visit(clerk_a, family, other_member, on=datetime.date(2026, 4, 1)),
        "zhang": visit(clerk_a, other_home, other_member, on=datetime.date(2026, 5, 5)),
        "elsewhere": visit(clerk_b, household_b, outsider, on=datetime.date(2026, 6, 6)),
    }


def found(client, query: str) -> set[int]:
    page = client.get(reverse("visit-list"), {"q": query}).context["page"]
    return {v.pk for v in page.object_list}


def test_a_household_by_any_residents_pinyin_or_name_and_a_visitor_by_theirs(client_for, clerk_a, visits):
    client = client_for(clerk_a)
    ids = {name: v.pk for name, v in visits.items()}
    family = {ids["family"], ids["family_again"]}
    assert found(client, "wz") == family  # 王喆, the head
    assert found(client, "lxy") == family  # 李秀英, his wife: her household's visits
    assert found(client, "wangxiaojun") == family
    assert found(client, "王小军") == family
    assert found(client, "cgh") == {ids["family"]}  # the visitor 陈国华
    assert found(client, "陈国华") == {ids["family"]}  # not village_b's namesake: out of scope
    assert found(client, "lb") == {ids["family_again"], ids["zhang"]}  # the visitor 刘备
    assert found(client, "zs") == {ids["zhang"]}
    assert found(client, "五组") == {ids["zhang"]}  # the household's address
    assert found(client, "xyz") == set()


def test_the_other_village_finds_only_its_own(client_for, clerk_b, visits):
    client = client_for(clerk_b)
    assert found(client, "cgh") == {visits["elsewhere"].pk}
    assert found(client, "wz") == set()


def test_visits_stay_found_after_their_household_or_resident_is_archived(client_for, clerk_a, visits):
    """A visit log is history: the list still shows the visits of a household that has since moved away,
    and its search still finds them by the names and address they had; so too a resident who has left
    (the search reads every resident, which also spares the join to households: PostgreSQL 0.57 → 0.41 s
    for "zhang" across the district, SQLite 1.4 → 0.7 s for 国华)."""
    moved = visits["zhang"].household
    Household.all_objects.filter(pk=moved.pk).update(
        archived_on=datetime.date(2026, 7, 1), archive_reason=ArchiveReason.MOVED_AWAY
    )
    Resident.all_objects.filter(name="李秀英").update(
        archived_on=datetime.date(2026, 7, 1), archive_reason=ArchiveReason.MOVED_AWAY
    )
    client = client_for(clerk_a)
    family = {visits["family"].pk, visits["family_again"].pk}
    assert visits["zhang"].pk in {v.pk for v in client.get(reverse("visit-list")).context["page"].object_list}
    assert found(client, "zs") == {visits["zhang"].pk}
    assert found(client, "张三") == {visits["zhang"].pk}
    assert found(client, "五组") == {visits["zhang"].pk}
    assert found(client, "lxy") == family
    assert found(client, "李秀英") == family


def test_a_search_pages_its_matches_in_date_order_at_both_ends(
    client_for, township_secretary, org_dept, tree, secretary_member, settings
):
    """Seven visits match "zgh" for 界石镇: five to 张国华's household in 桂花村 (one also made by him as
    visitor), one he made in 南泉社区 (another township: his side of the scope), and one to 张国辉's
    household in 石岗村; 南泉社区's own visits stay out, 张桂华's too (zgh). Listed two to a
    page, every page holds the next visits newest first, the last pages too (read from the other end)."""
    settings.LIAISON_PAGE_SIZE = 2
    home = household_with_head(organisation=tree["village_a"], head_name="张国华", address="一组9号")
    him = PartyMemberFactory(organisation=tree["village_a"], name="张国华")
    other = household_with_head(organisation=tree["village_b"], head_name="张国辉", address="二组2号")
    away = household_with_head(organisation=tree["community"], head_name="赵敏", address="南泉2号")
    theirs = PartyMemberFactory(organisation=tree["community"], name="社区委员")
    days = [datetime.date(2026, 1, d) for d in (3, 9, 4, 20, 11)]
    expected = [visit(org_dept, home, secretary_member, on=day) for day in days]
    expected.append(visit(org_dept, home, him, on=datetime.date(2026, 2, 1)))
    expected.append(visit(org_dept, away, him, on=datetime.date(2026, 2, 2)))
    expected.append(visit(org_dept, other, secretary_member, on=datetime.date(2026, 1, 15)))
    visit(org_dept, away, theirs, on=datetime.date(2026, 2, 3))
    namesake = household_with_head(organisation=tree["community"], head_name="张桂华", address="南泉3号")
    visit(org_dept, namesake, theirs, on=datetime.date(2026, 2, 4))  # matches, but outside 界石镇
    expected.sort(key=lambda v: (v.visited_on, v.pk), reverse=True)

    client = client_for(township_secretary)
    first = client.get(reverse("visit-list"), {"q": "zgh"}).context["page"]
    assert first.paginator.count == len(expected) == 8
    listed = []
    for number in first.paginator.page_range:
        page = client.get(reverse("visit-list"), {"q": "zgh", "page": number}).context["page"]
        listed += [v.pk for v in page.object_list]
    assert listed == [v.pk for v in expected]


def test_a_search_that_finds_more_than_the_cap_lists_its_newest_first_matches(
    client_for, township_secretary, org_dept, tree, secretary_member, settings, monkeypatch
):
    """Past SEARCH_CAP a search's list counts no further: it says so and pages through the newest
    matches, page after page in date order, on both paths of the search (ids on PostgreSQL)."""
    monkeypatch.setattr("liaison.views.helpers.SEARCH_CAP", 3)
    settings.LIAISON_PAGE_SIZE = 2
    home = household_with_head(organisation=tree["village_a"], head_name="张国华", address="一组9号")
    made = [visit(org_dept, home, secretary_member, on=datetime.date(2026, 1, d)) for d in (3, 9, 4, 20, 11)]
    newest = sorted(made, key=lambda v: (v.visited_on, v.pk), reverse=True)[:3]

    client = client_for(township_secretary)
    response = client.get(reverse("visit-list"), {"q": "zgh"})
    page = response.context["page"]
    assert page.paginator.capped and page.paginator.count == 3 and page.paginator.num_pages == 2
    assert "找到超过 3 条，只列出前 3 条；请输入更完整的姓名，或选择党组织或年度缩小范围" in response.text
    listed = [v.pk for v in page.object_list]
    listed += [
        v.pk for v in client.get(reverse("visit-list"), {"q": "zgh", "page": 2}).context["page"].object_list
    ]
    assert listed == [v.pk for v in newest]
    unsearched = client.get(reverse("visit-list")).context["page"].paginator
    assert not unsearched.capped and unsearched.count == 5


def test_a_common_name_reads_its_first_pages_in_date_order_and_the_rest_sorted(
    client_for, township_secretary, org_dept, tree, secretary_member, settings, monkeypatch, common
):
    """A name as common as liaison.filters.COMMON, on SQLite: the pages in the first half of the search's
    cap walk the visits in date order, testing each one's place (visits.scope, in_date_order); the later
    pages read the matches from the indexes and sort them. Either way the pages follow on, newest first,
    with 界石镇's own visits and those its member made in another township."""
    monkeypatch.setattr("liaison.views.helpers.SEARCH_CAP", 6)
    monkeypatch.setattr("visits.selectors.SEARCH_CAP", 6)
    settings.LIAISON_PAGE_SIZE = 2
    home = household_with_head(organisation=tree["village_a"], head_name="张国华", address="一组9号")
    him = PartyMemberFactory(organisation=tree["village_a"], name="张国华")
    away = household_with_head(organisation=tree["community"], head_name="赵敏", address="南泉2号")
    theirs = PartyMemberFactory(organisation=tree["community"], name="社区委员")
    made = [
        visit(org_dept, home, secretary_member, on=datetime.date(2026, 1, d)) for d in (3, 9, 4, 20, 11, 5)
    ]
    made.append(visit(org_dept, away, him, on=datetime.date(2026, 1, 7)))
    made.append(visit(org_dept, home, secretary_member, on=datetime.date(2025, 12, 30)))
    visit(org_dept, away, theirs, on=datetime.date(2026, 1, 8))  # another township's, no match
    newest = sorted(made, key=lambda v: (v.visited_on, v.pk), reverse=True)[:6]

    client = client_for(township_secretary)
    listed, walked = [], []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("visit-list"), {"q": "zgh", "page": number}).context["page"]
        assert page.paginator.capped and page.paginator.count == 6
        listed += [v.pk for v in page.object_list]
        walked.append(any('"organisation_id" + 0' in q["sql"] for q in queries.captured_queries))
    assert listed == [v.pk for v in newest]
    dense = connection.vendor == "sqlite" and common == 1
    assert walked == ([True, True, False] if dense else [False, False, False])


def _hashed_tables(plan: list) -> set[str]:
    """The tables PostgreSQL reads whole into a hashed subplan, from EXPLAIN (FORMAT JSON)."""
    hashed = set(re.findall(r"hashed (SubPlan \d+)", json.dumps(plan)))
    tables: set[str] = set()

    def walk(node: dict, inside: bool) -> None:
        inside = inside or node.get("Subplan Name") in hashed
        if inside and "Relation Name" in node:
            tables.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child, inside)

    walk(plan[0]["Plan"], False)
    return tables


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_a_common_name_on_postgresql_checks_each_visits_household_rather_than_hashing_every_match(
    client_for, township_secretary, org_dept, tree, secretary_member, common
):
    """On PostgreSQL a name as common as liaison.filters.COMMON (by the planner's estimate) is checked on
    each visit's own household, the household correlated as a range of one value: written as
    `household_id = outer`, PostgreSQL hashed every namesake in the district before reading a visit
    (a township's "zhang": 78,653 residents, 448 ms). A rarer name is found from its matches' ids."""
    home = household_with_head(organisation=tree["village_a"], head_name="张国华", address="一组9号")
    made = visit(org_dept, home, secretary_member, on=datetime.date(2026, 1, 3))
    client = client_for(township_secretary)
    with CaptureQueriesContext(connection) as queries:
        assert found(client, "zgh") == {made.pk}
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    per_visit = [sql for sql in counts if 'U0."household_id" >= ("visits_visit"."household_id")' in sql]
    assert bool(per_visit) == (common == 1)
    with connection.cursor() as cursor:
        for sql in per_visit:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            assert "liaison_resident" not in _hashed_tables(
                plan if isinstance(plan, list) else json.loads(plan)
            )
