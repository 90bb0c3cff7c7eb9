"""What a user may see of the visits app, all through liaison.access.scoping.

A visit joins two places: the household's village (where it is kept, `organisation`) and the visitor's
organisation (a township leader's own visits). It is visible from either side, as pairings are; it is
changed from the household's side only (README “跨范围的记录”).
"""

from __future__ import annotations

from django.db.models import QuerySet

from liaison.access.scoping import scoped
from visits.models import MustVisitEvent, Visit


def visible_visits(user) -> QuerySet[Visit]:
    by_village = scoped(Visit.objects.order_by(), user).values("pk")
    by_visitor = scoped(Visit.objects.order_by(), user, via="visitor__organisation").values("pk")
    return Visit.objects.filter(pk__in=by_village.union(by_visitor))


def editable_visits(user) -> QuerySet[Visit]:
    return scoped(Visit.objects.all(), user)


def visible_events(user) -> QuerySet[MustVisitEvent]:
    return scoped(MustVisitEvent.objects.all(), user)
