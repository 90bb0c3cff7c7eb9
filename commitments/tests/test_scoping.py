"""Every commitments URL answers 404 for a record of another subtree (GET and POST), lists show only
the user's subtree, and the township sees what its villages do."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from commitments import services
from commitments.models import Assessment, Commitment, PersonalCommitment
from commitments.tests.factories import YEAR, adopt, approve, draft, now, published, tallies
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

COMMITMENT_URLS = [
    "commitment-detail",
    "commitment-update",
    "commitment-comment",
    "commitment-vote",
    "commitment-approve",
    "commitment-refuse",
    "commitment-publish",
    "commitment-progress",
    "commitment-revise",
    "commitment-withdraw",
]
ASSESSMENT_URLS = [
    "assessment-detail",
    "assessment-tallies",
    "assessment-check",
    "assessment-finalise",
    "assessment-publish",
]


@pytest.fixture
def records(clerk_a, township_secretary, tree):
    item = published(clerk_a, township_secretary, tree["village_a"], title="桂花村的承诺")
    note = services.progress_add(
        user=clerk_a, commitment=item, date=datetime.date(YEAR, 3, 1), content="进展", now=now(3, 1)
    )
    inspection = services.inspection_add(
        user=township_secretary,
        organisation=tree["village_a"],
        date=datetime.date(YEAR, 5, 1),
        inspectors="镇组织办",
        findings="正常",
        commitments=[item],
        now=now(5, 1),
    )
    assessment = services.assessment_record(
        user=township_secretary,
        organisation=tree["village_a"],
        year=YEAR,
        report_on=datetime.date(YEAR, 12, 1),
        tallies=tallies(80, 10, 10),
        now=now(12, 1),
    )
    member = MemberFactory(organisation=tree["village_a"], name="张德明")
    personal = services.personal_add(
        user=clerk_a,
        member=member,
        year=YEAR,
        content="修水管",
        deadline=datetime.date(YEAR, 9, 1),
        now=now(2, 1),
    )
    return {
        "commitment": item,
        "note": note,
        "inspection": inspection,
        "assessment": assessment,
        "personal": personal,
    }


def _urls(records, tree) -> list[str]:
    urls = [reverse(name, args=[records["commitment"].pk]) for name in COMMITMENT_URLS]
    urls += [reverse(name, args=[records["assessment"].pk]) for name in ASSESSMENT_URLS]
    urls += [
        reverse("progress-evidence", args=[records["note"].pk]),
        reverse("inspection-detail", args=[records["inspection"].pk]),
        f"{reverse('inspection-create')}?organisation={tree['village_a'].pk}",
        f"{reverse('assessment-create')}?organisation={tree['village_a'].pk}&year={YEAR}",
        reverse("personal-update", args=[records["personal"].pk]),
        reverse("personal-review", args=[records["personal"].pk]),
        reverse("commitment-pledge-pdf", args=[tree["village_a"].pk, YEAR]),
    ]
    return urls


def test_every_url_is_404_out_of_scope(client_for, outsider, records, tree):
    client = client_for(outsider)
    for url in _urls(records, tree):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert Commitment.objects.get(pk=records["commitment"].pk).state == "published"


def test_a_sibling_village_sees_nothing_of_its_neighbour(client_for, clerk_b, records, tree):
    client = client_for(clerk_b)
    for url in _urls(records, tree):
        assert client.get(url).status_code == 404, url
    for name in ("commitment-list", "assessment-list", "inspection-list", "personal-list"):
        page = client.get(reverse(name), {"year": YEAR}).content.decode()
        assert "桂花村的承诺" not in page and "张德明" not in page and "桂花村" not in page, name


def test_the_township_and_the_district_see_their_villages(
    client_for, township_secretary, org_dept, records, tree
):
    for user in (township_secretary, org_dept):
        client = client_for(user)
        assert "桂花村的承诺" in client.get(reverse("commitment-list")).content.decode()
        assert client.get(reverse("commitment-detail", args=[records["commitment"].pk])).status_code == 200
        assert client.get(reverse("assessment-detail", args=[records["assessment"].pk])).status_code == 200
        assert "修水管" in client.get(reverse("personal-list"), {"year": YEAR}).content.decode()


def test_the_organisation_department_reads_but_does_not_write(client_for, org_dept, records):
    client = client_for(org_dept)
    assert client.get(reverse("commitment-create")).status_code == 403
    assert client.get(reverse("commitment-vote", args=[records["commitment"].pk])).status_code == 403
    assert client.get(reverse("assessment-finalise", args=[records["assessment"].pk])).status_code == 403


def test_an_organisation_filter_outside_the_subtree_is_refused(client_for, clerk_a, outsider, tree, records):
    draft(outsider, tree["community"], title="南泉社区的承诺")
    client = client_for(clerk_a)
    response = client.get(reverse("commitment-list"), {"organisation": tree["community"].pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "南泉社区的承诺" not in page  # the choice is refused; the list stays the user's own
    assert "text-danger small mt-1" in page


def test_another_township_cannot_grade_or_approve(other_secretary, records, tree, clerk_a):
    """A secretary of 南泉街道 is above nothing of 界石镇: no approve, no assessment there."""
    item = adopt(clerk_a, draft(clerk_a, tree["village_a"]))
    with pytest.raises(PermissionDenied):  # not in the subtree at all
        approve(other_secretary, item)
    with pytest.raises(PermissionDenied):
        services.assessment_finalise(
            user=other_secretary,
            assessment=records["assessment"],
            final_grade="pass",
            finalised_on=datetime.date(YEAR, 12, 5),
        )
    assert Assessment.objects.get().final_grade == ""
    assert PersonalCommitment.objects.count() == 1
