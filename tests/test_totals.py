"""Stored per-organisation totals (the dashboards' figures) never drift from a fresh count.

After every kind of write — create, edit, tags, 迁出/死亡 of a resident or a household, restore, a move
between villages, a deleted row, the Excel import, the purge, a deleted tag, a save in the admin — the
stored totals equal the rows counted again, and the dashboard shows the same figures as counting the
rows would. `rebuild_totals --check` finds a drift made behind the application's back, and
`rebuild_totals` repairs it.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse

from liaison import retention, selectors, totals
from liaison.access.scoping import scoped
from liaison.models import Household, HouseholdTag, OrganisationTotals, Resident
from tests.factories import HouseholdFactory, ResidentFactory, household_with_head
from tests.forms_utils import form_fields
from tests.test_households import new_household_post

pytestmark = pytest.mark.django_db


def counted(user) -> dict:
    """The dashboard's figures counted from the rows, as the dashboard did before it stored them."""
    households = scoped(Household.objects.all(), user)
    residents = scoped(Resident.objects.all(), user, via="household__organisation")
    return {
        "households": households.count(),
        "households_with_away": households.filter(
            residents__is_away=True, residents__archived_on__isnull=True
        )
        .distinct()
        .count(),
        "residents": residents.count(),
        "party_residents": residents.filter(is_party_member=True).count(),
        "tags": {
            row["tags__name"]: row["n"]
            for row in households.filter(tags__isnull=False).values("tags__name").annotate(n=Count("id"))
        },
    }


def shown(user) -> dict:
    figures = selectors.dashboard(user=user)
    return {**figures.totals, "tags": {row["tag__name"]: row["n"] for row in figures.tags}}


def assert_exact(*users) -> None:
    assert totals.drift() == []
    for user in users:
        assert shown(user) == counted(user), user.username


@pytest.fixture
def village(tree, clerk_a):
    """Three households of 村A: one with a party member and someone away, one tagged 低保户."""
    low = HouseholdTag.objects.get(name="低保户")
    first = household_with_head(organisation=tree["village_a"], head_name="王一", address="一组1号")
    ResidentFactory(household=first, name="王外出", relation="child", is_away=True, is_party_member=True)
    second = household_with_head(organisation=tree["village_a"], head_name="李二", address="一组2号")
    second.tags.add(low)
    third = household_with_head(organisation=tree["village_a"], head_name="赵三", address="一组3号")
    return {"first": first, "second": second, "third": third, "low": low}


def test_saves_keep_the_totals_from_the_first_household(village, clerk_a, org_dept, township_secretary):
    stored = OrganisationTotals.objects.get(organisation=clerk_a.organisation)
    assert (stored.households, stored.residents, stored.party_residents, stored.households_with_away) == (
        3,
        4,
        1,
        1,
    )
    assert_exact(clerk_a, township_secretary, org_dept)


def test_create_through_the_form(client_for, clerk_a, org_dept, tree, village):
    client = client_for(clerk_a)
    data = new_household_post(client, tree["village_a"], **{"residents-1-is_party_member": "on"})
    assert client.post(reverse("household-create"), data).status_code == 302
    assert shown(org_dept)["households"] == 4 and shown(org_dept)["party_residents"] == 2
    assert_exact(clerk_a, org_dept)


def test_edit_residents_and_tags_through_the_form(client_for, clerk_a, org_dept, village):
    client = client_for(clerk_a)
    url = reverse("household-update", args=[village["third"].pk])
    data = form_fields(client.get(url).text)
    data.update(
        {
            "tags": [str(village["low"].pk), str(HouseholdTag.objects.get(name="空巢老人").pk)],
            "residents-TOTAL_FORMS": "2",
            "residents-1-name": "赵外出",
            "residents-1-relation": "child",
            "residents-1-gender": "M",
            "residents-1-age": "30",
            "residents-1-is_away": "on",
            "residents-1-away_location": "广东省东莞市",
        }
    )
    assert client.post(url, data).status_code == 302, client.post(url, data).text[-2000:]
    assert shown(clerk_a)["households_with_away"] == 2
    assert shown(clerk_a)["tags"] == {"低保户": 2, "空巢老人": 1}
    assert_exact(clerk_a, org_dept)


