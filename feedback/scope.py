"""Who sees and who acts on an opinion, built on liaison.access.scoping (the one scoping mechanism).

- A user sees the opinions of their subtree (`scoped`), plus those handed by 交办单 to a unit in their
  subtree, plus those naming them as 责任人 or 经办人: a unit must see what it was asked to handle.
- The owning side (the receiving organisation's subtree) edits, hands over, urges, answers the reporter
  and closes. The handling side (assigned units, the 经办人) records receipt, progress, the result and
  asks for more time.
- "The organisation above" (extensions, 督办) is any organisation whose subtree holds the opinion's
  organisation but that is not that organisation itself.

转报上级 (a category-2 opinion sent to the level above) moves the owning side, not the seeing side: the
opinion gets a `holder`, always an ancestor of its organisation, so the holder's subtree already
contains the opinion and `visible_opinions` needs no second condition: both organisations see it. The
owning and handling side become the holder's subtree (`owns`, `handles`); the one below only reads,
and its lists show the opinion as 已转报 (`transferred_away`) until it is answered.

Escalation comes from the same rule: an overdue opinion of a village is in its township's subtree, so
the township's dashboard shows it, flagged as coming from below (selectors.deadline_board).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from feedback.models import Assignment, Opinion, Reception, ReceptionSession
from liaison.access.scoping import in_scope, scoped, sees_everything, sees_whole_tree, visible_organisations
from liaison.models import Organisation

# How many opinions handed by 交办单 to the user's subtree a list names by id (`visible_opinions`'s
# `ids_first`); beyond it the 交办单 side stays a subquery. Well under the bind-parameter limits.
HANDED_OVER_BY_ID = 2000


def visible_opinions(user, *, ids_first: bool = False) -> QuerySet[Opinion]:
    """The opinions the user sees (the module's docstring says who).

    `ids_first`, for a list that counts and pages: the subtree's organisations and the opinions handed
    to it are read first (two small queries), so every side of the condition is a list of ids on an
    indexed column and PostgreSQL ORs the indexes' matches. As subqueries, the sides could only be
    tested row by row: a village clerk's count read all 60,000 of a district's opinions for its 195
    (49 → 1 ms), a township's 780 ms cold."""
    if not user or not user.is_authenticated:
        return Opinion.objects.none()
    if sees_whole_tree(user):
        # Every opinion's organisation is in the tree: no condition. The OR of the four sides below made
        # PostgreSQL read all 60,000 of a district's opinions for the 组织部's count (38 ms).
        return Opinion.objects.all()
    orgs = visible_organisations(user).values("pk")
    handed_over = scoped(Assignment.objects.order_by(), user, via="unit")
    handed_side = Exists(handed_over.filter(opinion=OuterRef("pk")))
    if ids_first:
        orgs = list(orgs.values_list("pk", flat=True))
        handed = list(handed_over.values_list("opinion_id", flat=True).distinct()[: HANDED_OVER_BY_ID + 1])
        if len(handed) <= HANDED_OVER_BY_ID:
            handed_side = Q(pk__in=handed)
    return Opinion.objects.filter(
        Q(organisation__in=orgs) | handed_side | Q(responsible=user) | Q(handler=user)
    )


# The units a 交办单 may go to beyond the user's subtree (issue 14 "Organisation kinds"): the 站所 and
# departments attached to the issuing organisation or to an organisation above it — a village may task
# its township's 站所 and the district's departments; a township the district's. "Attached" is the
# tree: a 站所 or department is a unit whose parent is that township or the district.
TASKABLE_KINDS = (Organisation.Kind.STATION, Organisation.Kind.DEPARTMENT)


def taskable_units(user) -> QuerySet[Organisation]:
    """Where the user may send a 交办单: their subtree, and the 站所/departments attached above them."""
    visible = visible_organisations(user)
    if sees_everything(user) or not user.organisation_id:
        return visible
    own = user.organisation
    attached = Organisation.objects.filter(
        level=Organisation.Level.UNIT,
        unit_kind__in=TASKABLE_KINDS,
        parent__in=own.ancestors().values("pk"),
    )
    return visible | attached


def may_task(user, unit: Organisation | None) -> bool:
    return unit is not None and taskable_units(user).filter(pk=unit.pk).exists()


def owns(user, opinion: Opinion) -> bool:
    """On the receiving organisation's side: the organisation itself or above it (after 转报上级, the
    organisation that now holds it, or above)."""
    return in_scope(user, opinion.handling_organisation)


def sees(user, opinion: Opinion) -> bool:
    return visible_opinions(user).filter(pk=opinion.pk).exists()


def transferred_away(user, opinion: Opinion) -> bool:
    """The opinion was sent up out of the user's subtree (转报上级): the user reads it, the holder acts."""
    return opinion.holder_id is not None and not in_scope(user, opinion.holder)


def away_from(user) -> Q:
    """The condition for "transferred up out of the user's subtree", for lists and the dashboard."""
    return Q(holder__isnull=False) & ~Q(holder__in=visible_organisations(user).values("pk"))


def handles(user, opinion: Opinion) -> bool:
    """May act on it as its handler: it is visible, and not sent up out of the user's subtree unless the
    user still has a part in it (经办人 or 责任人 named by the holder, or a unit handed a 交办单)."""
    if not sees(user, opinion):
        return False
    if not transferred_away(user, opinion):
        return True
    if user.pk in (opinion.responsible_id, opinion.handler_id):
        return True
    return scoped(Assignment.objects.filter(opinion=opinion), user, via="unit").exists()


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
