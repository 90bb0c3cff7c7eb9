"""What a user may see of the members app, all through liaison.access.scoping.

A record that joins two places is visible from either side: a pairing from the household's village or
from a paired member's organisation; a unit pairing from the village helped or from the helping unit; a
联系点 from the leader's organisation or from the point itself. Each side is one `scoped()` subquery.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liaison.access.scoping import scoped, sees_whole_tree
from members.models import (
    ImportBatch,
    LiaisonPoint,
    Pairing,
    PairingMember,
    PartyMember,
    Post,
    PostAssignment,
    UnitPairing,
)


def visible_members(user) -> QuerySet[PartyMember]:
    return scoped(PartyMember.objects.all(), user)


def visible_pairings(user) -> QuerySet[Pairing]:
    # A UNION of the two indexed sides, never `pk IN (…) OR pk IN (…)`: the OR made the database
    # build both sides over every pairing and misestimate the rows ~10× (issue #10). A user whose subtree
    # is the whole tree sees every pairing, and no UNION is built (the district's count 53 → 2 ms).
    if sees_whole_tree(user):
        return Pairing.objects.all()
    # The household's side through the pairing's stored village (members.pairing_place), not a join.
    by_household = scoped(Pairing.objects.order_by(), user).values("pk")
    by_member = scoped(PairingMember.objects.order_by(), user, via="member__organisation").values(
        "pairing_id"
    )
    return Pairing.objects.filter(pk__in=by_household.union(by_member))


def editable_pairings(user) -> QuerySet[Pairing]:
    """The household's side owns the pairing record: its village (or above) edits it."""
    return scoped(Pairing.objects.all(), user, via="household__organisation")


def visible_unit_pairings(user) -> QuerySet[UnitPairing]:
    by_area = scoped(UnitPairing.objects.order_by(), user, via="area").values("pk")
    by_helper = scoped(UnitPairing.objects.order_by(), user, via="helper_organisation").values("pk")
    return UnitPairing.objects.filter(pk__in=by_area.union(by_helper))


def visible_points(user) -> QuerySet[LiaisonPoint]:
    by_leader = scoped(LiaisonPoint.objects.order_by(), user, via="leader__organisation").values("pk")
    by_point = scoped(LiaisonPoint.objects.order_by(), user, via="organisation").values("pk")
    return LiaisonPoint.objects.filter(pk__in=by_leader.union(by_point))


def editable_points(user) -> QuerySet[LiaisonPoint]:
    """Changed by the leader's side; a point at a village or community only by a user who also holds
    that village (README “跨范围的记录”). The point's own village sees it and records contacts."""
    grassroots = ["village", "community"]
    by_leader = scoped(LiaisonPoint.objects.all(), user, via="leader__organisation")
    in_reach = scoped(LiaisonPoint.objects.all(), user).values("pk")
    return by_leader.filter(Q(pk__in=in_reach) | ~Q(organisation__level__in=grassroots))


def visible_posts(user) -> QuerySet[Post]:
    return scoped(Post.objects.all(), user)


def visible_assignments(user) -> QuerySet[PostAssignment]:
    by_post = scoped(PostAssignment.objects.all(), user, via="post__organisation").values("pk")
    by_member = scoped(PostAssignment.objects.all(), user, via="member__organisation").values("pk")
    return PostAssignment.objects.filter(Q(pk__in=by_post) | Q(pk__in=by_member))


def visible_imports(user) -> QuerySet[ImportBatch]:
    return scoped(ImportBatch.objects.all(), user)
