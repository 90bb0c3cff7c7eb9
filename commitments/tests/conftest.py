"""Fixtures for commitments/ on top of the shared personas (root conftest.py): a village secretary, the
township's users (uploads go to a temporary MEDIA_ROOT: the root conftest)."""

from __future__ import annotations

import pytest

from liaison.models import Role
from tests.factories import UserFactory


@pytest.fixture
def village_secretary(tree):
    return UserFactory(
        username="gh_secretary", role=Role.SECRETARY, organisation=tree["village_a"], full_name="陈国平"
    )
