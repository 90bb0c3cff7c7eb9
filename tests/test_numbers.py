"""Percentages on every page come from one function and one template filter: rounded, never truncated."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.template import Context, Template

from liaison.text.numbers import percent


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (2, 3, "66.7%"),  # truncating gave 66.6%
        (1, 3, "33.3%"),
        (1, 8, "12.5%"),
        (1, 16, "6.3%"),  # 6.25 rounds half up
        (5, 6, "83.3%"),
        (1, 2, "50.0%"),
        (0, 7, "0.0%"),
        (7, 7, "100.0%"),
        (9999, 10000, "99.9%"),  # 99.99 would round to 100.0%: never claim complete when it is not
        (1999, 2000, "99.9%"),  # 99.95
        (1, 10000, "0.1%"),  # above nothing never shows as nothing
        (0, 0, "—"),
    ],
)
def test_percent_of_a_whole(part, whole, shown):
    assert percent(part, whole) == shown


def test_percent_of_a_share_and_of_nothing():
    assert percent(Fraction(2, 3)) == "66.7%"
    assert percent(Fraction(1, 1)) == "100.0%"
    assert percent(None) == "—"
    assert percent(Fraction(2, 3), places=0) == "67%"


def test_template_filter():
    html = Template(
        "{% load numbers %}{{ share|percent }} {{ done|percent:total }} {{ none|percent }}"
    ).render(Context({"share": Fraction(2, 3), "done": 5, "total": 6, "none": None}))
    assert html == "66.7% 83.3% —"


def test_pages_use_the_shared_rounding():
    """The dashboard's coverage cards and on-time rate both say 66.7% for 2 of 3."""
    from feedback.selectors import DeadlineBoard
    from members.rules import Coverage

    assert Coverage(covered=2, total=3).percent == "66.7%"
    board = DeadlineBoard(0, 0, [], [], 2026, on_time=2, late=1, open_late=0)
    assert board.on_time_percent == "66.7%"
