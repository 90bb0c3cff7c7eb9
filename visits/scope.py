"""What a user may see of the visits app, all through liaison.access.scoping.

A visit joins two places: the household's village (where it is kept, `organisation`) and the visitor's
organisation (a township leader's own visits). It is visible from either side, as pairings are; it is
changed from the household's side only (README “跨范围的记录”).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liaison.access.scoping import root_organisation, scoped, visible_organisations
from liaison.models import Organisation
from members.models import PartyMember
from visits.models import MustVisitEvent, Visit

# Subtrees whose visits are too many to list before the page is read (see visible_visits).
WIDE_LEVELS = (Organisation.Level.DISTRICT, Organisation.Level.TOWNSHIP)


def visit_sides(user) -> tuple[QuerySet[Visit], QuerySet[Visit]]:
    """The two disjoint halves of what a user sees: the visits kept in the subtree, and those its
    members made outside it. The second names the organisations outside the subtree rather than
    excluding the subtree's: for the district that list is empty, and the half costs nothing."""
    subtree = visible_organisations(user).values("pk")
    members = PartyMember.objects.filter(organisation_id__in=subtree).order_by().values("pk")
    outside = Organisation.objects.exclude(pk__in=subtree).values("pk")
    own = Visit.objects.filter(organisation_id__in=subtree)
    return own, Visit.objects.filter(visitor_id__in=members, organisation_id__in=outside)


def visible_visits(user) -> QuerySet[Visit]:
    # The village side is the visit's own organisation_id; the visitor side adds only the visits the
    # subtree's members made outside it (a township leader visiting another township), through the
    # (visitor, date) index. How the two are combined depends on the size of the subtree, because the
    # databases plan them differently (measured on 1,000,000 visits on PostgreSQL, at load 5):
    # - a village's few thousand visits: each side listed from its index and joined (count 20 ms, a page
    #   33 ms); OR-ing them made PostgreSQL read every visit of the district (489 ms, whatever the page);
    # - a township or the district: OR-ed, so a page is read in date order and stops at its rows (the
    #   district's first page 37 ms); listing the district's million ids first took 8.7 s.
    own, elsewhere = visit_sides(user)
    elsewhere = elsewhere.order_by().values("pk")
    root = root_organisation(user)
    if root is not None and root.level not in WIDE_LEVELS:
        return Visit.objects.filter(pk__in=own.order_by().values("pk").union(elsewhere, all=True))
    subtree = visible_organisations(user).values("pk")
    return Visit.objects.filter(Q(organisation_id__in=subtree) | Q(pk__in=elsewhere))


def editable_visits(user) -> QuerySet[Visit]:
    return scoped(Visit.objects.all(), user)


def visible_events(user) -> QuerySet[MustVisitEvent]:
    return scoped(MustVisitEvent.objects.all(), user)
