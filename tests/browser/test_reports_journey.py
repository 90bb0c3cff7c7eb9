"""The 组织部's annual workbook as they meet it: 统计报表 in the menu, the district chosen, the job's page
showing the bar move (polled, no reload) while the worker writes the sheets, then the download, which
openpyxl opens with its 总表 and a sheet per 镇街."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.db import connections
from openpyxl import load_workbook

from feedback.tests.factories import register
from liaison.jobs.services import job_run
from liaison.models import Job
from tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_org_dept_starts_the_annual_workbook_watches_it_and_downloads_it(
    page, org_dept, clerk_a, tree, settings, monkeypatch
):
    year = datetime.date.today().year
    register(clerk_a, received_on=datetime.date(year, 1, 5))
    settings.TASKS = DATABASE_TASKS  # queued, as in production: the worker below runs it
    import liaison.reports.workbook as workbook

    gate = threading.Semaphore(0)
    write_register = workbook._register_sheet

    def gated(*args, **kwargs):
        assert gate.acquire(timeout=30)
        return write_register(*args, **kwargs)

    monkeypatch.setattr(workbook, "_register_sheet", gated)

    log_in(page, "org_dept")
    page.locator("#mainnav").get_by_role("link", name="统计报表").click()
    page.wait_for_url("**/reports/")
    page.get_by_label("统计范围").select_option(label="巴南区")
    page.locator("#id_year").fill(str(year))
    page.get_by_role("button", name="生成年度统计").click()
    page.get_by_text("已开始生成").wait_for()
    bar = page.locator("progress.job-progress")
    assert page.locator(".badge", has_text="排队中").is_visible()
    job = Job.objects.get()

    def work():
        try:
            job_run(job.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        page.get_by_text("正在写入群众意见登记簿").wait_for()
        assert page.locator(".badge", has_text="进行中").is_visible()
        assert bar.evaluate("el => el.value") == 20
        page.screenshot(path="/tmp/reports-progress.png")
        gate.release()
        download = page.get_by_role("link", name=f"下载 {year}年度党员联系服务群众工作统计-巴南区.xlsx")
        download.wait_for()
    finally:
        gate.release()
        worker.join(timeout=60)
    assert page.locator(".badge", has_text="已完成").is_visible() and not bar.is_visible()
    page.screenshot(path="/tmp/reports-done.png")
    response = page.context.request.get(download.get_attribute("href"))
    assert response.ok and "spreadsheetml" in response.headers["content-type"]
    book = load_workbook(io.BytesIO(response.body()))
    assert book.sheetnames[:3] == ["总表", "界石镇", "南泉街道"]
    assert book["界石镇"].cell(4, 1).value == "桂花村"

    # The job is listed on /reports/ too.
    page.goto("/reports/")
    row = page.locator("table.table-jobs tbody tr").first
    assert "巴南区" in row.inner_text() and row.locator(".badge", has_text="已完成").is_visible()
    page.screenshot(path="/tmp/reports-page.png", full_page=True)