def test_a_deleted_row_and_a_departure_in_the_edit_form(client_for, clerk_a, org_dept, village):
    first = village["first"]
    ResidentFactory(household=first, name="错录行", relation="child")
    client = client_for(clerk_a)
    url = reverse("household-update", args=[first.pk])
    data = form_fields(client.get(url).text)
    index = {v: k.split("-")[1] for k, v in data.items() if k.endswith("-name")}
    data[f"residents-{index['错录行']}-DELETE"] = "on"
    data[f"residents-{index['王外出']}-departure"] = "moved_away"  # 迁出: the away party member leaves
    data[f"residents-{index['王外出']}-departed_on"] = "2026-02-01"
    assert client.post(url, data).status_code == 302
    assert shown(clerk_a)["residents"] == 3
    assert shown(clerk_a)["party_residents"] == 0 and shown(clerk_a)["households_with_away"] == 0
    assert_exact(clerk_a, org_dept)


def test_archive_and_restore(clerk_a, org_dept, village):
    retention.household_archive(user=clerk_a, household=village["second"], reason="moved_away")
    assert shown(clerk_a)["households"] == 2 and shown(clerk_a)["tags"] == {}
    assert_exact(clerk_a, org_dept)
    away = Resident.objects.get(name="王外出")
    retention.resident_archive(user=clerk_a, resident=away, reason="deceased", on=datetime.date(2026, 3, 1))
    assert shown(clerk_a)["residents"] == 2
    assert_exact(clerk_a, org_dept)
    retention.household_restore(household=village["second"])
    retention.resident_restore(resident=away)
    assert shown(clerk_a)["households"] == 3 and shown(clerk_a)["residents"] == 4
    assert_exact(clerk_a, org_dept)


def test_archive_through_the_form(client_for, clerk_a, org_dept, village):
    client = client_for(clerk_a)
    url = reverse("household-archive", args=[village["first"].pk])
    data = form_fields(client.get(url).text)
    data.update({"reason": "deceased", "archived_on": "2026-01-15"})
    assert client.post(url, data).status_code == 302
    assert shown(clerk_a)["households"] == 2 and shown(clerk_a)["households_with_away"] == 0
    assert_exact(clerk_a, org_dept)


def test_move_between_villages(client_for, township_secretary, clerk_a, clerk_b, org_dept, tree, village):
    client = client_for(township_secretary)
    url = reverse("household-update", args=[village["second"].pk])
    data = form_fields(client.get(url).text)
    data["organisation"] = str(tree["village_b"].pk)
    assert client.post(url, data).status_code == 302
    assert Household.objects.get(pk=village["second"].pk).organisation == tree["village_b"]
    assert shown(clerk_a)["households"] == 2 and shown(clerk_b)["households"] == 1
    assert shown(clerk_b)["tags"] == {"低保户": 1}
    assert shown(township_secretary)["households"] == 3
    assert_exact(clerk_a, clerk_b, township_secretary, org_dept)


def test_a_moved_resident_is_counted_in_its_new_village(clerk_a, clerk_b, household_b, village):
    """Not a page of the application, but any save() keeps the totals: the admin's, the shell's."""
    resident = Resident.objects.get(name="王外出")
    resident.household = household_b
    resident.save()
    assert shown(clerk_b)["residents"] == 2 and shown(clerk_a)["residents"] == 3
    assert_exact(clerk_a, clerk_b)


