"""A pairing's stored copy of its household's village and sort key (members.pairing_place) stays equal to
the household's after every kind of write, and the list that reads it is scoped and sorted right."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from liaison.models import Household, Organisation
from members.models import ImportBatch, Pairing
from members.pairing_place import follow_households
from members.tests.factories import MemberFactory, pairing
from members.tests.import_utils import HOUSEHOLDS, MEMBERS, RESIDENTS, upload, workbook_bytes
from tests.factories import OrganisationFactory, UserFactory, household_with_head
from tests.forms_utils import form_fields


def copies_match() -> bool:
    rows = Pairing.objects.values_list(
        "organisation_id", "household_sort_key", "household__organisation_id", "household__sort_key"
    )
    return all(
        org == household_org and key == household_key for org, key, household_org, household_key in rows
    )


@pytest.fixture
def paired(tree, branches):
    member = MemberFactory(organisation=branches["a"], name="刘党员")
    household = household_with_head(organisation=tree["village_a"], head_name="王喆", address="三组12号")
    return pairing(household, member)


def test_a_new_pairing_takes_its_households_place(paired, tree):
    assert paired.organisation == tree["village_a"]
    assert paired.household_sort_key == paired.household.sort_key != ""
    assert copies_match()


def test_moving_a_household_moves_its_pairing_to_the_new_villages_list(
    client_for, paired, township_secretary, clerk_a, clerk_b, tree
):
    secretary = client_for(township_secretary)
    url = reverse("household-update", args=[paired.household_id])
    data = form_fields(secretary.get(url).text)
    data.update({"organisation": str(tree["village_b"].pk), "group": "五组", "address": "石岗村五组3号"})
    assert secretary.post(url, data).status_code == 302

    paired.refresh_from_db()
    assert paired.organisation == tree["village_b"] and "石岗村" in paired.household_sort_key
    assert copies_match()
    # the new village's clerk lists it; the old village's clerk sees it only through the member (村A's branch)
    assert paired in client_for(clerk_b).get(reverse("pairing-list")).context["page"].object_list
    village_a = client_for(clerk_a).get(reverse("pairing-list"), {"organisation": tree["village_a"].pk})
    assert list(village_a.context["page"].object_list) == []


def test_an_import_that_changes_a_households_group_changes_its_pairings_sort_key(
    client_for, clerk_a, branches
):
    importer = client_for(clerk_a)

    def imported(households):
        content = workbook_bytes({"户": households, "家庭成员": RESIDENTS, "党员": MEMBERS})
        response = importer.post(reverse("import-upload"), {"file": upload(content)})
        assert response.status_code == 302
        assert "检查通过" in importer.get(response["Location"]).text
        batch = ImportBatch.objects.latest("id")
        assert importer.post(reverse("import-commit", args=[batch.token]), follow=True).status_code == 200

    imported(HOUSEHOLDS)
    zhou = Household.objects.get(head_name="周瑄")
    paired = pairing(zhou, MemberFactory(organisation=branches["a"]))
    households = copy.deepcopy(HOUSEHOLDS)
    households[0][1] = "九组"  # 小组: the sort key starts with it
    imported(households)

    paired.refresh_from_db()
    assert paired.household_sort_key == Household.objects.get(head_name="周瑄").sort_key
    assert paired.household_sort_key.startswith("000009组")
    assert copies_match()


def test_follow_households_repairs_copies_left_behind_by_a_bulk_write(paired, tree):
    Household.objects.filter(pk=paired.household_id).update(organisation=tree["village_b"], sort_key="x")
    assert not copies_match()
    assert follow_households([paired.household_id]) == 1
    assert copies_match()
    assert follow_households() == 0  # nothing left behind: no row is written again


def test_the_district_list_is_sorted_by_village_and_address_on_both_ends(
    client_for, org_dept, tree, branches, settings
):
    """The page is chosen on the stored copies and its rows read in one query (liaison.pagination `rows`);
    the second half of the list is read from the other end. Both give the list's own order."""
    settings.LIAISON_PAGE_SIZE = 2
    member = MemberFactory(organisation=branches["a"])
    for village, addresses in (
        (tree["village_b"], ("二组1号", "一组1号")),
        (tree["village_a"], ("三组1号", "一组9号")),
    ):
        for address in addresses:
            pairing(household_with_head(organisation=village, address=address, group=address[:2]), member)
    client = client_for(org_dept)
    shown = []
    for number in (1, 2):
        page = client.get(reverse("pairing-list"), {"page": number}).context["page"]
        shown += [(p.household.organisation.name, p.household.address) for p in page.object_list]
    assert shown == [
        ("桂花村", "一组9号"),
        ("桂花村", "三组1号"),
        ("石岗村", "一组1号"),
        ("石岗村", "二组1号"),
    ]


def test_the_copied_sort_key_stays_off_the_audit_trail(paired):
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(paired).get()
    assert "household_sort_key" not in entry.changes_dict and "help_content" in entry.changes_dict


def test_a_second_district_keeps_its_pairings_but_shows_those_of_our_members(
    client_for, org_dept, paired, tree
):
    """The 组织部 of a one-district database lists every pairing without building the visible sides
    (liaison.access.scoping.sees_whole_tree); with a second district in the database it lists its own,
    and the other district's pairing that one of its members helps."""
    other = OrganisationFactory(name="綦江区", code="qj", level=Organisation.Level.DISTRICT)
    village = OrganisationFactory(name="古南村", code="qj-gn", level=Organisation.Level.VILLAGE, parent=other)
    branch_there = OrganisationFactory(
        name="古南村党支部", code="qj-gn-1", level=Organisation.Level.BRANCH, parent=village
    )
    theirs = pairing(
        household_with_head(organisation=village, address="古南1号"), MemberFactory(organisation=branch_there)
    )
    helped = pairing(household_with_head(organisation=village, address="古南2号"), paired.members.get())

    def listed(user):
        return set(client_for(user).get(reverse("pairing-list")).context["page"].object_list)

    assert listed(org_dept) == {paired, helped}
    their_dept = UserFactory(username="qj_dept", role="org_dept", organisation=other)
    assert listed(their_dept) == {theirs, helped}
