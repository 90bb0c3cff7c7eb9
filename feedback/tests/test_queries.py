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
from feedback.tests.factories import hand_over, make_due, register

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
            hand_over(user, opinion, branch)
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


@pytest.mark.parametrize("who", ["clerk_a", "township_secretary"])
def test_list_counts_by_ids_not_by_subqueries(client_for, request, who, clerk_a, branch_a):
    """A list's visibility names the subtree's organisations and the opinions handed to it by id, so
    the database ORs indexed columns: with subqueries, PostgreSQL tested every opinion of the district
    for a village's count (feedback.scope.visible_opinions, ids_first)."""
    opinions(clerk_a, 3, branch=branch_a)
    with CaptureQueriesContext(connection) as captured:
        page = client_for(request.getfixturevalue(who)).get(reverse("opinion-list"))
    assert page.context["page"].paginator.count == 3
    counts = [
        q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and "feedback_opinion" in q["sql"]
    ]
    assert len(counts) == 1
    assert counts[0].count("SELECT") == 1, counts[0]


def test_list_pages_hold_many_rows(client_for, clerk_a, settings):
    settings.LIAISON_PAGE_SIZE = 10
    opinions(clerk_a, 25)
    client = client_for(clerk_a)
    response = client.get(reverse("opinion-list"), {"page": 3})
    assert len(response.context["rows"]) == 5 and response.context["page"].paginator.count == 25


def test_a_search_that_finds_more_than_the_cap_says_so(client_for, clerk_a, settings, monkeypatch):
    """Past SEARCH_CAP a search counts no further: it says so, with how to narrow it, and pages through
    its first matches in the list's order; the list without a search still counts every row."""
    monkeypatch.setattr("liaison.views.helpers.SEARCH_CAP", 3)
    settings.LIAISON_PAGE_SIZE = 2
    opinions(clerk_a, 5)
    client = client_for(clerk_a)
    response = client.get(reverse("opinion-list"), {"q": "反映人"})
    page = response.context["page"]
    assert page.paginator.capped and page.paginator.count == 3 and page.paginator.num_pages == 2
    assert (
        "找到超过 3 条，只列出前 3 条；请输入更完整的姓名，或选择党组织、状态或反映时间缩小范围"
        in response.text
    )

    def rows(**params) -> list[int]:
        return [row.pk for row in client.get(reverse("opinion-list"), params).context["rows"]]

    listed = rows(q="反映人") + rows(q="反映人", page=2)
    in_list_order = rows() + rows(page=2)
    assert listed == in_list_order[:3]
    unsearched = client.get(reverse("opinion-list"))
    assert not unsearched.context["page"].paginator.capped and "共 5 条" in unsearched.text


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
