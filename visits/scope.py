"""What a user may see of the visits app, all through liaison.access.scoping.

A visit joins two places: the household's village (where it is kept, `organisation`) and the visitor's
organisation (a township leader's own visits). It is visible from either side, as pairings are; it is
changed from the household's side only (README “跨范围的记录”).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liaison.access.scoping import scoped, visible_organisations
from members.models import PartyMember
from visits.models import MustVisitEvent, Visit


def visible_visits(user) -> QuerySet[Visit]:
    # The village side on the visit's own organisation_id index; the visitor side only adds the few
    # visits its members made outside the subtree (a township leader visiting another township), found
    # through the (visitor, date) index. A `pk IN (UNION of both sides)` listed every visit id of the
    # subtree before the first row: 502 ms for the district's list of 100,000 visits on SQLite, 111 ms now.
    subtree = visible_organisations(user).values("pk")
    members = PartyMember.objects.filter(organisation_id__in=subtree).order_by().values("pk")
    elsewhere = Visit.objects.filter(visitor_id__in=members).exclude(organisation_id__in=subtree)
    return Visit.objects.filter(Q(organisation_id__in=subtree) | Q(pk__in=elsewhere.order_by().values("pk")))


def editable_visits(user) -> QuerySet[Visit]:
    return scoped(Visit.objects.all(), user)


def visible_events(user) -> QuerySet[MustVisitEvent]:
    return scoped(MustVisitEvent.objects.all(), user)
