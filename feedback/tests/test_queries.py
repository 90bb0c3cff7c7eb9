"""Query counts: the list, the dashboard panel and the detail page stay constant in the row count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.panels import deadline_panel
from feedback.tests.factories import make_due, register

D = datetime.date
pytestmark = pytest.mark.django_db
LIMIT = 10  # the issue: under 10 queries per page, whatever the row count


def opinions(user, count: int, *, branch=None) -> list:
    """Half overdue, half due soon, spread over the subtree's villages."""
    today = timezone.localdate()
    made = []
    for n in range(count):
        opinion = register(user, received_on=D(2026, 3, 3), reporter_name=f"反映人{n}")
        if branch is not None and n % 3 == 0:
            services.assignment_issue(
                user=user,
                opinion=opinion,
                unit=branch,
                due_date=D(2026, 3, 12),
                contact_name="刘晓燕",
                contact_phone="13983621457",
                issued_on=D(2026, 3, 4),
            )
        if n % 2:
            made.append(
                make_due(
                    opinion,
                    received_on=today - datetime.timedelta(days=8),
                    due=today + datetime.timedelta(days=2),
                )
            )
        else:
            made.append(
                make_due(
                    opinion,
                    received_on=today - datetime.timedelta(days=30),
                    due=today - datetime.timedelta(days=n + 1),
                )
            )
    return made


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


@pytest.mark.parametrize("query", ["", "?overdue=1", "?due_soon=1", "?q=反映人&category=1&state=registered"])
def test_list_is_constant_in_the_row_count(
    client_for, clerk_a, township_secretary, branch_a, query, settings
):
    settings.LIAISON_PAGE_SIZE = 50
    client = client_for(township_secretary)
    url = reverse("opinion-list") + query
    opinions(clerk_a, 4, branch=branch_a)
    client.get(url)  # warm the session
    few = count_queries(lambda: client.get(url))
    opinions(clerk_a, 24, branch=branch_a)
    many = count_queries(lambda: client.get(url))
    assert few == many
    assert many < LIMIT


def test_list_pages_hold_many_rows(client_for, clerk_a, settings):
    settings.LIAISON_PAGE_SIZE = 10
    opinions(clerk_a, 25)
    client = client_for(clerk_a)
    response = client.get(reverse("opinion-list"), {"page": 3})
    assert len(response.context["rows"]) == 5 and response.context["page"].paginator.count == 25


def test_dashboard_panel_is_constant_in_the_row_count(rf, clerk_a, township_secretary, branch_a):
    request = rf.get("/")
    request.user = township_secretary
    opinions(clerk_a, 4, branch=branch_a)
    deadline_panel(request)
    few = count_queries(lambda: deadline_panel(request))
    opinions(clerk_a, 24, branch=branch_a)
    many = count_queries(lambda: deadline_panel(request))
    assert few == many
    assert many < LIMIT


def test_detail_is_constant_in_its_history(client_for, clerk_a, township_secretary, branch_a):
    opinion = register(clerk_a, received_on=D(2026, 3, 3))
    client = client_for(township_secretary)
    url = reverse("opinion-detail", args=[opinion.pk])
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for n in range(5):
        services.urge_create(user=township_secretary, opinion=opinion, kind="urge", note=f"第{n}次催办")
        services.assignment_issue(
            user=clerk_a,
            opinion=opinion,
            unit=branch_a,
            due_date=D(2026, 3, 12),
            contact_name="刘晓燕",
            contact_phone="13983621457",
            issued_on=D(2026, 3, 4),
        )
    many = count_queries(lambda: client.get(url))
    assert few == many
