"""Shared by every test directory (tests/, members/tests/, feedback/tests/ …).

Named personas (healthchecks' Alice/Bob/Charlie as fixtures):

- clerk_a: 经办人 in 村A; clerk_b: 经办人 in sibling 村B (same township);
- township_secretary: 书记 of the township above both; org_dept: 组织部 at the district;
- outsider: 经办人 in a village of another township; other_secretary: 书记 of that other township.
"""

from __future__ import annotations

import pytest

from liaison.models import Organisation, Role
from tests.factories import OrganisationFactory, UserFactory, household_with_head

L = Organisation.Level


@pytest.fixture
def tree(db):
    district = OrganisationFactory(name="巴南区", code="bn", level=L.DISTRICT)
    township = OrganisationFactory(name="界石镇", code="js", level=L.TOWNSHIP, parent=district)
    village_a = OrganisationFactory(name="桂花村", code="js-gh", level=L.VILLAGE, parent=township)
    village_b = OrganisationFactory(name="石岗村", code="js-sg", level=L.VILLAGE, parent=township)
    other_township = OrganisationFactory(name="南泉街道", code="nq", level=L.TOWNSHIP, parent=district)
    community = OrganisationFactory(name="南泉社区", code="nq-nq", level=L.COMMUNITY, parent=other_township)
    return {
        "district": district,
        "township": township,
        "village_a": village_a,
        "village_b": village_b,
        "other_township": other_township,
        "community": community,
    }


@pytest.fixture
def clerk_a(tree):
    return UserFactory(
        username="clerk_a", role=Role.CLERK, organisation=tree["village_a"], full_name="刘晓燕"
    )


@pytest.fixture
def clerk_b(tree):
    return UserFactory(username="clerk_b", role=Role.CLERK, organisation=tree["village_b"])


@pytest.fixture
def township_secretary(tree):
    return UserFactory(username="secretary", role=Role.SECRETARY, organisation=tree["township"])


@pytest.fixture
def township_admin(tree):
    return UserFactory(username="township_admin", role=Role.TOWNSHIP_ADMIN, organisation=tree["township"])


@pytest.fixture
def org_dept(tree):
    return UserFactory(username="org_dept", role=Role.ORG_DEPT, organisation=tree["district"])


@pytest.fixture
def outsider(tree):
    return UserFactory(username="outsider", role=Role.CLERK, organisation=tree["community"])


@pytest.fixture
def other_secretary(tree):
    """书记 of another township: may urge, but not on opinions outside 南泉街道."""
    return UserFactory(username="other_secretary", role=Role.SECRETARY, organisation=tree["other_township"])


@pytest.fixture
def household_a(tree):
    return household_with_head(organisation=tree["village_a"], head_name="王喆", address="桂花村三组12号")


@pytest.fixture
def household_b(tree):
    return household_with_head(organisation=tree["village_b"], head_name="李堃", address="石岗村一组3号")


@pytest.fixture
def client_for(client):
    """Log a persona in: `client_for(user)` returns the logged-in test client."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads (commitments' evidence photos, also written by seed_demo) go to a directory the test
    owns, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _skip_postgres_only_on_other_databases(request):
    """Tests marked `postgres` need real row locks and concurrent connections (.ci/run's second run)."""
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…); .ci/run runs it")
