"""The unit rules counted per kind of unit (liaison/compliance/unit_kinds.py, issue 14), on a hand-made
year with each answer worked out by hand; the table on /compliance/ and the shortfall list filtered to
one kind, scoped and paginated.

The tree (root conftest.py): 巴南区 → 界石镇 (桂花村 = village_a, 石岗村 = village_b) and 南泉街道 (南泉社区).
The helpers: 区农业农村委机关党委 (a unit, 机关) and its 第一支部 (no kind of its own: 机关, its unit's);
桂馨公司党委 (a unit under 界石镇, “两新”); 区妇联机关党支部 (a branch with its own kind, 群团); 界石镇机关党支部
(a branch of a township, no unit above it and no kind: 未分类).

In YEAR (over: "today" is later), against each kind's QuotaRule (read from the table, never written
here; LINE = the 联线 minimum, FUNDS = the 结对 minimum, …):

| # | kind | helper | village | in YEAR | reaches |
|---|---|---|---|---|---|
| 1 | 联线 | 农业农村委 (机关) | 桂花村 | LINE records | yes, just |
| 2 | 联线 | 第一支部 (机关) | 石岗村 | LINE − 1 (and one the year before) | no |
| 3 | 联线 | 界石镇机关支部 (未分类) | 桂花村 | LINE − 1 | no |
| 4 | 联线 | 农业农村委 (机关) | 南泉社区 | none | no |
| 5 | 结对 | 第一支部 (机关) | 桂花村's household | FUNDS 元 | yes, just |
| 6 | 结对 | 第一支部 (机关) | 石岗村's household | FUNDS − 0.01 元 | no |
| 7 | 联姻 | 桂馨公司 (两新) | 石岗村 | MARRIAGE + 1 | yes |
| 8 | 牵手 | 区妇联支部 (群团) | 南泉社区 | HAND − 1 | no |
| 9 | 联线 | 农业农村委 | 石岗村 | ended the year before: not counted | |
| 10 | 联线 | 第一支部 | 桂花村 | begins the year after: not counted | |

So, for the district (units, running, met, on pace = met once the year is over, rate):
支部联线 × 机关 2, 3, 1, 1, 33.3% (#1, #2, #4); × 未分类 1, 1, 0, 0, 0.0%; 党员结对 × 机关 1, 2, 1, 1, 50.0%;
工农联姻 × 两新 1, 1, 1, 1, 100.0%; 社团牵手 × 群团 1, 1, 0, 0, 0.0%.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.compliance import RULES, by_unit_kind, evaluate
from liaison.compliance.core import Context
from liaison.compliance.unit_kinds import UNCLASSIFIED, UNKNOWN_UNIT_KIND, totals, unit_kind_table
from liaison.models import Organisation, QuotaRule
from liaison.quotas import quota_rule
from liaison.services import quota_rule_change
from members.models import UnitPairing
from members.tests.factories import MemberFactory, branch, pairing, record, unit_pairing
from tests.factories import OrganisationFactory, UnitFactory, household_with_head

pytestmark = pytest.mark.django_db
D = datetime.date
K = UnitPairing.Kind
YEAR = 2025
TODAY = D(2026, 7, 1)  # YEAR is over; 182 of 2026's 365 days have run


def minimum(kind: str) -> int | Decimal:
    found = quota_rule(UnitPairing.QUOTA_CODES[kind], year=YEAR).minimum
    return found if kind in UnitPairing.MONEY_KINDS else int(found)


def records(pairing, n: int, year: int = YEAR) -> None:
    for i in range(n):
        record(pairing, D(year, 1 + i % 12, 1 + i // 12))


def make_helpers(tree) -> dict[str, Organisation]:
    organ = UnitFactory(name="区农业农村委机关党委", code="nync", parent=tree["district"], unit_kind="organ")
    return {
        "organ": organ,
        "organ_branch": branch(organ, "区农业农村委机关第一党支部", "nync-1"),
        "company": UnitFactory(
            name="重庆桂馨农业公司党委", code="gx", parent=tree["township"], unit_kind="two_new"
        ),
        "women": OrganisationFactory(
            name="区妇联机关党支部",
            code="fl-1",
            level=Organisation.Level.BRANCH,
            parent=tree["district"],
            unit_kind="mass",
        ),
        "offices": branch(tree["township"], "界石镇机关党支部", "js-jg"),
    }


def unit_year(tree) -> dict:
    """The ten pairings of the module's table, by number."""
    h = make_helpers(tree)
    home_a = household_with_head(organisation=tree["village_a"], head_name="桂困", address="桂花村1号")
    home_b = household_with_head(organisation=tree["village_b"], head_name="石困", address="石岗村1号")
    line, funds = minimum(K.LIAISON_LINE), minimum(K.MEMBER_PAIRING)
    p = {
        1: unit_pairing(K.LIAISON_LINE, h["organ"], target_organisation=tree["village_a"]),
        2: unit_pairing(K.LIAISON_LINE, h["organ_branch"], target_organisation=tree["village_b"]),
        3: unit_pairing(K.LIAISON_LINE, h["offices"], target_organisation=tree["village_a"]),
        4: unit_pairing(K.LIAISON_LINE, h["organ"], target_organisation=tree["community"]),
        5: unit_pairing(K.MEMBER_PAIRING, h["organ_branch"], target_household=home_a),
        6: unit_pairing(K.MEMBER_PAIRING, h["organ_branch"], target_household=home_b),
        7: unit_pairing(K.WORKER_FARMER, h["company"], target_organisation=tree["village_b"]),
        8: unit_pairing(K.HAND_IN_HAND, h["women"], target_organisation=tree["community"]),
        9: unit_pairing(
            K.LIAISON_LINE,
            h["organ"],
            target_organisation=tree["village_b"],
            status="ended",
            ended_on=D(YEAR - 1, 12, 31),
        ),
        10: unit_pairing(
            K.LIAISON_LINE, h["organ_branch"], target_organisation=tree["village_a"], start=D(YEAR + 1, 2, 1)
        ),
    }
    records(p[1], line)
    records(p[2], line - 1)
    records(p[2], 1, year=YEAR - 1)
    records(p[3], line - 1)
    record(p[5], D(YEAR, 6, 1), money=str(funds))
    record(p[6], D(YEAR, 6, 1), money=str(funds - Decimal("0.01")))
    records(p[7], minimum(K.WORKER_FARMER) + 1)
    records(p[8], minimum(K.HAND_IN_HAND) - 1)
    records(p[9], line)  # the year it had already ended: never counted
    records(p[10], line, year=YEAR + 1)
    return {"pairings": p, "helpers": h}


