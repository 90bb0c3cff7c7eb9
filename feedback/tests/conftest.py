"""Fixtures for feedback/ on top of the shared personas (root conftest.py)."""

from __future__ import annotations

import datetime

import pytest

from feedback.tests.factories import register
from liaison.models import Organisation, Role
from tests.factories import OrganisationFactory, UserFactory

L = Organisation.Level
# A Tuesday in an ordinary week of a year the statutory calendar holds (seeded from chinesecalendar).
MARCH_3 = datetime.date(2026, 3, 3)


@pytest.fixture
def branch_a(tree):
    """A branch under 桂花村: a unit a 交办单 can go to, whose people see only what is handed to them."""
    return OrganisationFactory(
        name="桂花村第一党支部", code="js-gh-1", level=L.BRANCH, parent=tree["village_a"]
    )


@pytest.fixture
def handler_a(branch_a):
    return UserFactory(
        username="handler_a",
        role=Role.CLERK,
        organisation=branch_a,
        full_name="张经办",
        email="handler@example.cn",
        phone="13900001111",
    )


@pytest.fixture
def secretary_a(tree):
    return UserFactory(
        username="secretary_a",
        role=Role.SECRETARY,
        organisation=tree["village_a"],
        full_name="李书记",
        email="secretary_a@example.cn",
    )


@pytest.fixture
def opinion_a(clerk_a):
    """Registered on 3 March 2026 (a Tuesday), category 1: due Friday 13 March."""
    return register(clerk_a, received_on=MARCH_3)


@pytest.fixture
def opinion_b(clerk_b):
    return register(clerk_b, received_on=MARCH_3, reporter_name="李堃", subject="石岗村路灯不亮")
