"""Fixtures for the compliance tests (terms, coverage, quotas, meetings, talks, research) on top of the
shared personas (root conftest.py): branches on both sides of the tree, leaders with posts, and
MEDIA_ROOT in a temporary directory for uploaded reports."""

from __future__ import annotations

import datetime

import pytest

from liaison.models import Organisation
from members.models import Position
from members.tests.factories import MemberFactory, branch

L = Organisation.Level
R = Position.Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def branches(tree):
    return {
        "a": branch(tree["village_a"], "桂花村党支部", "js-gh-1"),
        "b": branch(tree["village_b"], "石岗村党支部", "js-sg-1"),
        "community": branch(tree["community"], "南泉社区党支部", "nq-nq-1"),
        "township": branch(tree["township"], "界石镇机关党支部", "js-jg"),
        "other_township": branch(tree["other_township"], "南泉街道机关党支部", "nq-jg"),
        "district": branch(tree["district"], "区委机关党支部", "bn-jg"),
    }


def holding(member, organisation, role, start=datetime.date(2021, 10, 1)):
    Position.objects.create(member=member, organisation=organisation, role=role, start_date=start)
    return member


@pytest.fixture
def township_leader(tree, branches):
    """周德勇: 界石镇党委班子成员 (≥4 visits, ≥2 talks, ≥120 days and a report a year)."""
    return holding(
        MemberFactory(organisation=branches["township"], name="周德勇"), tree["township"], R.LEADERSHIP
    )


@pytest.fixture
def other_leader(tree, branches):
    """谭明辉: 南泉街道副书记, outside 界石镇."""
    return holding(
        MemberFactory(organisation=branches["other_township"], name="谭明辉"),
        tree["other_township"],
        R.DEPUTY_SECRETARY,
    )


@pytest.fixture
def district_leader(tree, branches):
    return holding(
        MemberFactory(organisation=branches["district"], name="刘区长"), tree["district"], R.LEADERSHIP
    )


@pytest.fixture
def village_secretary(tree, branches):
    return holding(MemberFactory(organisation=branches["a"], name="王支书"), branches["a"], R.SECRETARY)


@pytest.fixture
def delegate(tree, branches):
    return holding(MemberFactory(organisation=branches["b"], name="赵代表"), tree["township"], R.DELEGATE)


def visit(household, visitor, on: datetime.date):
    """A visit as the entry screen leaves it, with just the snapshot columns coverage does not read."""
    from visits.models import Visit

    return Visit.objects.create(
        organisation=household.organisation,
        household=household,
        visitor=visitor,
        visited_on=on,
        address=household.address,
        head_name=household.head_name,
        situation="了解生产生活情况。",
    )