@pytest.fixture
def year_of_units(tree):
    return unit_year(tree)


def table(rows) -> list[tuple]:
    return [(r.pairing_label, r.unit_label, r.units, r.required, r.done, r.on_pace, r.rate) for r in rows]


DISTRICT = [
    ("支部联线", "机关", 2, 3, 1, 1, Decimal("33.3")),
    ("支部联线", "未分类", 1, 1, 0, 0, Decimal("0.0")),
    ("党员结对", "机关", 1, 2, 1, 1, Decimal("50.0")),
    ("工农联姻", "“两新”组织", 1, 1, 1, 1, Decimal("100.0")),
    ("社团牵手", "群团、社团组织", 1, 1, 0, 0, Decimal("0.0")),
]
# 界石镇: #1, #2, #3, #5, #6, #7 (南泉社区's #4 and #8 are another township's)
TOWNSHIP = [
    ("支部联线", "机关", 2, 2, 1, 1, Decimal("50.0")),
    ("支部联线", "未分类", 1, 1, 0, 0, Decimal("0.0")),
    ("党员结对", "机关", 1, 2, 1, 1, Decimal("50.0")),
    ("工农联姻", "“两新”组织", 1, 1, 1, 1, Decimal("100.0")),
]


def test_counts_per_kind_of_unit_worked_out_by_hand(tree, year_of_units):
    assert table(unit_kind_table(tree["district"], YEAR, today=TODAY)) == DISTRICT
    assert table(unit_kind_table(tree["township"], YEAR, today=TODAY)) == TOWNSHIP
    assert table(unit_kind_table(tree["other_township"], YEAR, today=TODAY)) == [
        ("支部联线", "机关", 1, 1, 0, 0, Decimal("0.0")),
        ("社团牵手", "群团、社团组织", 1, 1, 0, 0, Decimal("0.0")),
    ]
    # the year after: only #10 has begun; #1–#8 run on with no records of that year
    after = {(r.pairing_label, r.unit_label): r.required for r in unit_kind_table(tree["district"], YEAR + 1)}
    assert after[("支部联线", "机关")] == 4  # #1, #2, #4 and #10


