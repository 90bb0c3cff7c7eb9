"""A member export too large for a request (the district's 40,800 took 27.7 s under load) runs as a
background job with the list's filter, for the starter's scope and masking; a small one downloads at once."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import Job
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_members(tree):
    MemberFactory(organisation=tree["village_a"], name="党员甲", phone="13800001111", gender="女")
    MemberFactory(organisation=tree["village_a"], name="党员乙", phone="13800002222", gender="男")
    MemberFactory(organisation=tree["village_b"], name="党员丙", phone="13800003333", gender="女")


def rows_of(response) -> list[dict]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content))["党员"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_over_the_limit_the_export_is_a_job_with_the_lists_filter(
    client_for, township_secretary, tree, settings, three_members
):
    settings.LIAISON_EXPORT_MAX_MEMBERS = 1
    client = client_for(township_secretary)
    response = client.get(reverse("member-export"), {"organisation": tree["village_a"].pk})
    job = Job.objects.get(kind="members.members_xlsx")
    assert response["Location"] == reverse("job-detail", args=[job.token])
    assert job.status == Job.Status.DONE and job.user == township_secretary, job.error
    rows = rows_of(client.get(reverse("job-download", args=[job.token])))
    assert sorted(row["姓名"] for row in rows) == ["党员乙", "党员甲"]  # village_a only, as filtered


def test_the_job_exports_what_its_starter_may_see_masked_as_they_see_it(
    client_for, clerk_b, org_dept, settings, three_members
):
    settings.LIAISON_EXPORT_MAX_MEMBERS = 0
    client_for(clerk_b).get(reverse("member-export"))
    job = Job.objects.get(user=clerk_b)
    rows = rows_of(client_for(clerk_b).get(reverse("job-download", args=[job.token])))
    assert [row["姓名"] for row in rows] == ["党员丙"]  # village_b's clerk: their own village only
    client_for(org_dept).get(reverse("member-export"))
    masked = rows_of(
        client_for(org_dept).get(reverse("job-download", args=[Job.objects.get(user=org_dept).token]))
    )
    assert len(masked) == 3 and all("****" in row["联系电话"] for row in masked)
    assert client_for(org_dept).get(reverse("job-download", args=[job.token])).status_code == 404


def test_within_the_limit_it_downloads_at_once(client_for, township_secretary, settings, three_members):
    settings.LIAISON_EXPORT_MAX_MEMBERS = 3
    response = client_for(township_secretary).get(reverse("member-export"))
    assert response.status_code == 200 and not Job.objects.exists()
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(rows_of(response)) == 3


def test_the_job_page_says_the_export_has_many_rows_not_pages(
    client_for, township_secretary, settings, three_members
):
    settings.LIAISON_EXPORT_MAX_MEMBERS = 1
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        response = client_for(township_secretary).get(reverse("member-export"), follow=True)
    assert Job.objects.get(kind="members.members_xlsx").status == Job.Status.QUEUED
    assert "行数较多，已转入后台生成" in response.text
    assert "页数较多" not in response.text
