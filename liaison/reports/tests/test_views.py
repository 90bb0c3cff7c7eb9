"""/reports/: who may start which workbook, the job and its file scoped like any record, two exports at
once, a dead worker, the 登记簿 of a unit with everything below it, and the opinion list's export."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from feedback.tests.factories import register
from liaison.jobs.services import WORKER_DIED
from liaison.models import Job

pytestmark = pytest.mark.django_db

YEAR = 2025


def start(client, organisation, year=YEAR):
    return client.post(reverse("report-index"), {"organisation": organisation.pk, "year": year})


def downloaded(client, job):
    response = client.get(reverse("job-download", args=[job.token]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_org_dept_starts_the_district_or_any_township(client_for, org_dept, tree):
    client = client_for(org_dept)
    page = client.get(reverse("report-index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "生成年度统计" in html and "南泉街道" in html and "统计报表" in html
    response = start(client, tree["other_township"])
    job = Job.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.token])
    assert (job.kind, job.status, job.params) == (
        "reports.annual_workbook",
        Job.Status.DONE,
        {"organisation": tree["other_township"].pk, "year": YEAR},
    )
    assert downloaded(client, job).sheetnames[:2] == ["总表", "南泉街道"]
    assert job.title in client.get(reverse("report-index")).content.decode()


def test_a_secretary_reports_on_their_subtree_only(client_for, township_secretary, other_secretary, tree):
    client = client_for(township_secretary)
    html = client.get(reverse("report-index")).content.decode()
    assert "界石镇" in html and "桂花村" in html and "南泉街道" not in html
    assert start(client, tree["other_township"]).status_code == 404
    assert start(client, tree["district"]).status_code == 404
    assert not Job.objects.exists()
    assert start(client, tree["village_a"]).status_code == 302
    job = Job.objects.get()
    assert downloaded(client, job)["总表"].cell(4, 1).value == "界石镇"
    # another township's secretary cannot see the job nor its file
    other = client_for(other_secretary)
    assert other.get(reverse("job-download", args=[job.token])).status_code == 404
    assert other.get(reverse("job-detail", args=[job.token])).status_code == 404


def test_clerks_do_not_report_and_bad_years_are_refused(client_for, clerk_a, township_secretary, tree):
    assert client_for(clerk_a).get(reverse("report-index")).status_code == 403
    client = client_for(township_secretary)
    response = client.post(reverse("report-index"), {"organisation": tree["township"].pk, "year": "1800"})
    assert response.status_code == 400
    assert "年度应在 2000 至 2100 之间" in response.content.decode()
    assert client.post(reverse("report-index"), {"organisation": "x", "year": "2025"}).status_code == 404
    assert not Job.objects.exists()


def test_two_exports_do_not_interfere(client_for, org_dept, tree):
    client = client_for(org_dept)
    start(client, tree["township"])
    start(client, tree["other_township"])
    first, second = Job.objects.order_by("pk")
    assert first.stored_name != second.stored_name
    assert downloaded(client, first).sheetnames[1] == "界石镇"
    assert downloaded(client, second).sheetnames[1] == "南泉街道"


def test_a_second_click_lands_on_the_running_job(client_for, org_dept, tree, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_for(org_dept)
    start(client, tree["township"])
    start(client, tree["township"])
    assert Job.objects.count() == 1
    start(client, tree["township"], year=YEAR - 1)
    assert Job.objects.count() == 2


def test_a_dead_worker_shows_the_workbook_job_as_failed(client_for, org_dept, tree, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_for(org_dept)
    start(client, tree["district"])
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        progress=40,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=settings.LIAISON_JOB_STALE_SECONDS + 1),
    )
    html = client.get(reverse("report-index")).content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error == WORKER_DIED
    assert WORKER_DIED in html


def test_the_register_from_reports_covers_the_unit_and_everything_below(
    client_for, township_secretary, clerk_a, tree
):
    register(clerk_a, received_on=datetime.date(YEAR, 4, 1))
    register(township_secretary, received_on=datetime.date(YEAR, 5, 1))
    client = client_for(township_secretary)
    html = client.get(reverse("report-index")).content.decode()
    assert f'action="{reverse("opinion-register")}"' in html and 'name="coverage" value="all"' in html
    page = client.get(
        reverse("opinion-register"), {"organisation": tree["township"].pk, "coverage": "all", "year": YEAR}
    )
    assert "共 <strong>2</strong> 条意见" in page.content.decode()
    xlsx = client.get(
        reverse("opinion-register-xlsx"),
        {"organisation": tree["township"].pk, "coverage": "all", "year": YEAR},
    )
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.active.max_row == 3


def test_the_opinion_list_exports_its_current_filter(client_for, clerk_a, township_secretary, outsider, tree):
    register(clerk_a, received_on=datetime.date(YEAR, 4, 1), reporter_name="王喆")
    register(clerk_a, received_on=datetime.date(YEAR, 4, 2), reporter_name="李堃", subject="路灯")
    register(outsider, received_on=datetime.date(YEAR, 4, 3), reporter_name="外村人")
    client = client_for(township_secretary)
    listing = client.get(reverse("opinion-list"), {"q": "王喆"}).content.decode()
    assert f'href="{reverse("report-opinions-xlsx")}?q=%E7%8E%8B%E5%96%86"' in listing
    response = client.get(reverse("report-opinions-xlsx"), {"q": "王喆"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[4] for r in rows[1:]] == ["王喆"]
    everything = client.get(reverse("report-opinions-xlsx"))
    names = {
        r[4]
        for r in list(load_workbook(io.BytesIO(b"".join(everything.streaming_content))).active.values)[1:]
    }
    assert names == {"王喆", "李堃"}  # never another township's
    # the secretary may see full numbers; the 组织部's export of the same list is masked (see privacy)


def test_a_large_opinion_export_runs_as_a_job(client_for, clerk_a, settings, tree):
    register(clerk_a, received_on=datetime.date(YEAR, 4, 1))
    register(clerk_a, received_on=datetime.date(YEAR, 4, 2))
    client = client_for(clerk_a)
    settings.LIAISON_EXPORT_MAX_OPINIONS = 2  # exactly the limit: still in the request
    at_limit = client.get(reverse("report-opinions-xlsx"), {"year": ""})
    assert at_limit.status_code == 200 and not Job.objects.exists()
    settings.LIAISON_EXPORT_MAX_OPINIONS = 1
    response = client.get(reverse("report-opinions-xlsx"), {"year": ""})
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.status) == ("reports.opinions_xlsx", Job.Status.DONE)
    assert downloaded(client, job).active.max_row == 3


def test_a_small_workbook_downloads_at_once_and_a_large_one_is_a_job(
    client_for, township_secretary, tree, settings
):
    client = client_for(township_secretary)
    url = reverse("report-annual-xlsx")
    small = client.get(url, {"organisation": tree["village_a"].pk, "year": YEAR})
    assert small.status_code == 200 and small["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(b"".join(small.streaming_content))).sheetnames[0] == "总表"
    assert not Job.objects.exists()
    settings.LIAISON_ANNUAL_REPORT_MAX_HOUSEHOLDS = -1
    large = client.get(url, {"organisation": tree["township"].pk, "year": YEAR})
    assert large.status_code == 302 and Job.objects.get().status == Job.Status.DONE
    assert client.get(url, {"organisation": tree["other_township"].pk, "year": YEAR}).status_code == 404
    assert client.get(url, {"organisation": tree["township"].pk, "year": "x"}).status_code == 400


def test_the_district_register_as_xlsx_is_a_job_above_its_limit(
    client_for, org_dept, clerk_a, outsider, township_secretary, monkeypatch, tree
):
    """The 组织部's district-wide 登记簿: every unit's opinions; above the in-request limit a job, whose
    file another township's secretary cannot download."""
    monkeypatch.setattr("feedback.views.prints.REGISTER_XLSX_ROWS_IN_REQUEST", 1)
    register(clerk_a, received_on=datetime.date(YEAR, 4, 1))
    register(outsider, received_on=datetime.date(YEAR, 4, 2))
    client = client_for(org_dept)
    query = {"organisation": tree["district"].pk, "coverage": "all", "year": YEAR}
    response = client.get(reverse("opinion-register-xlsx"), query)
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.status) == ("feedback.register_xlsx", Job.Status.DONE)
    assert downloaded(client, job).active.max_row == 3  # both townships' opinions
    other = client_for(township_secretary)
    assert other.get(reverse("job-download", args=[job.token])).status_code == 404