def test_the_sql_kind_is_the_property_for_every_helper(tree, year_of_units):
    """Organisation.kind_of_unit_sql gives what kind_of_unit gives: a unit's own, a branch's unit's, a
    branch's own, none for a branch of a township, and none for the district (no parent: a LEFT JOIN
    keeps it)."""
    unit_pairing(K.LIAISON_LINE, tree["district"], target_organisation=tree["village_b"])
    by_pk = {o.pk: o for o in Organisation.objects.select_related("parent")}
    through = dict(
        UnitPairing.objects.annotate(k=Organisation.kind_of_unit_sql("helper_organisation")).values_list(
            "helper_organisation", "k"
        )
    )
    assert through == {pk: by_pk[pk].kind_of_unit for pk in through}
    assert len(through) == 6 and set(through.values()) == {"organ", "two_new", "mass", ""}
    h = year_of_units["helpers"]
    assert (through[h["organ_branch"].pk], through[h["offices"].pk]) == ("organ", "")
    assert through[tree["district"].pk] == ""
    # the district's 联线 joins the 未分类 row; none is dropped
    rows = {(r.pairing_label, r.unit_label): r for r in unit_kind_table(tree["district"], YEAR, today=TODAY)}
    assert (rows[("支部联线", "未分类")].units, rows[("支部联线", "未分类")].required) == (2, 2)


def test_each_pairing_kinds_rows_add_up_to_its_rule_and_its_villages(tree, year_of_units):
    """The rows of a pairing kind add up to its rule's row of the compliance table, and to the rule's
    per-village counts (the measure the engine adds up), for the district and a township."""
    rules = {rule.key: rule for rule in RULES}
    for root in (tree["district"], tree["township"], tree["other_township"]):
        evaluation = evaluate(root, YEAR, today=TODAY)
        by_rule = {r.key: r for r in evaluation.results}
        rows = by_unit_kind(evaluation.context)
        sums = totals(rows)
        assert {s.rule_key for s in sums} == {key for key in by_rule if key.startswith("unit-")}
        for total in sums:
            result = by_rule[total.rule_key]
            assert (total.required, total.done, total.on_pace) == (
                result.required,
                result.done,
                result.on_pace,
            )
            assert total.rate == result.rate
            villages = rules[total.rule_key].measure(evaluation.context)
            assert total.required == sum(c.required for c in villages.values())
            assert total.done == sum(c.done for c in villages.values())
            assert total.behind == result.behind == len(result.shortfalls)
            assert sum(r.behind for r in rows if r.pairing_kind == total.pairing_kind) == total.behind


def test_one_grouped_statement_whatever_the_number_of_pairings(tree, year_of_units):
    ctx = Context([tree["district"]], YEAR, TODAY, UnitPairing.QUOTA_CODES.values())
    with CaptureQueriesContext(connection) as few:
        by_unit_kind(ctx)
    for n in range(4):
        helper = UnitFactory(
            name=f"企业{n}党委", code=f"qy-{n}", parent=tree["district"], unit_kind="enterprise"
        )
        records(unit_pairing(K.LIAISON_LINE, helper, target_organisation=tree["village_b"]), n)
    with CaptureQueriesContext(connection) as many:
        rows = by_unit_kind(ctx)
    assert len(few) == len(many) == 1
    assert "GROUP BY" in many[0]["sql"]
    enterprise = next(r for r in rows if r.unit_kind == "enterprise")
    line = minimum(K.LIAISON_LINE)
    assert (enterprise.units, enterprise.required, enterprise.done) == (
        4,
        4,
        sum(n >= line for n in range(4)),
    )


def test_on_pace_while_the_year_runs(tree, year_of_units):
    """On 1 July 2026, 182 of 365 days have run: what is due of FUNDS is ⌊FUNDS × 182/365⌋. #5 gave just
    that, #6 one 元 less: one on pace, neither done; only #6 is behind."""
    p = year_of_units["pairings"]
    funds = quota_rule(UnitPairing.QUOTA_CODES[K.MEMBER_PAIRING], year=2026).minimum
    due = math.floor(Fraction(funds) * Fraction(182, 365))
    record(p[5], D(2026, 3, 1), money=str(due))
    record(p[6], D(2026, 3, 1), money=str(due - 1))
    rows = {(r.pairing_label, r.unit_label): r for r in unit_kind_table(tree["district"], 2026, today=TODAY)}
    pairs = rows[("党员结对", "机关")]
    assert (pairs.required, pairs.done, pairs.on_pace, pairs.behind) == (2, 0, 1, 1)


