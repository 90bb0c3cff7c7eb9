"""A long print as the clerk meets it: the village's 党群连心卡 beyond 20 sheets go to a background job;
the job's page shows the bar moving (polled, no reload) while the worker renders chunk after chunk, then
the download; 我的任务 lists it."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from liaison.jobs.services import job_run
from liaison.models import Job, Organisation
from members.models import PartyMember
from members.tests.factories import pairing
from tests.browser.session import log_in
from tests.factories import OrganisationFactory, household_with_head
from tests.pdf_utils import pdf_pages, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def seventeen_cards(tree):
    branch = OrganisationFactory(
        name="桂花村第一党支部", code="js-gh-1", level=Organisation.Level.BRANCH, parent=tree["village_a"]
    )
    member = PartyMember.objects.create(organisation=branch, name="程国云", gender="M", phone="15091186044")
    for i in range(17):
        household = household_with_head(
            organisation=tree["village_a"], head_name=f"刘{i + 1:02d}", address=f"桂花村一组{i + 1:02d}号"
        )
        pairing(household, member)


def test_clerk_watches_a_long_print_and_downloads_it(
    page, clerk_a, tree, seventeen_cards, settings, monkeypatch
):
    settings.TASKS = DATABASE_TASKS  # queued, as in production: the worker below runs it
    monkeypatch.setattr("members.views.pairings.CARDS_IN_REQUEST", 16)
    monkeypatch.setattr("members.printing.CARD_SHEETS_PER_CHUNK", 1)
    # The worker renders one sheet, then waits until the test has looked at the bar.
    gate = threading.Semaphore(0)
    import members.printing as printing

    render_chunk = printing.pdf_bytes

    def gated(markup, **kwargs):
        assert gate.acquire(timeout=30)
        return render_chunk(markup, **kwargs)

    monkeypatch.setattr(printing, "pdf_bytes", gated)

    log_in(page, "clerk_a")
    page.goto(f"/pairings/cards/pdf/?organisation={tree['village_a'].pk}")
    page.get_by_text("页数较多，已转入后台生成").wait_for()
    bar = page.locator("progress.job-progress")
    assert page.locator(".badge", has_text="排队中").is_visible() and bar.get_attribute("value") == "0"
    job = Job.objects.get()

    def work():
        try:
            job_run(job.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        page.get_by_text("正在排版第 1/3 批").wait_for()
        assert page.locator(".badge", has_text="进行中").is_visible()
        assert bar.evaluate("el => el.value") == 5
        gate.release()
        page.get_by_text("正在排版第 2/3 批").wait_for()
        assert (
            bar.evaluate("el => el.value") == 35
            and page.locator("[data-job-field=percent]").inner_text() == "35%"
        )
        page.screenshot(path="/tmp/job-progress.png")
        gate.release()
        gate.release()
        download = page.get_by_role("link", name="下载 党群连心卡-桂花村.pdf")
        download.wait_for()
    finally:
        for _ in range(3):
            gate.release()
        worker.join(timeout=60)
    assert page.locator(".badge", has_text="已完成").is_visible() and not bar.is_visible()
    page.screenshot(path="/tmp/job-done.png")
    response = page.context.request.get(download.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf_pages(pdf) == 3 and "刘17户" in pdf_text(pdf)

    # 我的任务, from the user menu.
    page.locator("#user-menu").click()
    page.locator("#mainnav").get_by_role("link", name="我的任务").click()
    row = page.locator("table.table-jobs tbody tr").first
    assert "党群连心卡-桂花村" in row.inner_text() and row.locator(".badge", has_text="已完成").is_visible()
