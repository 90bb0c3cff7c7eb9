"""Fixtures for commitments/ on top of the shared personas (root conftest.py): a village secretary, the
township's users, and MEDIA_ROOT in a temporary directory for evidence uploads."""

from __future__ import annotations

import pytest

from liaison.models import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def village_secretary(tree):
    return UserFactory(
        username="gh_secretary", role=Role.SECRETARY, organisation=tree["village_a"], full_name="陈国平"
    )
