"""Run the background jobs: django-tasks-db's worker, after the housekeeping a restart calls for.

    .venv/bin/python manage.py jobs_worker            # runs until stopped (systemd: see the README)
    .venv/bin/python manage.py jobs_worker --batch    # runs what is queued, then exits

Jobs left 进行中 by a worker that died are marked failed first, and files past their days are deleted.
With LIAISON_TASKS_BACKEND=rq, run `manage.py rqworker --job-class django_tasks_rq.Job default` instead.
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from liaison.jobs.services import expire_job_files, fail_stale_jobs


class Command(DatabaseWorkerCommand):
    help = "运行后台任务（打印、导出、Excel 导入）：先清理中断的任务和过期文件，再持续处理队列。"

    def handle(self, *args, **options):
        from django.conf import settings

        if settings.LIAISON_TASKS_BACKEND != "database":
            raise CommandError(
                "LIAISON_TASKS_BACKEND 不是 database：后台任务由 "
                f"{settings.LIAISON_TASKS_BACKEND} 的进程运行（rq：manage.py rqworker --job-class django_tasks_rq.Job default）。"
            )
        stale, expired = fail_stale_jobs(), expire_job_files()
        if options["verbosity"]:
            self.stdout.write(f"后台任务进程启动：标记中断任务 {stale} 个，删除过期文件 {expired} 个。")
        return super().handle(*args, **options)
