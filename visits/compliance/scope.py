"""What a user may see and change of terms, talks and research, through liaison.access.scoping.

- A term belongs to its village or community: seen and entered from there or above.
- A talk belongs to the leader who held it: seen from the leader's organisation or above.
- A stay in a village is seen from the leader's side and from the village's side (each one `scoped()`
  subquery, joined by UNION as members.scope does for 联系点); it is entered and changed from the
  leader's side only, for a village that side also holds, or that lies outside every village.
- A research report is the author's: seen, downloaded and entered from the author's organisation or above.
"""

from __future__ import annotations

from django.db.models import QuerySet

from liaison.access.scoping import scoped, sees_whole_tree
from visits.models import FieldResearch, ResearchReport, Talk, Term


def visible_terms(user) -> QuerySet[Term]:
    return scoped(Term.objects.all(), user)


def visible_talks(user) -> QuerySet[Talk]:
    return scoped(Talk.objects.all(), user, via="leader__organisation")


def visible_research(user) -> QuerySet[FieldResearch]:
    if sees_whole_tree(user):
        # Every stay has a leader in some organisation: the whole tree sees all of them, without the
        # UNION that SQLite builds in a temporary B-tree over the district's 7,000 stays (page 18 → 6 ms).
        return FieldResearch.objects.all()
    by_leader = scoped(FieldResearch.objects.order_by(), user, via="leader__organisation").values("pk")
    by_village = scoped(FieldResearch.objects.order_by(), user, via="village").values("pk")
    return FieldResearch.objects.filter(pk__in=by_leader.union(by_village))


def editable_research(user) -> QuerySet[FieldResearch]:
    return scoped(FieldResearch.objects.all(), user, via="leader__organisation")


def visible_reports(user) -> QuerySet[ResearchReport]:
    return scoped(ResearchReport.objects.all(), user, via="author__organisation", all_placed=True)
