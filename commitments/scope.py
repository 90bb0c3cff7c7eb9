"""Who sees and who acts on commitments, built on liaison.access.scoping (the one scoping mechanism).

- A user sees the commitments, inspections and assessments of their subtree, and the personal
  commitments of the members in it.
- The committing side (the village or community, or the branch, and anyone above it) drafts, gathers
  comments, records the vote, publishes and records progress.
- The township's side — any organisation above the committing one, never the village itself — approves
  (004 四（二）“报镇街党委、政府批准”), inspects (四（五）) and assesses (四（六）): a 两委会 does not grade
  itself.
"""

from __future__ import annotations

from django.db.models import QuerySet

from commitments.models import Assessment, Commitment, Inspection, PersonalCommitment
from liaison.access.scoping import in_scope, scoped, sees_everything
from liaison.models import Organisation


def visible_commitments(user) -> QuerySet[Commitment]:
    return scoped(Commitment.objects.all(), user)


def visible_inspections(user) -> QuerySet[Inspection]:
    return scoped(Inspection.objects.all(), user)


def visible_assessments(user) -> QuerySet[Assessment]:
    return scoped(Assessment.objects.all(), user)


def visible_personal(user) -> QuerySet[PersonalCommitment]:
    # Every member belongs to an organisation: a whole-tree user needs no join to members (the
    # district's 28,000 promises a year counted in 4 ms, not 30).
    return scoped(PersonalCommitment.objects.all(), user, via="member__organisation", all_placed=True)


def owns(user, organisation: Organisation) -> bool:
    """On the committing side: the organisation itself or above it."""
    return in_scope(user, organisation)


def is_above(user, organisation: Organisation) -> bool:
    """On the township's side: the organisation is in the user's subtree but is not the user's own."""
    if sees_everything(user):
        return True
    return in_scope(user, organisation) and organisation.pk != user.organisation_id
