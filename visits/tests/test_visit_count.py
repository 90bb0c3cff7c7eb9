"""The visit list's "共 N 条" is counted as its two disjoint halves (visits.scope.visit_sides: the visits
kept in the subtree, and those its members made outside it), and always equals the rows the list holds,
for every scope, with a filter, and with a search (which the list counts itself)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liaison.models import Organisation
from tests.factories import OrganisationFactory, PartyMemberFactory, UserFactory, household_with_head
from visits.tests.factories import visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(tree, org_dept):
    """村A's secretary visits 村A twice (2025, 2026) and 南泉社区 once (another township: outside
    界石镇); 村B's secretary visits 村A once; 南泉社区's own member visits it once."""
    village_a = household_with_head(organisation=tree["village_a"], head_name="王喆", address="一组1号")
    community = household_with_head(organisation=tree["community"], head_name="赵敏", address="南泉1号")
    a = PartyMemberFactory(organisation=tree["village_a"], name="陈国华")
    b = PartyMemberFactory(organisation=tree["village_b"], name="邻村书记")
    c = PartyMemberFactory(organisation=tree["community"], name="社区书记")
    visit(org_dept, village_a, a, on=datetime.date(2025, 5, 1))
    visit(org_dept, village_a, a, on=datetime.date(2026, 3, 1))
    visit(org_dept, community, a, on=datetime.date(2026, 3, 2))
    visit(org_dept, village_a, b, on=datetime.date(2026, 3, 3))
    visit(org_dept, community, c, on=datetime.date(2026, 3, 4))


def listed(client, **params) -> tuple[int, int]:
    """(the count the page shows, the visits the list holds across its pages)."""
    response = client.get(reverse("visit-list"), params)
    page = response.context["page"]
    assert f"共 {page.paginator.count:,} 条" in response.text
    held = sum(
        len(client.get(reverse("visit-list"), {**params, "page": n}).context["page"].object_list)
        for n in page.paginator.page_range
    )
    return page.paginator.count, held


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("clerk_a", 4),  # the 3 kept in 村A, and its secretary's visit to 南泉社区
        ("clerk_b", 1),  # only its secretary's visit to 村A (the visitor's side)
        ("township_secretary", 4),  # 村A's 3 and its member's visit to 南泉社区 (outside the township)
        ("outsider", 2),  # 南泉社区's two
        ("org_dept", 5),
    ],
)
def test_each_scope_counts_both_halves(client_for, request, visits, persona, expected, settings):
    settings.LIAISON_PAGE_SIZE = 2
    client = client_for(request.getfixturevalue(persona))
    assert listed(client) == (expected, expected)


def test_a_filter_narrows_both_halves(client_for, township_secretary, org_dept, visits, tree):
    assert listed(client_for(township_secretary), year=2026) == (3, 3)
    assert listed(client_for(township_secretary), year=2025) == (1, 1)
    assert listed(client_for(org_dept), organisation=tree["community"].pk) == (2, 2)


def test_a_search_is_counted_by_the_list_itself(client_for, township_secretary, visits):
    assert listed(client_for(township_secretary), q="陈国华") == (3, 3)
    assert listed(client_for(township_secretary), q="赵敏") == (1, 1)


def test_a_second_district_is_outside_the_first_and_its_visits_by_our_members_are_not(
    client_for, org_dept, tree, visits
):
    """The 组织部 of a one-district database reads every visit unfiltered (sees_whole_tree). Once another
    district shares the database, that district's own visits leave the list, and a visit one of our
    members made there joins it (the visitor's side)."""
    other = OrganisationFactory(name="綦江区", code="qj", level=Organisation.Level.DISTRICT)
    village = OrganisationFactory(name="古南村", code="qj-gn", level=Organisation.Level.VILLAGE, parent=other)
    household = household_with_head(organisation=village, head_name="钱多", address="古南1号")
    ours = PartyMemberFactory(organisation=tree["village_a"], name="出差党员")
    theirs = PartyMemberFactory(organisation=village, name="綦江党员")
    installer = UserFactory(username="installer", role="", organisation=None, is_superuser=True)
    visit(installer, household, theirs, on=datetime.date(2026, 4, 1))
    visit(installer, household, ours, on=datetime.date(2026, 4, 2))

    assert listed(client_for(org_dept)) == (6, 6)  # our 5, and our member's visit to 古南村
    their_dept = UserFactory(username="qj_dept", role="org_dept", organisation=other)
    assert listed(client_for(their_dept)) == (2, 2)  # 古南村's two
    assert listed(client_for(org_dept), q="钱多") == (1, 1)
