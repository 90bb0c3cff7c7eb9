"""Who sees and who acts on an opinion, built on liaison.access.scoping (the one scoping mechanism).

- A user sees the opinions of their subtree (`scoped`), plus those handed by 交办单 to a unit in their
  subtree, plus those naming them as 责任人 or 经办人: a unit must see what it was asked to handle.
- The owning side (the receiving organisation's subtree) edits, hands over, urges, answers the reporter
  and closes. The handling side (assigned units, the 经办人) records receipt, progress, the result and
  asks for more time.
- "The organisation above" (extensions, 督办) is any organisation whose subtree holds the opinion's
  organisation but that is not that organisation itself.

Escalation comes from the same rule: an overdue opinion of a village is in its township's subtree, so
the township's dashboard shows it, flagged as coming from below (selectors.deadline_board).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from feedback.models import Assignment, Opinion, Reception, ReceptionSession
from liaison.access.scoping import in_scope, scoped, sees_everything, visible_organisations
from liaison.models import Organisation


def visible_opinions(user) -> QuerySet[Opinion]:
    if not user or not user.is_authenticated:
        return Opinion.objects.none()
    if sees_everything(user):
        return Opinion.objects.all()
    orgs = visible_organisations(user)
    handed_over = scoped(Assignment.objects.filter(opinion=OuterRef("pk")), user, via="unit")
    return Opinion.objects.filter(
        Q(organisation__in=orgs) | Exists(handed_over) | Q(responsible=user) | Q(handler=user)
    )


def owns(user, opinion: Opinion) -> bool:
    """On the receiving organisation's side: the organisation itself or above it."""
    return in_scope(user, opinion.organisation)


def sees(user, opinion: Opinion) -> bool:
    return visible_opinions(user).filter(pk=opinion.pk).exists()


def is_above(user, organisation: Organisation) -> bool:
    if sees_everything(user):
        return True
    return in_scope(user, organisation) and organisation.pk != user.organisation_id


def visible_sessions(user) -> QuerySet[ReceptionSession]:
    """Reception sessions of the user's subtree."""
    return scoped(ReceptionSession.objects.all(), user)


def visible_receptions(user) -> QuerySet[Reception]:
    """Receptions of the user's subtree."""
    return scoped(Reception.objects.all(), user)
