"""A pairing export too large for a request (the district's 20,000 took 97 s) runs as a background job
with the list's filter, for the starter's scope, instead of being refused; a small one downloads at once."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import Job
from members.tests.factories import MemberFactory, pairing
from tests.factories import household_with_head

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_pairings(tree):
    for n in range(3):
        village = tree["village_a" if n else "village_b"]
        household = household_with_head(organisation=village, address=f"{n}号")
        pairing(household, MemberFactory(organisation=village, name=f"党员{n}"))


def rows_of(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_over_the_limit_the_export_becomes_a_job_with_the_lists_filter(
    client_for, township_secretary, tree, settings, three_pairings
):
    settings.LIAISON_EXPORT_MAX_PAIRINGS = 1
    client = client_for(township_secretary)
    response = client.get(reverse("pairing-export"), {"organisation": tree["village_a"].pk, "status": ""})
    job = Job.objects.get(kind="members.pairings_xlsx")
    assert response["Location"] == reverse("job-detail", args=[job.token])
    assert job.status == Job.Status.DONE and job.user == township_secretary
    download = client.get(reverse("job-download", args=[job.token]))
    assert download.status_code == 200
    rows = rows_of(b"".join(download.streaming_content) if download.streaming else download.content)
    assert len(rows) == 3 and {row[4] for row in rows[1:]} == {"党员1", "党员2"}  # village_a only


def test_the_job_exports_only_what_its_starter_may_see(client_for, clerk_b, tree, settings, three_pairings):
    settings.LIAISON_EXPORT_MAX_PAIRINGS = 0
    client = client_for(clerk_b)  # village_b's clerk: one of the three pairings
    client.get(reverse("pairing-export"))
    job = Job.objects.get(kind="members.pairings_xlsx")
    download = client.get(reverse("job-download", args=[job.token]))
    rows = rows_of(b"".join(download.streaming_content) if download.streaming else download.content)
    assert [row[4] for row in rows[1:]] == ["党员0"]


def test_within_the_limit_it_downloads_at_once(
    client_for, township_secretary, tree, settings, three_pairings
):
    settings.LIAISON_EXPORT_MAX_PAIRINGS = 3
    response = client_for(township_secretary).get(reverse("pairing-export"))
    assert response.status_code == 200 and not Job.objects.exists()
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(rows_of(b"".join(response.streaming_content))) == 4
