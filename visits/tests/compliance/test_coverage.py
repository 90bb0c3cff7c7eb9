"""Coverage of a hand-made village, the right answers worked out here, and the page's drill-down,
scope and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liaison.models import QuotaRule
from members.tests.factories import MemberFactory
from tests.factories import household_with_head
from visits import coverage_rules as rules
from visits.compliance import coverage
from visits.models import Term
from visits.tests.compliance.conftest import visit

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2024, 1, 1)
YEAR = 2023


@pytest.fixture
def village(tree, branches):
    """桂花村: term 2021-01-01 — 2025-12-31 (1,826 days). On 2024-01-01 the term has run 1,096 days, so each
    household is due ⌊6 × 1096 / 1826⌋ = ⌊3.60⌋ = 3 visits.

    h1  7 visits in the term (capped at 6 in the histogram), 2 of them in 2023     → visited, meets due
    h2  3 visits in the term, 2 in 2023                                            → visited, meets due (exactly)
    h3  2 visits in the term (2021, 2022) and one dated after "today"              → visited, short by 1
    h4  one visit on 2020-12-31, the day before the term                          → never visited in the term
    h5  no visit                                                                   → never visited
    h6  archived (迁出) with visits                                                  → not counted at all
    石岗村 has no term: 2 households, one visited in 2023.
    """
    member = MemberFactory(organisation=branches["a"], name="王支书")
    Term.objects.create(
        organisation=tree["village_a"], name="第十一届", elected_on=D(2021, 1, 1), ends_on=D(2025, 12, 31)
    )
    h = {
        i: household_with_head(organisation=tree["village_a"], head_name=f"户{i}", address=f"一组{i}号")
        for i in range(1, 7)
    }
    for day in (
        "2021-03-01",
        "2021-09-01",
        "2022-03-01",
        "2022-09-01",
        "2023-03-01",
        "2023-09-01",
        "2023-10-01",
    ):
        visit(h[1], member, D.fromisoformat(day))
    for day in ("2022-05-01", "2023-05-01", "2023-06-01"):
        visit(h[2], member, D.fromisoformat(day))
    for day in ("2021-06-01", "2022-06-01", "2024-02-01"):
        visit(h[3], member, D.fromisoformat(day))
    visit(h[4], member, D(2020, 12, 31))
    visit(h[6], member, D(2023, 4, 1))
    h[6].archived_on, h[6].archive_reason = D(2023, 12, 1), "moved"
    h[6].save()
    b1 = household_with_head(organisation=tree["village_b"], head_name="石一", address="一组1号")
    household_with_head(organisation=tree["village_b"], head_name="石二", address="一组2号")
    visit(b1, MemberFactory(organisation=branches["b"]), D(2023, 8, 8))
    return h


def test_visits_due_pro_rata_with_exact_boundaries():
    start, end = D(2021, 1, 1), D(2021, 1, 12)  # 12 days, quota 6: half a visit a day
    assert rules.visits_due(6, start, end, D(2020, 12, 31)) == 0
    assert rules.visits_due(6, start, end, start) == 0  # 6 × 1/12 = 0.5
    assert rules.visits_due(6, start, end, D(2021, 1, 2)) == 1  # 6 × 2/12 = 1 exactly
    assert rules.visits_due(6, start, end, D(2021, 1, 11)) == 5  # 5.5
    assert rules.visits_due(6, start, end, end) == 6  # the last day: the whole quota
    assert rules.visits_due(6, start, end, D(2030, 1, 1)) == 6


def test_hand_made_village(village, org_dept, tree):
    rows = {r.village.code: r for r in coverage.village_coverage(org_dept, year=YEAR, today=TODAY)}
    a = rows["js-gh"]
    assert a.due == 3 and a.quota == 6
    assert (a.households, a.visited_in_term, a.meeting_due, a.term_visits, a.visited_in_year) == (
        5,
        3,
        2,
        12,
        2,
    )
    assert a.short == 3
    assert a.term_coverage.percent == "60.0%" and a.due_coverage.percent == "40.0%"
    b = rows["js-sg"]
    assert b.term is None
    assert (b.households, b.visited_in_term, b.visited_in_year) == (2, 0, 1)
    townships, total = coverage.by_township(list(rows.values()))
    js = next(t for t in townships if t.township == tree["township"])
    assert (js.term_coverage.covered, js.term_coverage.total) == (
        3,
        5,
    )  # villages without a term are left out
    assert (js.year_coverage.covered, js.year_coverage.total) == (3, 7)
    assert (js.short, js.without_term) == (3, 1)
    assert total.households == 7  # 南泉社区 has no households


def test_each_village_counts_within_its_own_terms_window(village, org_dept, tree):
    """Two villages elected on different days: 石岗村's term starts after its only visit (2023-08-08), so
    the visit counts for the year but not for the term, while 桂花村 keeps its own window."""
    Term.objects.create(
        organisation=tree["village_b"], name="第一届", elected_on=D(2023, 9, 1), ends_on=D(2028, 8, 31)
    )
    rows = {r.village.code: r for r in coverage.village_coverage(org_dept, year=YEAR, today=TODAY)}
    assert (rows["js-gh"].visited_in_term, rows["js-gh"].term_visits) == (3, 12)
    b = rows["js-sg"]
    assert (b.households, b.visited_in_term, b.term_visits, b.visited_in_year) == (2, 0, 0, 1)
    Term.objects.filter(organisation=tree["village_b"]).update(elected_on=D(2023, 8, 1))
    b = next(
        r for r in coverage.village_coverage(org_dept, year=YEAR, today=TODAY) if r.village.code == "js-sg"
    )
    assert (b.visited_in_term, b.term_visits) == (1, 1)


def test_villages_elected_together_count_their_terms_without_naming_each_village(
    village, township_secretary, tree
):
    """When every village in scope shares one term, the statement tests only the dates: the term's first
    day still bounds it when the year asked for began earlier (h4's visit on 2020-12-31 counts for 2020,
    not for the term), and its last counted day is still today (h3's visit dated 2024-02-01 does not)."""
    Term.objects.create(
        organisation=tree["village_b"], name="第十一届", elected_on=D(2021, 1, 1), ends_on=D(2025, 12, 31)
    )
    for year, seen_in_a in ((YEAR, 2), (2020, 1)):
        rows = {
            r.village.code: r for r in coverage.village_coverage(township_secretary, year=year, today=TODAY)
        }
        a, b = rows["js-gh"], rows["js-sg"]
        assert (a.households, a.visited_in_term, a.meeting_due, a.term_visits) == (5, 3, 2, 12)
        assert a.visited_in_year == seen_in_a
        assert (b.households, b.visited_in_term, b.term_visits) == (2, 1, 1)


def test_the_quota_is_read_from_its_rule(village, org_dept):
    QuotaRule.objects.filter(code=coverage.TERM_QUOTA).update(minimum=9)
    a = next(
        r for r in coverage.village_coverage(org_dept, year=YEAR, today=TODAY) if r.village.code == "js-gh"
    )
    assert a.due == 5  # ⌊9 × 1096 / 1826⌋ = ⌊5.40⌋
    assert a.meeting_due == 1  # only h1 (7 visits)


def test_the_households_short_of_visits(village, tree):
    term = Term.objects.get()
    short = coverage.households_short(tree["village_a"], term, due=3, today=TODAY)
    assert [(h.head_name, h.term_visits, h.missing) for h in short] == [
        ("户4", 0, 3),
        ("户5", 0, 3),
        ("户3", 2, 1),
    ]
    never = coverage.households_short(tree["village_a"], term, due=3, today=TODAY, show="never")
    assert [h.head_name for h in never] == ["户4", "户5"]


def test_coverage_counts_in_four_queries_at_any_scope(
    village, org_dept, township_secretary, clerk_a, django_assert_num_queries
):
    for user in (org_dept, township_secretary, clerk_a):
        with django_assert_num_queries(4):  # villages, quota rule, terms, the histogram
            coverage.village_coverage(user, year=YEAR, today=TODAY)


def test_drill_down_from_district_to_township_to_village(village, client_for, org_dept, tree):
    client = client_for(org_dept)
    district = client.get(reverse("visit-coverage")).content.decode()
    assert "界石镇" in district and "南泉街道" in district and "桂花村" not in district
    township = client.get(reverse("visit-coverage") + f"?township={tree['township'].pk}").content.decode()
    assert "桂花村" in township and "石岗村" in township and "未录入届期" in township
    page = client.get(reverse("visit-coverage-village", args=[tree["village_a"].pk])).content.decode()
    assert "第十一届" in page


def test_coverage_pages_are_scoped(village, client_for, clerk_b, outsider, tree):
    client = client_for(outsider)
    assert client.get(reverse("visit-coverage-village", args=[tree["village_a"].pk])).status_code == 404
    assert client.get(reverse("visit-coverage") + f"?township={tree['township'].pk}").status_code == 404
    assert "桂花村" not in client.get(reverse("visit-coverage")).content.decode()
    assert (
        client_for(clerk_b).get(reverse("visit-coverage-village", args=[tree["village_a"].pk])).status_code
        == 404
    )


def test_coverage_page_query_counts(village, client_for, org_dept, tree, django_assert_num_queries):
    client = client_for(org_dept)
    client.get(reverse("visit-coverage"))  # warm the per-process caches, as the benchmark does
    with django_assert_num_queries(7):
        assert client.get(reverse("visit-coverage")).status_code == 200
    with django_assert_num_queries(7):
        client.get(reverse("visit-coverage-village", args=[tree["village_a"].pk]))


def test_a_scope_where_no_village_has_a_term(village, outsider, tree):
    household_with_head(organisation=tree["community"], head_name="社一", address="一栋1号")
    (row,) = coverage.village_coverage(outsider, year=YEAR, today=TODAY)
    assert row.village == tree["community"] and row.term is None
    assert (row.households, row.visited_in_term, row.visited_in_year, row.due) == (1, 0, 0, 0)
