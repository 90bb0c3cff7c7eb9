"""Starting a job, running it, and the housekeeping that keeps the list honest.

- `job_start` records the job and hands it to the Tasks API (django-tasks; the backend is settings.TASKS:
  the database backend with `manage.py jobs_worker`, RQ by configuration, ImmediateBackend in tests).
- `job_run` is what the worker runs: it marks the job running, keeps its heartbeat fresh, calls the
  kind's function, stores the file, and records a Chinese error when the work fails.
- `fail_stale_jobs`: a job whose heartbeat stopped (its worker was killed, the machine rebooted) is
  marked failed, never left "进行中" for ever. Pages call it before they show jobs.
- `expire_job_files`: files older than LIAISON_JOB_FILE_DAYS are deleted (the job stays listed, 文件已过期).
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from liaison.access.privacy import can_see_personal_data
from liaison.documents.rendering import RenderedFile
from liaison.jobs import files
from liaison.jobs.progress import Progress
from liaison.jobs.registry import JobFailed, Outcome, get_kind
from liaison.models import Job

logger = logging.getLogger(__name__)

WORKER_DIED = "后台任务进程中断（服务器重启或进程被终止），任务没有完成。请重新发起。"
INTERNAL_ERROR = (
    "生成时出现系统错误，任务没有完成（任务编号 {token}）。请重新发起；如仍失败，请将任务编号告知管理员。"
)
UNKNOWN_KIND = "系统已不再支持这种任务，请从相应页面重新发起。"
NO_TASK_BACKEND = "后台任务服务未能接收任务：{error}。请稍后重试，或联系管理员检查后台任务进程。"


def job_start(*, user, kind: str, title: str, params: dict | None = None) -> Job:
    """Record a job for `user` and enqueue it. With ImmediateBackend (tests) it has run on return."""
    if get_kind(kind) is None:
        raise ValueError(f"unknown job kind {kind}")
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        params=params or {},
        user=user,
        organisation=user.organisation,
        full_numbers=can_see_personal_data(user),
    )
    from liaison.jobs.tasks import run_job

    try:
        result = run_job.enqueue(job.pk)
    except Exception as exc:  # the queue (Redis, the database) refused: say so on the job, not a 500
        logger.exception("enqueueing job %s failed", job.pk)
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED,
            error=NO_TASK_BACKEND.format(error=type(exc).__name__),
            finished_at=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_run(job_id: int) -> None:
    """Run one job (called by the task). Never raises: every failure ends on the job as a message."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, stage="正在准备"
    )
    if not claimed:  # already run, or failed as stale meanwhile
        return
    job = Job.objects.select_related("user", "organisation").get(pk=job_id)
    kind = get_kind(job.kind)
    heartbeat = _Heartbeat(job.pk)
    heartbeat.start()
    try:
        if kind is None:
            raise JobFailed(UNKNOWN_KIND)
        outcome = kind.build(job, Progress(job))
        if isinstance(outcome, RenderedFile):
            outcome = Outcome(file=outcome)
        _finish(job, outcome)
    except JobFailed as exc:
        _fail(job, exc.message)
    except Exception:
        logger.exception("job %s (%s) failed", job.token, job.kind)
        _fail(job, INTERNAL_ERROR.format(token=str(job.token)[:8]))
    finally:
        heartbeat.stop()
    expire_job_files()


def _finish(job: Job, outcome: Outcome) -> None:
    stored, size = ("", 0)
    if outcome.file is not None:
        stored, size = files.store(job.token.hex, outcome.file)
    finished = timezone.now()
    updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=Job.Status.DONE,
        progress=100,
        stage="已完成",
        message=outcome.message[:500],
        link=outcome.link[:300],
        link_text=outcome.link_text[:60],
        file_name=outcome.file.filename[:200] if outcome.file else "",
        content_type=outcome.file.content_type if outcome.file else "",
        size=size,
        stored_name=stored,
        finished_at=finished,
        heartbeat_at=finished,
        expires_at=finished + datetime.timedelta(days=settings.LIAISON_JOB_FILE_DAYS) if stored else None,
    )
    if not updated:  # marked failed as stale while it ran: the page already says so; drop the file
        files.delete(stored)


def _fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=Job.Status.FAILED, error=message, stage="", finished_at=timezone.now()
    )


class _Heartbeat:
    """Refreshes heartbeat_at every LIAISON_JOB_HEARTBEAT_SECONDS from its own thread (and so its own
    database connection), also while the job sits in one long call (WeasyPrint laying out pages) or in a
    transaction the page cannot see into. 0 turns it off (tests: the job runs inside the request)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.interval = settings.LIAISON_JOB_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.interval > 0:
            self._thread = threading.Thread(
                target=self._beat, name=f"job-heartbeat-{self.job_id}", daemon=True
            )
            self._thread.start()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a locked SQLite file during the import's write: try again next beat
                    logger.warning("job %s: heartbeat not written", self.job_id, exc_info=True)
        finally:
            close_old_connections()
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def stale_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.LIAISON_JOB_STALE_SECONDS)


def fail_stale_jobs() -> int:
    """Jobs 进行中 whose heartbeat stopped longer ago than LIAISON_JOB_STALE_SECONDS: their worker died."""
    return Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=stale_before()).update(
        status=Job.Status.FAILED, error=WORKER_DIED, stage="", finished_at=timezone.now()
    )


def expire_job_files(*, now: datetime.datetime | None = None) -> int:
    """Delete the files whose days are up (LIAISON_JOB_FILE_DAYS); the jobs stay listed as 文件已过期."""
    now = now or timezone.now()
    due = list(
        Job.objects.filter(status=Job.Status.DONE, expires_at__lte=now)
        .exclude(stored_name="")
        .values_list("pk", "stored_name")
    )
    for pk, stored in due:
        files.delete(stored)
        Job.objects.filter(pk=pk).update(status=Job.Status.EXPIRED, stored_name="")
    return len(due)
