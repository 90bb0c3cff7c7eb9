"""Scoping: a user sees only their organisation's subtree; everything else answers 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.access.scoping import scoped, visible_organisations
from liaison.models import Household

# Every URL that shows one household's data. A new URL for one record goes here.
RECORD_URLS = ["household-detail", "household-update", "household-pdf"]


@pytest.mark.django_db
class TestVisibleOrganisations:
    def test_clerk_sees_own_village_only(self, clerk_a, tree):
        assert set(visible_organisations(clerk_a)) == {tree["village_a"]}

    def test_township_sees_its_villages(self, township_secretary, tree):
        assert set(visible_organisations(township_secretary)) == {
            tree["township"],
            tree["village_a"],
            tree["village_b"],
        }

    def test_org_dept_sees_all(self, org_dept, tree):
        assert set(visible_organisations(org_dept)) == set(tree.values())

    def test_anonymous_sees_nothing(self, tree):
        from django.contrib.auth.models import AnonymousUser

        assert not visible_organisations(AnonymousUser()).exists()

    def test_subtree_follows_a_move(self, tree, township_secretary):
        # 南泉社区 moves under 界石镇: the secretary there now sees it, at any depth.
        community = tree["community"]
        community.parent = tree["township"]
        community.save()
        assert community in set(visible_organisations(township_secretary))


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", RECORD_URLS)
def test_other_village_record_is_404(client_for, clerk_b, household_a, url_name):
    response = client_for(clerk_b).get(reverse(url_name, args=[household_a.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", RECORD_URLS)
def test_other_township_record_is_404(client_for, outsider, household_a, url_name):
    assert client_for(outsider).get(reverse(url_name, args=[household_a.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["household-detail", "household-pdf"])
@pytest.mark.parametrize("persona", ["clerk_a", "township_secretary", "org_dept"])
def test_record_visible_within_subtree(client_for, request, household_a, url_name, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse(url_name, args=[household_a.pk])).status_code == 200


@pytest.mark.django_db
def test_list_shows_only_subtree(client_for, clerk_a, household_a, household_b):
    response = client_for(clerk_a).get(reverse("household-list"))
    assert household_a.head_name in response.text
    assert household_b.head_name not in response.text


@pytest.mark.django_db
def test_township_list_shows_both_villages(client_for, township_secretary, household_a, household_b):
    response = client_for(township_secretary).get(reverse("household-list"))
    assert household_a.head_name in response.text and household_b.head_name in response.text


@pytest.mark.django_db
def test_export_contains_only_subtree(client_for, clerk_a, household_a, household_b):
    from tests.xlsx_utils import read_sheet

    response = client_for(clerk_a).get(reverse("household-export"))
    rows = read_sheet(response, "户")
    heads = [row["户主"] for row in rows]
    assert heads == [household_a.head_name]


@pytest.mark.django_db
def test_list_filter_by_foreign_village_is_refused(client_for, clerk_a, tree, household_b):
    # Asking for another village by id in the filter does not widen the scope.
    response = client_for(clerk_a).get(reverse("household-list"), {"organisation": tree["village_b"].pk})
    assert household_b.head_name not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboard"),
        reverse("household-list"),
        reverse("household-create"),
        reverse("household-export"),
        "/households/1/",
        "/households/1/pdf/",
    ],
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_scoped_queryset_helper(clerk_a, household_a, household_b):
    assert list(scoped(Household.objects.all(), clerk_a)) == [household_a]


@pytest.mark.django_db
def test_org_dept_cannot_create(client_for, org_dept):
    # 组织部 reads everything and writes only configuration.
    assert client_for(org_dept).get(reverse("household-create")).status_code == 403
