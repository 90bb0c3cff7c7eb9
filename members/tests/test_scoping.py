"""Every URL of the members app: another subtree's record is 404 (pages, forms, PDFs, exports, lookups),
anonymous users go to the login page, and the 组织部 reads but does not write."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from liaison.models import Role
from members.models import ImportBatch, LiaisonPoint, Post, PostAssignment, UnitPairing
from members.tests.factories import pairing, poor, record, unit_pairing
from tests.factories import UserFactory
from tests.xlsx_utils import read_sheet

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def records_b(tree, branches, member_b, household_b, unit):
    """Records that belong to 石岗村 only (its member, its household, its post)."""
    post = Post.objects.create(organisation=tree["village_b"], name="政策宣讲", responsibilities="宣讲")
    return {
        "member": member_b,
        "pairing": pairing(household_b, member_b),
        "unit_pairing": unit_pairing(
            UnitPairing.Kind.MEMBER_PAIRING,
            unit["branch"],
            target_household=poor(household_b),
            members=[member_b],
        ),
        "point": LiaisonPoint.objects.create(
            leader=member_b, organisation=tree["village_b"], started_on=D(2025, 1, 1)
        ),
        "post": post,
        "assignment": PostAssignment.objects.create(post=post, member=member_b, start_date=D(2025, 1, 1)),
    }


# (url name, record key) for every URL that shows or changes one record.
RECORD_URLS = [
    ("member-detail", "member"),
    ("member-update", "member"),
    ("pairing-detail", "pairing"),
    ("pairing-update", "pairing"),
    ("pairing-pdf", "pairing"),
    ("unitpairing-detail", "unit_pairing"),
    ("unitpairing-update", "unit_pairing"),
    ("unitrecord-create", "unit_pairing"),
    ("point-detail", "point"),
    ("point-update", "point"),
    ("point-contact-create", "point"),
    ("post-detail", "post"),
    ("post-update", "post"),
    ("post-assign", "post"),
    ("post-holder-update", "assignment"),
    ("post-holder-report", "assignment"),
]
POST_ONLY = {"unitrecord-create", "point-contact-create"}


def fetch(client, url_name: str, pk: int):
    url = reverse(url_name, args=[pk])
    return client.post(url, {}) if url_name in POST_ONLY else client.get(url)


@pytest.mark.parametrize(("url_name", "key"), RECORD_URLS)
def test_sibling_village_record_is_404(client_for, clerk_a, records_b, url_name, key):
    assert fetch(client_for(clerk_a), url_name, records_b[key].pk).status_code == 404


@pytest.mark.parametrize(("url_name", "key"), RECORD_URLS)
def test_other_township_record_is_404(client_for, outsider, records_b, url_name, key):
    assert fetch(client_for(outsider), url_name, records_b[key].pk).status_code == 404


@pytest.mark.parametrize(("url_name", "key"), [(u, k) for u, k in RECORD_URLS if u not in POST_ONLY])
def test_visible_to_the_township_above(client_for, township_secretary, records_b, url_name, key):
    assert fetch(client_for(township_secretary), url_name, records_b[key].pk).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "key"),
    [
        (u, k)
        for u, k in RECORD_URLS
        if "update" not in u and u not in POST_ONLY and u not in ("post-assign", "post-holder-report")
    ],
)
def test_org_dept_reads_everything(client_for, org_dept, records_b, url_name, key):
    assert fetch(client_for(org_dept), url_name, records_b[key].pk).status_code == 200


@pytest.mark.parametrize(
    "url_name", ["member-create", "pairing-create", "unitpairing-create", "point-create", "post-create"]
)
def test_org_dept_cannot_write(client_for, org_dept, url_name):
    assert client_for(org_dept).get(reverse(url_name)).status_code == 403


def test_the_unit_sees_its_own_pairing_from_the_helper_side(client_for, unit, records_b):
    unit_clerk = UserFactory(role=Role.CLERK, organisation=unit["unit"])
    client = client_for(unit_clerk)
    assert client.get(reverse("unitpairing-detail", args=[records_b["unit_pairing"].pk])).status_code == 200
    assert client.get(reverse("pairing-detail", args=[records_b["pairing"].pk])).status_code == 404


LISTS = [
    "member-list",
    "pairing-list",
    "unitpairing-list",
    "point-list",
    "post-list",
    "coverage",
    "import-home",
]


@pytest.mark.parametrize("url_name", LISTS)
def test_lists_show_only_the_subtree(client_for, clerk_a, records_b, url_name):
    text = client_for(clerk_a).get(reverse(url_name)).text
    assert "王国华" not in text and "李堃" not in text


def test_exports_contain_only_the_subtree(client_for, clerk_a, member_a, household_a, records_b):
    client = client_for(clerk_a)
    pairing(household_a, member_a)
    assert [r["姓名"] for r in read_sheet(client.get(reverse("member-export")), "党员")] == ["张德明"]
    assert [r["户主"] for r in read_sheet(client.get(reverse("pairing-export")), "结对帮扶")] == ["王喆"]


def test_lookups_answer_only_within_the_scope(
    client_for, clerk_a, member_a, household_a, records_b, household_b
):
    client = client_for(clerk_a)
    members = json.loads(client.get(reverse("members-member-lookup"), {"q": "王"}).content)["results"]
    assert members == []
    members = json.loads(client.get(reverse("members-member-lookup"), {"q": "zdm"}).content)["results"]
    assert [m["id"] for m in members] == [member_a.pk]
    households = json.loads(client.get(reverse("members-household-lookup"), {"q": "李堃"}).content)["results"]
    assert households == []
    households = json.loads(client.get(reverse("members-household-lookup"), {"q": "王喆"}).content)["results"]
    assert [h["id"] for h in households] == [household_a.pk]
    poor_only = json.loads(
        client.get(reverse("members-household-lookup"), {"q": "王喆", "poor": "1"}).content
    )
    assert poor_only["results"] == []


def test_cards_of_another_village_are_404(client_for, clerk_a, tree, records_b):
    assert (
        client_for(clerk_a)
        .get(reverse("pairing-cards-pdf"), {"organisation": tree["village_b"].pk})
        .status_code
        == 404
    )


def test_an_import_of_another_user_is_404(client, client_for, clerk_a, clerk_b, tree):
    batch = ImportBatch.objects.create(
        user=clerk_b, organisation=tree["village_b"], filename="x.xlsx", size=1, sha256="0"
    )
    client = client_for(clerk_a)
    for name in ("import-preview", "import-commit", "import-discard"):
        response = (
            client.get(reverse(name, args=[batch.token]))
            if name == "import-preview"
            else client.post(reverse(name, args=[batch.token]))
        )
        assert response.status_code == 404, name


def test_the_import_log_shows_only_the_subtree(client_for, clerk_a, clerk_b, tree):
    ImportBatch.objects.create(
        user=clerk_b,
        organisation=tree["village_b"],
        filename="石岗村.xlsx",
        size=1,
        sha256="0",
        status=ImportBatch.Status.COMMITTED,
    )
    assert "石岗村.xlsx" not in client_for(clerk_a).get(reverse("import-home")).text


ALL_URLS = [
    reverse("member-list"),
    reverse("member-create"),
    reverse("member-export"),
    "/members/1/",
    "/members/1/edit/",
    reverse("members-member-lookup"),
    reverse("members-household-lookup"),
    reverse("pairing-list"),
    reverse("pairing-create"),
    reverse("pairing-export"),
    reverse("pairing-cards-pdf"),
    "/pairings/1/",
    "/pairings/1/edit/",
    "/pairings/1/pdf/",
    reverse("unitpairing-list"),
    reverse("unitpairing-create"),
    "/unit-pairings/1/",
    "/unit-pairings/1/edit/",
    reverse("coverage"),
    reverse("point-list"),
    reverse("point-create"),
    "/liaison-points/1/",
    "/liaison-points/1/edit/",
    reverse("post-list"),
    reverse("post-create"),
    "/posts/1/",
    "/posts/1/edit/",
    "/posts/1/assign/",
    "/post-holders/1/edit/",
    "/post-holders/1/report/",
    reverse("import-home"),
    reverse("import-template"),
    "/imports/00000000-0000-0000-0000-000000000000/",
]


@pytest.mark.parametrize("url", ALL_URLS)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unit_records_are_scoped_too(client_for, clerk_a, records_b):
    record(records_b["unit_pairing"], D(2025, 5, 1), money="600")
    response = client_for(clerk_a).post(
        reverse("unitrecord-create", args=[records_b["unit_pairing"].pk]),
        {"date": "2025-06-01", "content": "x", "money": "1"},
    )
    assert response.status_code == 404 and records_b["unit_pairing"].records.count() == 1
