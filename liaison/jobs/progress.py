"""How a running job reports how far it is: a percentage and a step the page shows.

Writes are throttled (a change of at least one percent, or a new step, or a second gone by), and every
write refreshes the heartbeat that tells a live job from one whose worker died (liaison.jobs.services).
"""

from __future__ import annotations

import threading
import time

from django.db import connection, connections
from django.utils import timezone

from liaison.models import Job


class Progress:
    MIN_INTERVAL = 1.0  # seconds between two writes of the same step

    def __init__(self, job: Job) -> None:
        self.job = job
        self.percent = job.progress
        self.stage = job.stage
        self._written = 0.0

    def __call__(self, percent: float, stage: str | None = None) -> None:
        percent = max(self.percent, min(int(percent), 99))  # 100 is written when the file is stored
        stage = self.stage if stage is None else stage[:200]
        now = time.monotonic()
        if stage == self.stage and (
            percent == self.percent
            or (percent - self.percent < 1 and now - self._written < self.MIN_INTERVAL)
        ):
            return
        self.percent, self.stage, self._written = percent, stage, now
        Job.objects.filter(pk=self.job.pk).update(progress=percent, stage=stage, heartbeat_at=timezone.now())

    def step(
        self, done: int, total: int, *, start: float = 0, end: float = 100, stage: str | None = None
    ) -> None:
        """`done` of `total` items, mapped onto the part [start, end] of the bar."""
        share = done / total if total else 1
        self(start + (end - start) * share, stage)

    def in_transaction(self, percent: float, stage: str) -> None:
        """A step inside a long transaction (the import's write): the page cannot see the job's own
        writes until it commits, so this one goes through a connection of its own — where the database
        lets it (PostgreSQL). SQLite's writer lock is the transaction's; there the bar waits for the end
        (the heartbeat thread keeps the job alive meanwhile)."""
        if connection.vendor != "postgresql" or not connection.in_atomic_block:
            self(percent, stage)
            return
        percent = max(self.percent, min(int(percent), 99))
        self.percent, self.stage = percent, stage[:200]

        def write() -> None:
            try:
                Job.objects.filter(pk=self.job.pk).update(
                    progress=percent, stage=self.stage, heartbeat_at=timezone.now()
                )
            finally:
                connections.close_all()

        side = threading.Thread(target=write, name=f"job-progress-{self.job.pk}")
        side.start()
        side.join(timeout=10)
