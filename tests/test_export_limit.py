"""An export that would take longer than a request may (30 s) becomes a background job (issue 14; the
pairings' is in members/tests/test_pairing_export_job.py); one within the limit downloads as before."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import Job
from tests.factories import household_with_head

pytestmark = pytest.mark.django_db


def test_a_household_export_over_the_limit_runs_as_a_job_not_a_refusal(
    client_for, township_secretary, tree, settings
):
    """Issue 14: above LIAISON_EXPORT_MAX_HOUSEHOLDS the export is a background job (run at once in
    tests) whose file has every household of the filter; within the limit it downloads as before."""
    settings.LIAISON_EXPORT_MAX_HOUSEHOLDS = 2
    for n in range(3):
        household_with_head(organisation=tree["village_a" if n else "village_b"], address=f"{n}号")
    client = client_for(township_secretary)
    response = client.get(reverse("household-export"), {"tag": ""})
    assert response.status_code == 302
    assert response["Location"].startswith("/jobs/")
    job = Job.objects.get()
    assert (job.kind, job.status, job.user) == (
        "reports.households_xlsx",
        Job.Status.DONE,
        township_secretary,
    )
    download = client.get(reverse("job-download", args=[job.token]))
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert sum(1 for _ in workbook["户"].iter_rows(min_row=2)) == 3

    narrowed = client.get(reverse("household-export"), {"organisation": tree["village_a"].pk})
    assert narrowed.status_code == 200
    assert narrowed["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Job.objects.count() == 1
