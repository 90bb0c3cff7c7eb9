"""Query counts of the reception pages, pinned: they do not grow with the rows shown (no query per row).

The district-scale figures of the same pages are in benchmarks/scenarios.py (reception_scenarios), and
tests/test_bench_guard.py holds each of them at ≤ PAGE_QUERIES on a small district."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Handling
from feedback.tests.reception_factories import committee, published, reception

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Read per test, never at import: a run may cross midnight in Shanghai."""
    return timezone.localdate()


# the count each page takes today (login, access log and the page's own reads)
PINNED = {
    "reception-list": 5,
    "reception-search": 5,
    "session-list": 6,  # the page's reception counts: one grouped query for its rows
    "public-default": 3,
    "public-township": 5,
    "register-pdf": 7,  # counted first: above RECEPTIONS_IN_REQUEST it becomes a job
}


def _rows(clerk, people, start: int, count: int) -> None:
    for n in range(start, start + count):
        day = today() + datetime.timedelta(days=1 + n)
        who = people[n % len(people)]
        kind = "secretary" if who == people[0] else "member"
        published(clerk, who, day=day, place=f"桂花村便民服务中心{n}", kind=kind)
        reception(
            clerk,
            people[n % len(people)],
            day=today() - datetime.timedelta(days=1 + n),
            visitor_name="王喆",
            handling=Handling.ON_SITE,
        )


def _urls(tree, people) -> dict[str, tuple[str, bool]]:
    month_start = (today() - datetime.timedelta(days=40)).isoformat()
    return {
        "reception-list": (reverse("reception-list"), True),
        "reception-search": (reverse("reception-list") + "?q=王喆", True),
        "session-list": (reverse("session-list"), True),
        "public-default": (reverse("public-home"), False),
        "public-township": (reverse("public-home") + f"?org={tree['township'].pk}", False),
        "register-pdf": (
            reverse("reception-register-pdf")
            + f"?organisation={tree['village_a'].pk}&receiver={people[0].pk}&start={month_start}&end={today()}",
            True,
        ),
    }


def _counts(client, anonymous, urls) -> dict[str, int]:
    counts = {}
    for name, (url, login) in urls.items():
        who = client if login else anonymous
        assert who.get(url).status_code == 200, name  # warm
        with CaptureQueriesContext(connection) as queries:
            assert who.get(url).status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_reception_pages_do_not_grow_with_their_rows(client_for, clerk_a, tree, settings):
    from django.core.cache import cache
    from django.test import Client

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    cache.clear()
    people = committee(tree["village_a"], ["李书记", "王副书记", "赵委员"])
    client, anonymous = client_for(clerk_a), Client()
    urls = _urls(tree, people)
    _rows(clerk_a, people, 0, 2)
    few = _counts(client, anonymous, urls)
    _rows(clerk_a, people, 2, 6)
    many = _counts(client, anonymous, urls)
    assert few == many, (few, many)
    assert many == PINNED, many


def test_the_list_joins_only_the_rows_of_its_page(client_for, clerk_a, tree, settings):
    """The page is chosen on the receptions' own columns; only its rows are joined to their opinions,
    sessions and receivers. Joined first, the district's list joined every reception before sorting."""
    settings.LIAISON_PAGE_SIZE = 2
    people = committee(tree["village_a"], ["李书记", "王副书记", "赵委员"])
    _rows(clerk_a, people, 0, 5)
    client = client_for(clerk_a)
    listed = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reception-list"), {"page": number})
        listed += [(r.received_on, r.pk) for r in response.context["page"].object_list]
        joined = [q["sql"] for q in queries.captured_queries if '"feedback_opinion"' in q["sql"]]
        assert joined and all('"feedback_reception"."id" IN (SELECT' in sql for sql in joined), joined
    assert listed == sorted(listed, reverse=True) and len(set(listed)) == 5
