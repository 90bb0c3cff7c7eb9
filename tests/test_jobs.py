"""Background jobs (liaison/jobs/): progress the page can read while the job runs, a Chinese error when it
fails, a dead worker shown as failed, files only for the starter's scope, expiry, and two jobs at once."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from liaison.documents.rendering import PDF, XLSX, RenderedFile
from liaison.jobs import JobFailed, Outcome, job_kind
from liaison.jobs import files as job_files
from liaison.jobs.services import (
    INTERNAL_ERROR,
    WORKER_DIED,
    expire_job_files,
    fail_stale_jobs,
    job_run,
    job_start,
)
from liaison.models import AccessLog, Job, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
seen: dict[str, object] = {}


@job_kind("tests.echo", "测试：回显")
def echo(job, progress):
    progress(10, "第一步")
    if hook := seen.pop("during", None):
        hook(job)
    progress.step(3, 4, start=20, end=60, stage="第二步")
    if job.params.get("fail"):
        raise JobFailed("测试失败：村名不存在。")
    if job.params.get("crash"):
        raise RuntimeError("boom")
    if job.params.get("nofile"):
        return Outcome(message="导入完成：户新增 3。", link="/households/", link_text="查看户情")
    return RenderedFile(f"回显-{job.params['text']}.xlsx", XLSX, job.params["text"].encode())


def status(client, job):
    response = client.get(reverse("job-status", args=[job.token]))
    assert response.status_code == 200
    return json.loads(response.content)


class TestRunning:
    def test_progress_is_readable_while_the_job_runs(self, client_for, clerk_a):
        client = client_for(clerk_a)
        with override_settings(TASKS=DUMMY):
            job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"text": "甲"})
        assert job.status == Job.Status.QUEUED
        assert status(client, job)["status_display"] == "排队中"
        during = {}
        seen["during"] = lambda j: during.update(status(client, j))
        job_run(job.pk)
        # Mid-way the page saw 10 % and the step's name; the job is 进行中.
        assert (during["status"], during["progress"], during["stage"]) == ("running", 10, "第一步")
        assert not during["finished"] and not during["download"]
        done = status(client, job)
        assert (done["status"], done["progress"], done["finished"]) == ("done", 100, True)
        assert done["download"] == reverse("job-download", args=[job.token])
        job.refresh_from_db()
        assert job.file_name == "回显-甲.xlsx" and job.size == len("甲".encode()) and job.expires_at

    def test_step_maps_onto_the_bar(self, clerk_a):
        with override_settings(TASKS=DUMMY):
            job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"text": "乙"})
        progress_seen = []
        seen["during"] = lambda j: progress_seen.append(Job.objects.get(pk=j.pk).progress)
        job_run(job.pk)
        assert progress_seen == [10]
        # 3 of 4 on the part 20–60 of the bar is 50 %; the bar never goes back, and 100 only when stored.
        job.refresh_from_db()
        assert job.progress == 100

    def test_immediate_backend_runs_the_job_at_once(self, client_for, clerk_a):
        job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"text": "丙"})
        assert job.status == Job.Status.DONE and job.task_id
        response = client_for(clerk_a).get(reverse("job-download", args=[job.token]))
        assert b"".join(response.streaming_content) == "丙".encode()
        assert "attachment" in response["Content-Disposition"]

    def test_the_job_page_shows_the_bar_and_the_download(self, client_for, clerk_a):
        client = client_for(clerk_a)
        with override_settings(TASKS=DUMMY):
            job = job_start(user=clerk_a, kind="tests.echo", title="二〇二六年登记簿", params={"text": "丁"})
        page = client.get(reverse("job-detail", args=[job.token])).text
        assert '<progress class="job-progress' in page and 'value="0"' in page and "js/jobs.js" in page
        assert reverse("job-status", args=[job.token]) in page
        job_run(job.pk)
        page = client.get(reverse("job-detail", args=[job.token])).text
        assert "已完成" in page and reverse("job-download", args=[job.token]) in page
        listing = client.get(reverse("job-list")).text
        assert "二〇二六年登记簿" in listing and reverse("job-detail", args=[job.token]) in listing

    def test_a_job_without_a_file_reports_its_outcome(self, client_for, clerk_a):
        job = job_start(user=clerk_a, kind="tests.echo", title="导入", params={"nofile": 1})
        s = status(client_for(clerk_a), job)
        assert s["message"] == "导入完成：户新增 3。" and s["link"] == "/households/" and not s["download"]


class TestFailure:
    def test_a_failure_keeps_its_chinese_message(self, client_for, clerk_a):
        job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"fail": 1})
        assert job.status == Job.Status.FAILED and job.error == "测试失败：村名不存在。"
        client = client_for(clerk_a)
        assert status(client, job)["error"] == "测试失败：村名不存在。"
        page = client.get(reverse("job-detail", args=[job.token])).text
        assert "测试失败：村名不存在。" in page and "重新生成" in page
        assert client.get(reverse("job-download", args=[job.token])).status_code == 302  # back to its page

    def test_an_unexpected_error_is_a_chinese_message_with_the_job_number(self, clerk_a, caplog):
        job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"crash": 1})
        assert job.status == Job.Status.FAILED
        assert job.error == INTERNAL_ERROR.format(token=str(job.token)[:8]) and "boom" not in job.error
        assert "boom" in caplog.text  # the operator's log has the traceback

    def test_retry_starts_the_same_work_again(self, client_for, clerk_a):
        job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"fail": 1})
        response = client_for(clerk_a).post(reverse("job-retry", args=[job.token]))
        again = Job.objects.exclude(pk=job.pk).get()
        assert response["Location"] == reverse("job-detail", args=[again.token])
        assert again.params == {"fail": 1} and again.kind == "tests.echo"

    def test_a_dead_worker_shows_as_failed(self, client_for, clerk_a, settings):
        settings.LIAISON_JOB_STALE_SECONDS = 180
        with override_settings(TASKS=DUMMY):
            dead = job_start(user=clerk_a, kind="tests.echo", title="中断", params={"text": "x"})
            alive = job_start(user=clerk_a, kind="tests.echo", title="运行", params={"text": "y"})
        now = timezone.now()
        Job.objects.filter(pk=dead.pk).update(
            status=Job.Status.RUNNING, progress=40, heartbeat_at=now - datetime.timedelta(seconds=181)
        )
        Job.objects.filter(pk=alive.pk).update(
            status=Job.Status.RUNNING, progress=40, heartbeat_at=now - datetime.timedelta(seconds=170)
        )
        s = status(client_for(clerk_a), dead)
        assert (s["status"], s["finished"], s["error"]) == ("failed", True, WORKER_DIED)
        alive.refresh_from_db()
        assert alive.status == Job.Status.RUNNING  # 170 s without a beat is within the limit
        # A worker that comes back late cannot turn the failed job into a success.
        job_run(dead.pk)
        dead.refresh_from_db()
        assert dead.status == Job.Status.FAILED and not dead.stored_name

    def test_the_worker_start_marks_dead_jobs(self, clerk_a):
        with override_settings(TASKS=DUMMY):
            job = job_start(user=clerk_a, kind="tests.echo", title="中断", params={"text": "x"})
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
        )
        assert fail_stale_jobs() == 1 and fail_stale_jobs() == 0


class TestScope:
    @pytest.fixture
    def job(self, clerk_a):
        return job_start(user=clerk_a, kind="tests.echo", title="桂花村的文件", params={"text": "桂花"})

    def test_another_subtree_gets_404(self, client_for, job, clerk_b, township_secretary, org_dept):
        for user in (clerk_b, township_secretary, org_dept):
            client = client_for(user)
            for name in ("job-detail", "job-status", "job-download"):
                assert client.get(reverse(name, args=[job.token])).status_code == 404, (user, name)
            assert client.post(reverse("job-retry", args=[job.token])).status_code == 404
            assert "桂花村的文件" not in client.get(reverse("job-list")).text

    def test_a_colleague_of_the_same_organisation_may_download(self, client_for, job, tree):
        colleague = UserFactory(username="clerk_a2", role=Role.CLERK, organisation=tree["village_a"])
        client = client_for(colleague)
        assert "桂花村的文件" in client.get(reverse("job-list")).text
        assert client.get(reverse("job-download", args=[job.token])).status_code == 200

    def test_a_file_with_full_numbers_is_not_for_a_masked_colleague(self, client_for, tree):
        secretary = UserFactory(username="sec_t", role=Role.SECRETARY, organisation=tree["township"])
        admin = UserFactory(username="admin_t", role=Role.TOWNSHIP_ADMIN, organisation=tree["township"])
        full = job_start(user=secretary, kind="tests.echo", title="书记的文件", params={"text": "全"})
        masked = job_start(user=admin, kind="tests.echo", title="管理员的文件", params={"text": "掩"})
        assert full.full_numbers and not masked.full_numbers
        admin_client = client_for(admin)
        assert admin_client.get(reverse("job-download", args=[full.token])).status_code == 404
        assert client_for(secretary).get(reverse("job-download", args=[masked.token])).status_code == 200

    def test_the_download_is_on_the_access_log(self, client_for, clerk_a, tree):
        from liaison.jobs.files import path_of

        job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"text": "日志"})
        Job.objects.filter(pk=job.pk).update(content_type=PDF)
        assert path_of(job.stored_name).exists()
        client_for(clerk_a).get(reverse("job-download", args=[job.token]))
        assert AccessLog.objects.filter(user=clerk_a, kind="print").count() == 1

    def test_anonymous_is_sent_to_login(self, client, job):
        response = client.get(reverse("job-download", args=[job.token]))
        assert response.status_code == 302 and reverse("login") in response["Location"]


class TestExpiry:
    def test_files_expire_after_the_configured_days(self, client_for, clerk_a, settings):
        settings.LIAISON_JOB_FILE_DAYS = 3
        job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"text": "旧"})
        assert job.expires_at == job.finished_at + datetime.timedelta(days=3)
        path = job_files.path_of(job.stored_name)
        assert path.exists()
        assert expire_job_files(now=job.expires_at - datetime.timedelta(seconds=1)) == 0
        assert path.exists()
        assert expire_job_files(now=job.expires_at) == 1
        job.refresh_from_db()
        assert job.status == Job.Status.EXPIRED and not path.exists()
        client = client_for(clerk_a)
        response = client.get(reverse("job-download", args=[job.token]), follow=True)
        assert response.redirect_chain[0][0] == reverse("job-detail", args=[job.token])
        assert "超过保留期限" in response.text and "重新生成" in response.text
        assert "文件已过期" in client.get(reverse("job-list")).text

    def test_an_expired_file_is_never_served_even_before_the_sweep(self, client_for, clerk_a):
        job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"text": "旧"})
        Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
        response = client_for(clerk_a).get(reverse("job-download", args=[job.token]))
        assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[job.token])

    def test_the_command(self, clerk_a, capsys):
        job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"text": "旧"})
        Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
        call_command("expire_job_files")
        assert "删除过期文件 1 个" in capsys.readouterr().out
        assert not job_files.path_of(job.stored_name).exists()


def test_two_jobs_at_once_do_not_interfere(clerk_a, clerk_b):
    """The second job runs while the first is mid-way: each keeps its own file, progress and status."""
    with override_settings(TASKS=DUMMY):
        first = job_start(user=clerk_a, kind="tests.echo", title="甲村", params={"text": "甲村的内容"})
        second = job_start(user=clerk_b, kind="tests.echo", title="乙村", params={"text": "乙村的内容"})
    seen["during"] = lambda _job: job_run(second.pk)
    job_run(first.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Job.Status.DONE
    assert first.stored_name != second.stored_name
    assert job_files.path_of(first.stored_name).read_bytes() == "甲村的内容".encode()
    assert job_files.path_of(second.stored_name).read_bytes() == "乙村的内容".encode()


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_job(clerk_a, settings):
    """The production path: the database backend queues the job and `jobs_worker --batch` runs it.

    Outside a test transaction, as the worker runs: it closes connections between tasks the way a
    request does, which would end PostgreSQL's connection inside one."""
    settings.LIAISON_TASKS_BACKEND = "database"
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    ):
        job = job_start(user=clerk_a, kind="tests.echo", title="回显", params={"text": "队列"})
        assert job.status == Job.Status.QUEUED
        call_command("jobs_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job_files.path_of(job.stored_name).read_bytes() == "队列".encode()


def test_the_job_list_costs_the_same_for_one_job_or_many(client_for, clerk_a, django_assert_max_num_queries):
    """我的任务 pages its rows with their starters in one query, plus the stale check's single UPDATE."""
    client = client_for(clerk_a)
    job_start(user=clerk_a, kind="tests.echo", title="一", params={"text": "1"})
    client.get(reverse("job-list"))
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("job-list"))
    for i in range(6):
        job_start(user=clerk_a, kind="tests.echo", title=f"多{i}", params={"text": str(i)})
    with django_assert_max_num_queries(10) as many:
        assert "多5" in client.get(reverse("job-list")).text
    assert len(many.captured_queries) == len(one.captured_queries)