def test_the_district_register_as_pdf_prints_in_parts(
    client_for, org_dept, clerk_a, outsider, township_secretary, monkeypatch, tree
):
    """The 组织部's district-wide 登记簿 as PDF, printed in parts (here one entry each): both townships'
    opinions, each 序号 with its unit, one cover; the file not for another township's secretary."""
    from tests.pdf_utils import pdf_pages, pdf_text

    monkeypatch.setattr("feedback.views.prints.REGISTER_ROWS_IN_REQUEST", 1)
    monkeypatch.setattr("feedback.views.prints.REGISTER_ROWS_PER_PART", 1)
    monkeypatch.setattr("feedback.jobs.REGISTER_ROWS_PER_PART", 1)
    register(clerk_a, received_on=datetime.date(YEAR, 4, 1), reporter_name="王喆")
    register(outsider, received_on=datetime.date(YEAR, 4, 2), reporter_name="李堃")
    client = client_for(org_dept)
    query = {"organisation": tree["district"].pk, "coverage": "all", "year": YEAR}
    assert client.get(reverse("opinion-register-pdf"), query).status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.status) == ("feedback.register_pdf", Job.Status.DONE), job.error
    response = client.get(reverse("job-download", args=[job.token]))
    pdf = b"".join(response.streaming_content)
    text = "".join(pdf_text(pdf).split())
    assert "王喆" in text and "李堃" in text and text.count("登记簿") == 1 and "共2条" in text
    assert f"第{pdf_pages(pdf)}页/共{pdf_pages(pdf)}页" in text
    other = client_for(township_secretary)
    assert other.get(reverse("job-download", args=[job.token])).status_code == 404
