"""Two clerks at once, on a real PostgreSQL (row locks): gapless numbers, and the second save is told."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection

from feedback import services
from feedback.models import Opinion
from feedback.tests.factories import register

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


def test_concurrent_registrations_are_numbered_without_gaps(clerk_a, secretary_a):
    users = [clerk_a, secretary_a]

    def work(index: int) -> None:
        for n in range(5):
            register(
                users[index % 2], received_on=datetime.date(2026, 3, 3), reporter_name=f"反映人{index}-{n}"
            )

    assert in_threads(8, work) == []
    numbers = sorted(Opinion.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 41))


def test_two_saves_of_one_version_one_wins_one_is_told(clerk_a, secretary_a):
    opinion = register(clerk_a, received_on=datetime.date(2026, 3, 3))
    outcomes: list[str] = []

    def work(index: int) -> None:
        user = (clerk_a, secretary_a)[index]
        try:
            services.opinion_update(user=user, opinion=opinion.pk, version=1, subject=f"事由{index}")
            outcomes.append("saved")
        except services.StaleOpinion:
            outcomes.append("stale")

    assert in_threads(2, work) == []
    assert sorted(outcomes) == ["saved", "stale"]
    assert Opinion.objects.get(pk=opinion.pk).version == 2
