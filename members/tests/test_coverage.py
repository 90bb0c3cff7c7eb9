"""Coverage per 镇街: 党组织100%覆盖 (联线) and 贫困群众100%覆盖 (a pairing), counted in SQL."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from django.urls import reverse

from liaison.models import HouseholdTag
from members.models import UnitPairing
from members.selectors.coverage import (
    coverage_by_township,
    uncovered_organisations,
    uncovered_poor_households,
)
from members.tests.factories import pairing, poor, unit_pairing
from tests.factories import household_with_head

pytestmark = pytest.mark.django_db
K = UnitPairing.Kind


@pytest.fixture
def district(tree, unit, two_new, member_a, member_out):
    """界石镇: 桂花村 has a 联线, 石岗村 only an ended one. 南泉街道: 南泉社区 has one.

    Poor households: 桂花村 three (one paired, one with 党员结对, one with an ended pairing, i.e. uncovered),
    one of them tagged twice; 石岗村 one uncovered; 南泉社区 one paired. Non-poor households never count.
    """
    helper = unit["branch"]
    unit_pairing(K.LIAISON_LINE, helper, target_organisation=tree["village_a"])
    unit_pairing(
        K.LIAISON_LINE,
        helper,
        target_organisation=tree["village_b"],
        status="ended",
        ended_on=datetime.date(2025, 1, 1),
    )
    unit_pairing(K.WORKER_FARMER, two_new, target_organisation=tree["village_b"])  # not a 联线
    unit_pairing(K.LIAISON_LINE, helper, target_organisation=tree["community"])
    a = [poor(household_with_head(organisation=tree["village_a"], address=f"一组{i}号")) for i in range(3)]
    a[0].tags.add(HouseholdTag.objects.get(name="低保户"))  # two poor tags, still one household
    pairing(a[0], member_a)
    unit_pairing(K.MEMBER_PAIRING, helper, target_household=a[1], members=[member_a])
    pairing(a[2], member_a, status="ended", ended_on=datetime.date(2025, 6, 1))
    b = poor(household_with_head(organisation=tree["village_b"], address="二组1号"))
    c = poor(household_with_head(organisation=tree["community"], address="虹桥路1号"))
    pairing(c, member_out)
    not_poor = household_with_head(organisation=tree["village_a"], address="三组1号")
    not_poor.tags.add(HouseholdTag.objects.get(name="空巢老人"))
    return {"a": a, "b": b, "c": c}


def test_counts_per_township(org_dept, tree, district):
    rows, total = coverage_by_township(org_dept)
    by_name = {row.township.name: row for row in rows}
    jieshi, nanquan = by_name["界石镇"], by_name["南泉街道"]
    assert (jieshi.organisations.covered, jieshi.organisations.total) == (1, 2)
    assert (jieshi.poor.covered, jieshi.poor.total) == (2, 4)
    assert jieshi.poor.share == Fraction(1, 2) and not jieshi.poor.complete
    assert (nanquan.organisations.covered, nanquan.organisations.total) == (1, 1)
    assert nanquan.poor.complete and nanquan.organisations.complete
    assert (total.organisations.covered, total.organisations.total) == (2, 3)
    assert (total.poor.covered, total.poor.total) == (3, 5)


def test_scope_limits_the_counts(clerk_a, tree, district):
    rows, total = coverage_by_township(clerk_a)
    assert [r.township for r in rows] == [tree["township"]]
    assert (total.organisations.covered, total.organisations.total) == (1, 1)
    assert (total.poor.covered, total.poor.total) == (2, 3)


def test_uncovered_lists(org_dept, tree, district):
    assert list(uncovered_organisations(org_dept)) == [tree["village_b"]]
    assert set(uncovered_poor_households(org_dept)) == {district["a"][2], district["b"]}
    assert list(uncovered_poor_households(org_dept, tree["other_township"])) == []


def test_page_and_query_count(client_for, org_dept, tree, district, django_assert_num_queries):
    client = client_for(org_dept)
    # session, user with the scope root, 2 coverage aggregates, townships, uncovered villages, households count
    # + page, their tags, and the user's own permissions once (组织部 has no add_pairing by role; the backend
    # asks the permission tables, user and group grants in one query)
    with django_assert_num_queries(10):
        response = client.get(reverse("coverage"))
    assert response.status_code == 200
    assert "50.0%" in response.text and "66.7%" in response.text
    with django_assert_num_queries(11):  # + the township asked for
        response = client.get(reverse("coverage"), {"township": tree["township"].pk})
    assert [h.pk for h in response.context["households"]] == sorted(
        [district["a"][2].pk, district["b"].pk], key=lambda pk: pk != district["a"][2].pk
    )


def test_another_township_in_the_query_is_404(client_for, clerk_a, tree, district):
    assert (
        client_for(clerk_a).get(reverse("coverage"), {"township": tree["other_township"].pk}).status_code
        == 404
    )


def test_query_count_does_not_grow_with_the_district(
    client_for, org_dept, tree, unit, django_assert_num_queries
):
    for i in range(30):
        household = poor(
            household_with_head(organisation=tree["village_a" if i % 2 else "community"], address=f"{i}号")
        )
        if i % 3:
            unit_pairing(K.MEMBER_PAIRING, unit["branch"], target_household=household)
    client = client_for(org_dept)
    with django_assert_num_queries(10):
        client.get(reverse("coverage"))


def test_the_dashboard_panel_total_is_the_coverage_page_total(
    org_dept, township_secretary, clerk_a, district
):
    """The panel reads both totals in one query; they are the coverage page's bottom line."""
    from members.selectors.coverage import coverage_by_township, coverage_total

    for user in (org_dept, township_secretary, clerk_a):
        assert coverage_total(user) == coverage_by_township(user)[1]
