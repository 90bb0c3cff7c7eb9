"""What a user may see of the visits app, all through liaison.access.scoping.

A visit joins two places: the household's village (where it is kept, `organisation`) and the visitor's
organisation (a township leader's own visits). It is visible from either side, as pairings are; it is
changed from the household's side only (README “跨范围的记录”).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, Q, QuerySet

from liaison.access.scoping import (
    WIDE_LEVELS,
    root_organisation,
    scoped,
    sees_whole_tree,
    visible_organisations,
)
from liaison.models import Organisation
from members.models import PartyMember
from visits.models import MustVisitEvent, Visit


def visit_sides(user) -> tuple[QuerySet[Visit], QuerySet[Visit]]:
    """The two disjoint halves of what a user sees: the visits kept in the subtree, and those its
    members made outside it.

    PostgreSQL is given the second half as the organisations outside the subtree, read from the
    (visitor, organisation) index: for the district that list is empty and the half costs nothing
    (a township's 15 ms). SQLite is given it as "not in the subtree": named, it walked the outside
    organisations' ~950,000 visits instead of the members' (a township's 453 ms against 40 ms)."""
    if sees_whole_tree(user):  # every visit is kept in it: no filter (SQLite then reads in date order)
        return Visit.objects.all(), Visit.objects.none()
    subtree = visible_organisations(user).values("pk")
    own = Visit.objects.filter(organisation_id__in=subtree)
    members = PartyMember.objects.filter(organisation_id__in=subtree).order_by().values("pk")
    by_members = Visit.objects.filter(visitor_id__in=members)
    if connection.vendor == "postgresql":
        outside = Organisation.objects.exclude(pk__in=subtree).values("pk")
        return own, by_members.filter(organisation_id__in=outside)
    return own, by_members.exclude(organisation_id__in=subtree)


def visible_by_columns(user) -> Q | None:
    """What visible_visits keeps, as a condition on a visit's own columns: kept in the subtree, or made
    by one of its members (the two halves together). For a list driven from a few known visits (a
    search's matches), where no index order is walked; None for a whole-tree user."""
    if sees_whole_tree(user):
        return None
    subtree = visible_organisations(user).values("pk")
    members = PartyMember.objects.filter(organisation_id__in=subtree).order_by().values("pk")
    return Q(organisation_id__in=subtree) | Q(visitor_id__in=members)


def visible_visits(user, *, in_date_order: bool = False) -> QuerySet[Visit]:
    # The village side is the visit's own organisation_id; the visitor side adds only the visits the
    # subtree's members made outside it (a township leader visiting another township), through the
    # (visitor, date) index. How the two are combined depends on the size of the subtree, because the
    # databases plan them differently (measured on 1,000,000 visits on PostgreSQL, at load 5):
    # - a village's few thousand visits: each side listed from its index and joined (count 20 ms, a page
    #   33 ms); OR-ing them made PostgreSQL read every visit of the district (489 ms, whatever the page);
    # - a township or the district: OR-ed, so a page is read in date order and stops at its rows (the
    #   district's first page 37 ms); listing the district's million ids first took 8.7 s.
    own, elsewhere = visit_sides(user)
    if sees_whole_tree(user):  # the district's own visits are all there is: no OR to plan around
        return own
    elsewhere = elsewhere.order_by().values("pk")
    root = root_organisation(user)
    if root is not None and root.level not in WIDE_LEVELS:
        return Visit.objects.filter(pk__in=own.order_by().values("pk").union(elsewhere, all=True))
    if connection.vendor == "postgresql":
        # The visitor side as the subtree's members, hashed (a township's 2,097: 2 ms), not as the visits
        # they made outside it: finding those read ~50,000 of their visits in every query (50-96 ms; a
        # township's first page 112 → 50 ms). SQLite walks the members' side better as listed visits.
        return Visit.objects.filter(visible_by_columns(user))
    subtree = visible_organisations(user).values("pk")
    if in_date_order:
        # SQLite, a page of a township's list: its visits lie dense in the date index, so the page walks
        # it and tests each visit's place. Written on the bare columns, SQLite read every visit of the
        # township from their indexes and sorted them first (a township's "zhang": 282 → 26 ms); `+ 0`
        # keeps those indexes out of the plan. Counts keep them (`in_date_order=False`).
        return Visit.objects.alias(kept_in=F("organisation_id") + 0, visit=F("pk") + 0).filter(
            Q(kept_in__in=subtree) | Q(visit__in=elsewhere)
        )
    return Visit.objects.filter(Q(organisation_id__in=subtree) | Q(pk__in=elsewhere))


def editable_visits(user) -> QuerySet[Visit]:
    return scoped(Visit.objects.all(), user)


def visible_events(user) -> QuerySet[MustVisitEvent]:
    return scoped(MustVisitEvent.objects.all(), user)
