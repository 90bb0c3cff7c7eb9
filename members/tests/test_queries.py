"""Every list costs the same number of queries with 3 rows and with 40 (the page holds 50), and
rendering after the selectors' prefetching asks the database nothing more."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liaison.models import Role
from members.models import (
    ImportBatch,
    LiaisonContact,
    LiaisonPoint,
    Position,
    Post,
    PostAssignment,
    UnitPairing,
)
from members.tests.factories import MemberFactory, pairing, poor, record, unit_pairing
from tests.factories import UserFactory, household_with_head

pytestmark = pytest.mark.django_db
D = datetime.date
SIZES = [3, 40]


@pytest.fixture
def admin_user(tree):
    """A 镇街管理员: writes in the township (perms answered by role, no permission queries)."""
    return UserFactory(role=Role.TOWNSHIP_ADMIN, organisation=tree["township"])


def fill(tree, branches, unit, n: int) -> None:
    post = Post.objects.create(organisation=tree["village_a"], name="政策宣讲", responsibilities="宣讲")
    for i in range(n):
        village, branch = (tree["village_a"], branches["a"]) if i % 2 else (tree["village_b"], branches["b"])
        member = MemberFactory(organisation=branch, name=f"党员{i}")
        other = MemberFactory(organisation=branch, name=f"党员乙{i}")
        Position.objects.create(
            member=member, organisation=branch, role="committee", start_date=D(2021, 10, 1)
        )
        household = poor(household_with_head(organisation=village, address=f"{i}号"))
        pairing(household, member, other)
        PostAssignment.objects.create(post=post, member=member, start_date=D(2022, 1, 1))
        line = unit_pairing(
            UnitPairing.Kind.MEMBER_PAIRING,
            unit["branch"],
            target_household=household,
            members=[member, other],
        )
        record(line, D(2025, 3, 1), money="100")
        point = LiaisonPoint.objects.create(leader=member, organisation=village, started_on=D(2025, 1, 1))
        LiaisonContact.objects.create(point=point, date=D(2025, 2, 1), content="走访")
        ImportBatch.objects.create(
            user=admin_user_of(tree),
            organisation=tree["township"],
            filename=f"{i}.xlsx",
            size=1,
            sha256="0",
            status=ImportBatch.Status.COMMITTED,
        )
        Post.objects.create(organisation=village, name=f"岗位{i}", responsibilities="x")


def admin_user_of(tree):
    from liaison.models import User

    return User.objects.filter(organisation=tree["township"]).first()


# url name → queries. Each: session, user with the scope root (user.organisation), then the page's own:
EXPECTED = {
    # count, page, positions, posts, the filter's organisation choices, and the user's own permissions once
    # (a 镇街管理员 has no liaison.view_personal_data by role, so the backend reads the permission tables,
    # user and group grants in one query)
    "member-list": 8,
    # count, page, members, the card form's villages, the filter's organisations, the two quotas (read once
    # for the flags and the visits), this year's visits of the page's pairings (visits.counts, one grouped
    # query), and the same permission query (phones are masked for this role)
    "pairing-list": 10,
    # count, page, members, 4 quotas in one, the filter's organisations
    "unitpairing-list": 7,
    # count, page, the quota
    "point-list": 5,
    # count, page, holders, the standard-posts form's organisations
    "post-list": 6,
    # count, page
    "import-home": 4,
}


@pytest.mark.parametrize("url_name", EXPECTED)
@pytest.mark.parametrize("rows", SIZES)
def test_list_query_count_is_constant(
    client_for, admin_user, tree, branches, unit, url_name, rows, django_assert_num_queries
):
    fill(tree, branches, unit, rows)
    client = client_for(admin_user)
    with django_assert_num_queries(EXPECTED[url_name]):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.object_list) == min(page.paginator.count, 50) and page.paginator.count >= rows


def test_member_page_query_count_does_not_grow_with_pairings(
    client_for, admin_user, tree, branches, django_assert_num_queries
):
    member = MemberFactory(organisation=branches["a"])
    client = client_for(admin_user)
    counts = []
    for n in (1, 12):
        for i in range(n):
            pairing(household_with_head(organisation=tree["village_a"], address=f"{n}-{i}号"), member)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("member-detail", args=[member.pk]))
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_exports_stream_in_a_constant_number_of_queries(client_for, admin_user, tree, branches, unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(admin_user)
    counts = {}
    for rows in (2, 30):
        fill(tree, branches, unit, rows) if rows == 2 else fill_more(tree, branches, unit)
        for name in ("member-export", "pairing-export"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse(name))
                b"".join(response.streaming_content)
            counts.setdefault(name, []).append(len(captured))
    assert counts["member-export"][0] == counts["member-export"][1]
    assert counts["pairing-export"][0] == counts["pairing-export"][1]


def fill_more(tree, branches, unit) -> None:
    for i in range(28):
        member = MemberFactory(organisation=branches["a"], name=f"补充{i}")
        pairing(household_with_head(organisation=tree["village_a"], address=f"补{i}号"), member)
