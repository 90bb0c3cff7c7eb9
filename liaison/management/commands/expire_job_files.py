"""Delete job files past LIAISON_JOB_FILE_DAYS, and mark jobs whose worker died as failed.

Each finished job sweeps too, so this is for cron on a machine where jobs are rare:

    30 3 * * *  cd /srv/liaison && .venv/bin/python manage.py expire_job_files
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from liaison.jobs.services import expire_job_files, fail_stale_jobs


class Command(BaseCommand):
    help = "删除超过保留天数（LIAISON_JOB_FILE_DAYS）的后台任务文件，并将进程已中断的任务标记为失败。"

    def handle(self, *args, **options):
        stale, expired = fail_stale_jobs(), expire_job_files()
        self.stdout.write(f"删除过期文件 {expired} 个，标记中断任务 {stale} 个。")
