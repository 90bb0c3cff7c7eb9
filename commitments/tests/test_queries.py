"""Query counts of the commitments pages, pinned: they do not grow with the rows shown."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from commitments import services
from commitments.tests.factories import YEAR, now, published
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _fill(clerk_a, township_secretary, tree, n: int) -> list:
    made = []
    for _ in range(n):
        item = published(clerk_a, township_secretary, tree["village_a"])
        services.progress_add(
            user=clerk_a, commitment=item, date=datetime.date(YEAR, 3, 1), content="进展", now=now(3, 1)
        )
        MemberFactory(organisation=tree["village_a"])
        made.append(item)
    return made


# session, user, then the page's own: count (and for lists the page's rows), filter choices, rows …
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (reverse("commitment-list"), 5),
        (f"{reverse('commitment-list')}?year={YEAR}&subject=committee", 5),
        (reverse("assessment-list"), 5),
        (reverse("inspection-list"), 4),
        (f"{reverse('personal-list')}?year={YEAR}", 6),
    ],
)
def test_list_queries_are_pinned(
    client_for, clerk_a, township_secretary, tree, django_assert_num_queries, url, queries
):
    client = client_for(township_secretary)
    _fill(clerk_a, township_secretary, tree, 2)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _fill(clerk_a, township_secretary, tree, 5)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_detail_queries_do_not_grow_with_its_records(
    client_for, clerk_a, township_secretary, tree, django_assert_num_queries
):
    item = _fill(clerk_a, township_secretary, tree, 1)[0]
    client = client_for(township_secretary)
    url = reverse("commitment-detail", args=[item.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(4):
        services.progress_add(
            user=clerk_a,
            commitment=item,
            date=datetime.date(YEAR, 4, 1 + n),
            content=f"进展{n}",
            now=now(4, 1 + n),
        )
    with django_assert_num_queries(len(first)):
        assert client.get(url).status_code == 200
