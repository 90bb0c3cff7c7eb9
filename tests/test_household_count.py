"""The household list's "共 N 户" comes from the stored totals when only a village or a tag narrows it
(liaison.selectors.stored_household_count), and is always the number of households the list holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.models import Household, HouseholdTag
from liaison.models.households import ArchiveReason
from liaison.retention import household_archive
from tests.factories import household_with_head

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(tree):
    made = [household_with_head(organisation=tree["village_a"], address=f"一组{i}号") for i in range(3)]
    made += [household_with_head(organisation=tree["village_b"], address=f"二组{i}号") for i in range(2)]
    made.append(household_with_head(organisation=tree["community"], address="南泉1号"))
    made[0].tags.add(HouseholdTag.objects.get(name="低保户"))
    made[3].tags.add(HouseholdTag.objects.get(name="低保户"))
    return made


def shown(client, **params) -> tuple[int, int]:
    """(the count the page shows, the households the list really holds, counted across its pages)."""
    response = client.get(reverse("household-list"), params)
    page = response.context["page"]
    assert f"共 {page.paginator.count:,} 户" in response.text
    held = 0
    for number in page.paginator.page_range:
        held += len(
            client.get(reverse("household-list"), {**params, "page": number}).context["page"].object_list
        )
    return page.paginator.count, held


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("clerk_a", 3), ("township_secretary", 5), ("org_dept", 6)],
)
def test_each_scope_counts_its_own_households(client_for, request, households, persona, expected, settings):
    settings.LIAISON_PAGE_SIZE = 2
    client = client_for(request.getfixturevalue(persona))
    assert shown(client) == (expected, expected)


def test_a_village_a_tag_and_both(client_for, org_dept, tree, households, settings):
    settings.LIAISON_PAGE_SIZE = 2
    client = client_for(org_dept)
    tag = HouseholdTag.objects.get(name="低保户").pk
    assert shown(client, organisation=tree["village_b"].pk) == (2, 2)
    assert shown(client, tag=tag) == (2, 2)
    assert shown(client, tag=tag, organisation=tree["village_a"].pk) == (1, 1)
    # the filters the totals do not hold are counted from the rows
    same_group = Household.objects.filter(group=households[0].group).count()
    assert shown(client, group=households[0].group) == (same_group, same_group)
    assert shown(client, q="一组1号", organisation=tree["village_a"].pk) == (1, 1)


def test_the_count_follows_an_archive_a_new_household_and_a_move(
    client_for, clerk_a, org_dept, tree, households
):
    client = client_for(org_dept)
    household_archive(user=clerk_a, household=households[1], reason=ArchiveReason.MOVED_AWAY)
    household_with_head(organisation=tree["village_b"], address="二组9号")
    moved = households[5]
    moved.organisation = tree["village_a"]
    moved.save()
    assert shown(client) == (6, 6)
    assert shown(client, organisation=tree["village_a"].pk) == (3, 3)
    assert shown(client, organisation=tree["village_b"].pk) == (3, 3)


def test_an_unfiltered_list_runs_no_count_over_households(client_for, org_dept, households):
    client = client_for(org_dept)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("household-list"))
    assert response.context["page"].paginator.count == 6
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if 'FROM "liaison_household"' in sql]


def test_a_bad_filter_value_is_counted_from_the_rows(client_for, org_dept, households):
    response = client_for(org_dept).get(reverse("household-list"), {"tag": "abc"})
    assert response.status_code == 200


def test_a_second_district_s_households_stay_out_of_the_first_s_list(client_for, org_dept, households):
    """The 组织部 of a one-district database lists households without a scope filter (sees_whole_tree);
    once another district shares the database, its households are not in the first one's list."""
    from liaison.models import Organisation
    from tests.factories import OrganisationFactory, UserFactory

    other = OrganisationFactory(name="綦江区", code="qj", level=Organisation.Level.DISTRICT)
    village = OrganisationFactory(name="古南村", code="qj-gn", level=Organisation.Level.VILLAGE, parent=other)
    household_with_head(organisation=village, head_name="钱多", address="古南1号")
    assert shown(client_for(org_dept)) == (6, 6)
    assert shown(client_for(org_dept), q="钱多") == (0, 0)
    their_dept = UserFactory(username="qj_dept", role="org_dept", organisation=other)
    assert shown(client_for(their_dept)) == (1, 1)


@pytest.mark.parametrize("persona", ["clerk_a", "org_dept"])
def test_a_search_counts_its_first_matches_only(client_for, request, tree, settings, monkeypatch, persona):
    """A search that finds more than SEARCH_CAP households says so, lists the first of them in the list's
    order, page after page, and asks for a narrower search; the list without a search counts them all."""
    monkeypatch.setattr("liaison.views.helpers.SEARCH_CAP", 3)
    settings.LIAISON_PAGE_SIZE = 2
    for i in range(5):
        household_with_head(
            organisation=tree["village_a"], head_name=f"张{'一二三四五'[i]}", address=f"三组{i}号"
        )
    household_with_head(organisation=tree["village_a"], head_name="李四", address="三组9号")
    client = client_for(request.getfixturevalue(persona))
    everyone = [h.pk for h in Household.objects.order_by("organisation__path", "sort_key", "id")]

    response = client.get(reverse("household-list"), {"q": "张"})
    page = response.context["page"]
    assert page.paginator.capped and page.paginator.count == 3 and page.paginator.num_pages == 2
    assert "找到超过 3 户，只列出前 3 户；请输入更完整的姓名，或选择村（社区）缩小范围" in response.text
    listed = [h.pk for h in page.object_list]
    listed += [
        h.pk
        for h in client.get(reverse("household-list"), {"q": "张", "page": 2}).context["page"].object_list
    ]
    matching = [pk for pk in everyone if Household.objects.get(pk=pk).head_name.startswith("张")]
    assert listed == matching[:3]

    exact = client.get(reverse("household-list"), {"q": "张一"})
    assert not exact.context["page"].paginator.capped and "共 1 户" in exact.text
    assert shown(client) == (6, 6)  # no search: every household counted, past the cap
