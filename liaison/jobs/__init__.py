"""Background jobs: long work (big prints and exports, the Excel import) runs outside the request, on
the Tasks API (django-tasks), and the user follows it on 我的任务.

    from liaison.jobs import job_kind, JobFailed, Outcome      # <app>/jobs.py: what runs
    from liaison.jobs.long_prints import print_or_start        # <app>/views: small now, big as a job

See the README, "How an app is laid out" → "Long work".
"""

from __future__ import annotations

from liaison.jobs.registry import JobFailed, Outcome, job_kind

__all__ = ["JobFailed", "Outcome", "job_kind"]