def test_the_admin(client, admin_user, clerk_a, clerk_b, tree, village):
    client.force_login(admin_user)
    url = reverse("admin:liaison_household_change", args=[village["third"].pk])
    data = form_fields(client.get(url).text)
    data["organisation"] = str(tree["village_b"].pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.text[-3000:]
    assert shown(clerk_b)["households"] == 1
    assert_exact(clerk_a, clerk_b)


def test_tags_added_from_the_tag_side_and_a_deleted_tag(clerk_a, org_dept, village):
    elderly = HouseholdTag.objects.get(name="空巢老人")
    elderly.households.add(village["first"], village["third"])
    assert shown(clerk_a)["tags"] == {"低保户": 1, "空巢老人": 2}
    assert_exact(clerk_a, org_dept)
    elderly.households.remove(village["first"])
    assert_exact(clerk_a, org_dept)
    elderly.households.clear()
    assert shown(clerk_a)["tags"] == {"低保户": 1}
    village["low"].delete()
    assert shown(clerk_a)["tags"] == {}
    assert_exact(clerk_a, org_dept)


def test_purge(client_for, clerk_a, org_dept, village):
    household = village["first"]
    retention.household_archive(user=clerk_a, household=household, reason="moved_away")
    cutoff = retention.purge_cutoff(datetime.date.today())
    Household.all_objects.filter(pk=household.pk).update(archived_on=cutoff)  # past the retention period
    gone = ResidentFactory(household=village["third"], name="赵已故", relation="parent", is_party_member=True)
    retention.resident_archive(user=clerk_a, resident=gone, reason="deceased")
    Resident.all_objects.filter(pk=gone.pk).update(archived_on=cutoff)
    response = client_for(org_dept).post(reverse("household-purge-due"), {"reason": "保存期满"})
    assert response.status_code == 302
    assert not Household.all_objects.filter(pk=household.pk).exists()
    assert not Resident.all_objects.filter(pk=gone.pk).exists()
    assert shown(org_dept)["households"] == 2
    assert_exact(clerk_a, org_dept)


def test_the_excel_import(client_for, clerk_a, org_dept, tree, village):
    from members.tests.factories import branch
    from members.tests.import_utils import upload, workbook_bytes

    branch(tree["village_a"], "桂花村第一党支部", "js-gh-1")
    client = client_for(clerk_a)
    response = client.post(reverse("import-upload"), {"file": upload(workbook_bytes(), "导入.xlsx")})
    assert response.status_code == 302
    from members.models import ImportBatch

    batch = ImportBatch.objects.latest("id")
    response = client.post(reverse("import-commit", args=[batch.token]), follow=True)
    assert "导入完成" in response.text
    assert shown(clerk_a)["households"] == 6
    assert_exact(clerk_a, org_dept)


def test_rebuild_totals_finds_and_repairs_a_drift(capsys, clerk_a, org_dept, village):
    call_command("rebuild_totals", "--check")
    # Behind the application's back: SQL that sends no signal.
    Household.objects.filter(pk=village["third"].pk).update(
        archived_on=datetime.date(2026, 1, 1), archive_reason="other"
    )
    OrganisationTotals.objects.filter(organisation=clerk_a.organisation).update(party_residents=9)
    with pytest.raises(CommandError, match="3 处不一致"):
        call_command("rebuild_totals", "--check")
    out = capsys.readouterr().out
    assert "households: 存 3，实 2" in out and "residents: 存 4，实 3" in out
    assert "party_residents: 存 9，实 1" in out
    call_command("rebuild_totals")
    assert_exact(clerk_a, org_dept)


def test_a_failed_save_leaves_the_totals_as_they_were(clerk_a, village):
    before = shown(clerk_a)
    with pytest.raises(RuntimeError), transaction.atomic(), totals.deferred():
        HouseholdFactory(organisation=clerk_a.organisation, head_name="回滚", address="一组9号")
        raise RuntimeError
    assert shown(clerk_a) == before
    assert_exact(clerk_a)


def test_stray_households_outside_a_village_are_listed_and_counted(org_dept, tree, village):
    """The admin lets a superuser put a household on a township: the list shows where it is, so the
    rows always add up to the totals."""
    household_with_head(organisation=tree["township"], head_name="镇直户", address="镇政府旁")
    figures = selectors.dashboard(user=org_dept)
    listed = {org.name: org.household_count for org in figures.grassroots}
    assert listed["界石镇"] == 1 and sum(listed.values()) == figures.totals["households"] == 4
    assert_exact(org_dept)


def test_dashboard_page_shows_the_stored_figures(client_for, township_secretary, village):
    page = client_for(township_secretary).get("/").text
    assert "桂花村" in page and "低保户" in page
    figures = selectors.dashboard(user=township_secretary)
    assert [org.household_count for org in figures.grassroots if org.name == "桂花村"] == [3]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_saving_in_one_village_at_once_lose_no_count(tree):
    """Each write recounts under a lock on the village's totals row: the second waits for the first to
    commit and counts what it wrote (without the lock both would count 1 and store 1)."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            with transaction.atomic(), totals.deferred():
                household_with_head(
                    organisation=tree["village_a"], head_name=f"并发{index}", address=f"{index}号"
                )
                barrier.wait()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert OrganisationTotals.objects.get(organisation=tree["village_a"]).households == 2
    assert totals.drift() == []


def test_counts_match_the_definitions_the_lists_use(village, clerk_a):
    """Archived residents and residents of archived households are out, as on every list."""
    retention.household_archive(user=clerk_a, household=village["first"], reason="moved_away")
    stored = OrganisationTotals.objects.get(organisation=clerk_a.organisation)
    assert (
        stored.residents == Resident.objects.filter(household__organisation=clerk_a.organisation).count() == 2
    )
    assert stored.households_with_away == 0
    assert not Resident.objects.filter(Q(is_away=True)).exists()