def test_a_rule_changed_this_year_leaves_last_years_counts(tree, org_dept):
    """The 组织部 raises the 联线 minimum by one from 1 January of this year. A 联线 with the old minimum
    of records in each year: last year still met, this year now short."""
    this = timezone.localdate().year
    last = this - 1
    h = make_helpers(tree)
    line = unit_pairing(
        K.LIAISON_LINE, h["organ"], target_organisation=tree["village_a"], start=D(last, 1, 1)
    )
    rule = QuotaRule.objects.get(code=UnitPairing.QUOTA_CODES[K.LIAISON_LINE])
    old = int(rule.minimum)
    records(line, old, year=last)
    records(line, old, year=this)

    def met(year):
        rows = unit_kind_table(tree["district"], year, today=D(this, 12, 31))
        return [(r.unit_label, r.required, r.done) for r in rows if r.pairing_kind == K.LIAISON_LINE]

    assert met(last) == met(this) == [("机关", 1, 1)]
    quota_rule_change(
        user=org_dept,
        rule=rule.pk,
        minimum=Decimal(old + 1),
        source=rule.source,
        notes="",
        effective_from=D(this, 1, 1),
    )
    assert met(this) == [("机关", 1, 0)]
    assert met(last) == [("机关", 1, 1)]


# -- the pages ---------------------------------------------------------------------------------------


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def shortfall_url(rule_key, organisation, unit_kind=None, year=YEAR):
    url = f"/compliance/{rule_key}/?organisation={organisation.pk}&year={year}"
    return url + (f"&unit_kind={unit_kind}" if unit_kind is not None else "")


def names(response) -> list[str]:
    return [s.name for s in response.context["page"]]


def test_the_compliance_page_shows_the_table_linked_to_the_shortfalls(
    client_for, org_dept, tree, year_of_units
):
    response = get(client_for(org_dept), f"/compliance/?organisation={tree['district'].pk}&year={YEAR}")
    groups = response.context["by_kind"]
    assert table(row for _, rows in groups for row in rows) == DISTRICT
    html = response.content.decode()
    assert "联系帮扶 按单位类别" in html and "未分类" in html and "群团、社团组织" in html
    # 支部联线 × 机关: #2 and #4 behind; 未分类: #3
    line_organ = shortfall_url("unit-line", tree["district"], "organ").replace("&", "&amp;")
    assert f'<a href="{line_organ}" title="查看该类别未达进度的帮扶及其记录">2</a>' in html
    assert shortfall_url("unit-line", tree["district"], UNCLASSIFIED).replace("&", "&amp;") in html
    # each pairing kind's total is its rule's row of the table above; 支部联线, with two kinds of unit,
    # shows it as 小计 (linked to the whole list), the others have one row each
    results = {r.key: r for r in response.context["evaluation"].results}
    assert {(t.rule_key, t.required, t.done) for t, _ in groups} == {
        (key, r.required, r.done) for key, r in results.items() if key.startswith("unit-")
    }
    assert html.count("<td>小计</td>") == 1
    whole_line = shortfall_url("unit-line", tree["district"]).replace("&", "&amp;")
    assert f'<a href="{whole_line}">3</a>' in html


