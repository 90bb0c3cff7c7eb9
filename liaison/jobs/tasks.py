"""The one task the Tasks API knows: run a recorded job. Its argument is the job's id (JSON, as every
backend needs); everything else is read from the Job row."""

from __future__ import annotations

from django_tasks import task

from liaison.jobs.services import job_run


@task()
def run_job(job_id: int) -> None:
    job_run(job_id)
