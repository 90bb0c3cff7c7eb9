"""Two people saving at the same moment, on a real PostgreSQL (row locks, a unique index)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import connection

from liaison.models import Household, Submission
from liaison.safeguards.concurrency import StaleRecord, record_state, unchanged_since
from liaison.safeguards.idempotency import Repeated, claim, link

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_threads(count: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_saves_of_what_both_saw_one_wins_one_is_told(household_a):
    seen = record_state(household_a, parts=("residents",))
    outcomes: list[str] = []

    def work(index: int) -> None:
        try:
            with unchanged_since(household_a, seen, parts=("residents",)):
                Household.objects.filter(pk=household_a.pk).update(skills=f"技能{index}")
                time.sleep(0.2)  # hold the lock so the other save must wait for this commit
            outcomes.append("saved")
        except StaleRecord:
            outcomes.append("stale")

    assert in_threads(2, work) == []
    assert sorted(outcomes) == ["saved", "stale"]


def test_one_token_submitted_twice_at_once_makes_one_record(clerk_a, household_a):
    token = uuid.uuid4()
    outcomes: list[str] = []

    def work(index: int) -> None:
        from django.db import transaction

        try:
            with transaction.atomic():
                submission = claim(token, clerk_a)
                time.sleep(0.2)
                link(submission, household_a)
            outcomes.append("made")
        except Repeated:
            outcomes.append("repeated")

    assert in_threads(2, work) == []
    assert sorted(outcomes) == ["made", "repeated"]
    assert Submission.objects.filter(token=token).count() == 1