def test_the_filtered_shortfalls_are_scoped_and_paginated(
    client_for, org_dept, township_secretary, other_secretary, tree, year_of_units, settings
):
    p = year_of_units["pairings"]
    district = client_for(org_dept)
    organ = get(district, shortfall_url("unit-line", tree["district"], "organ"))
    assert [s.url for s in organ.context["page"]] == [
        f"/unit-pairings/{p[4].pk}/",
        f"/unit-pairings/{p[2].pk}/",
    ]
    assert "单位类别：机关" in organ.content.decode()
    unclassified = get(district, shortfall_url("unit-line", tree["district"], UNCLASSIFIED))
    assert [s.url for s in unclassified.context["page"]] == [f"/unit-pairings/{p[3].pk}/"]
    assert "单位类别：未分类" in unclassified.content.decode()
    funds = get(district, shortfall_url("unit-member", tree["district"], "organ"))
    assert [s.url for s in funds.context["page"]] == [f"/unit-pairings/{p[6].pk}/"]
    assert (
        get(district, shortfall_url("unit-line", tree["district"], "two_new")).context["page"].paginator.count
        == 0
    )

    settings.LIAISON_PAGE_SIZE = 1
    first = get(district, shortfall_url("unit-line", tree["district"], "organ"))
    assert first.context["page"].paginator.num_pages == 2
    assert "unit_kind=organ" in first.context["querystring"]
    second = get(district, shortfall_url("unit-line", tree["district"], "organ") + "&page=2")
    assert [s.url for s in second.context["page"]] == [f"/unit-pairings/{p[2].pk}/"]
    settings.LIAISON_PAGE_SIZE = 50

    # 界石镇's secretary: only the pairings in 界石镇 (#2, not 南泉社区's #4); 南泉街道's: only #4
    own = get(client_for(township_secretary), f"/compliance/unit-line/?year={YEAR}&unit_kind=organ")
    assert [s.url for s in own.context["page"]] == [f"/unit-pairings/{p[2].pk}/"]
    get(client_for(township_secretary), shortfall_url("unit-line", tree["district"], "organ"), 404)
    get(client_for(township_secretary), shortfall_url("unit-line", tree["other_township"], "organ"), 404)
    get(client_for(other_secretary), shortfall_url("unit-line", tree["township"], "organ"), 404)
    theirs = get(client_for(other_secretary), f"/compliance/unit-line/?year={YEAR}&unit_kind=organ")
    assert [s.url for s in theirs.context["page"]] == [f"/unit-pairings/{p[4].pk}/"]


@pytest.mark.parametrize("value", ["bogus", "'; DROP TABLE x;--", "\x00", "organ%00", "9" * 30])
def test_an_unknown_unit_kind_is_ignored_with_a_note(client_for, org_dept, tree, year_of_units, value):
    response = get(client_for(org_dept), shortfall_url("unit-line", tree["district"], value))
    assert response.context["page"].paginator.count == 3  # every kind's: #2, #3, #4
    assert UNKNOWN_UNIT_KIND in response.content.decode()


def test_a_unit_kind_on_another_rule_is_ignored(client_for, org_dept, tree, year_of_units):
    """结对帮扶 visits have no kind of unit: the parameter changes nothing there."""
    home = household_with_head(organisation=tree["village_a"], head_name="结对户", address="桂花村2号")
    pairing(home, MemberFactory(organisation=year_of_units["helpers"]["offices"]), start=D(YEAR, 1, 1))
    plain = get(client_for(org_dept), f"/compliance/pairing-visits/?year={YEAR}")
    response = get(client_for(org_dept), f"/compliance/pairing-visits/?year={YEAR}&unit_kind=organ")
    assert response.context["page"].paginator.count == plain.context["page"].paginator.count == 1
    assert UNKNOWN_UNIT_KIND not in response.content.decode() and "单位类别" not in response.content.decode()


# Measured: the session, the user, the visible organisations, the engine (the organisations, the rules
# in force, one grouped statement per rule family) and the children's summaries: 20 since the 五必访 and
# 联系点 rules joined (18 before); the table adds its one grouped statement. The shortfall list: the
# engine, then the page's count and rows; the kind filter is a condition of the same two statements.
PAGE_QUERIES = 21
SHORTFALL_QUERIES = 21


def test_query_counts(client_for, org_dept, tree, year_of_units, django_assert_num_queries):
    """The page is the engine's measurement plus one grouped statement for the table; the filtered
    list costs what the unfiltered one costs; neither grows with more pairings."""
    client = client_for(org_dept)
    page = f"/compliance/?organisation={tree['district'].pk}&year={YEAR}"
    plain = shortfall_url("unit-line", tree["district"])
    filtered = shortfall_url("unit-line", tree["district"], "organ")
    for url in (page, plain, filtered):
        get(client, url)  # warm: per-process caches
    with django_assert_num_queries(PAGE_QUERIES):
        get(client, page)
    with django_assert_num_queries(SHORTFALL_QUERIES):
        get(client, plain)
    with django_assert_num_queries(SHORTFALL_QUERIES):
        get(client, filtered)
    for n in range(3):
        helper = UnitFactory(
            name=f"企业{n}党委", code=f"qy-{n}", parent=tree["district"], unit_kind="enterprise"
        )
        unit_pairing(K.LIAISON_LINE, helper, target_organisation=tree["village_b"])
    with django_assert_num_queries(PAGE_QUERIES):
        get(client, page)
    with django_assert_num_queries(SHORTFALL_QUERIES):
        get(client, filtered)
