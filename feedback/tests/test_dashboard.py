"""The dashboard panel: overdue and due soon in the user's subtree; overdue ones escalate upwards."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import selectors
from feedback.tests.factories import answer, feed_back, make_due, register

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def board(clerk_a, clerk_b):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    late_a = make_due(
        register(clerk_a, received_on=D(2026, 3, 3), subject="桂花村逾期件"),
        received_on=today - 20 * day,
        due=today - 5 * day,
    )
    soon_a = make_due(
        register(clerk_a, received_on=D(2026, 3, 3), subject="桂花村临期件"),
        received_on=today - 8 * day,
        due=today + 2 * day,
    )
    calm_a = make_due(
        register(clerk_a, received_on=D(2026, 3, 3), subject="桂花村未到期件"),
        received_on=today - 2 * day,
        due=today + 8 * day,
    )
    late_b = make_due(
        register(clerk_b, received_on=D(2026, 3, 3), subject="石岗村逾期件"),
        received_on=today - 30 * day,
        due=today - 1 * day,
    )
    return {"late_a": late_a, "soon_a": soon_a, "calm_a": calm_a, "late_b": late_b, "today": today}


def test_village_sees_its_own(client_for, clerk_a, board):
    page = client_for(clerk_a).get(reverse("dashboard")).text
    assert "桂花村逾期件" in page and "逾期 5 天" in page and "桂花村临期件" in page and "剩 2 天" in page
    assert "桂花村未到期件" not in page and "石岗村逾期件" not in page and "下级逾期" not in page


def test_overdue_escalates_to_the_township(client_for, township_secretary, board):
    result = selectors.deadline_board(user=township_secretary, today=board["today"])
    assert [row.subject for row in result.overdue] == ["桂花村逾期件", "石岗村逾期件"]
    assert all(row.from_below for row in result.overdue)
    assert [row.subject for row in result.due_soon] == ["桂花村临期件"]
    page = client_for(township_secretary).get(reverse("dashboard")).text
    assert page.count("下级逾期</span>") == 2


def test_on_time_share_counts_against_the_approved_date(clerk_a, township_secretary):
    from feedback import services

    on_the_day = register(clerk_a, received_on=D(2026, 3, 3))  # due 13 March
    feed_back(clerk_a, answer(clerk_a, on_the_day, on=D(2026, 3, 12)), on=D(2026, 3, 13))
    late = register(clerk_a, received_on=D(2026, 3, 3))
    feed_back(clerk_a, answer(clerk_a, late, on=D(2026, 3, 16)), on=D(2026, 3, 16))
    extended = register(clerk_a, received_on=D(2026, 3, 3))
    extension = services.extension_request(
        user=clerk_a, opinion=extended, requested_due_date=D(2026, 3, 20), reason="等材料"
    )
    services.extension_decide(user=township_secretary, extension=extension, approve=True)
    feed_back(
        clerk_a, answer(clerk_a, extended, on=D(2026, 3, 18)), on=D(2026, 3, 18)
    )  # late for 13th, on time for 20th
    register(clerk_a, received_on=D(2026, 3, 3))  # never answered: overdue
    register(clerk_a, received_on=D(2025, 3, 3))  # another year: not counted
    result = selectors.deadline_board(user=township_secretary, today=D(2026, 12, 1))
    assert (result.on_time, result.late, result.open_late) == (2, 1, 1)
    assert result.on_time_percent == "50.0%" and result.overdue_count == 2


def test_empty_board_reads_well(client_for, outsider):
    page = client_for(outsider).get(reverse("dashboard")).text
    assert "没有逾期的意见。" in page and "没有即将到期的意见。" in page
