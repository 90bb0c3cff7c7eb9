"""The one scoping mechanism: a user sees only their organisation's subtree.

Every selector, form field, PDF and export starts from `visible_organisations(user)` or
`scoped(queryset, user)`. No view builds its own Organisation filter. A record outside the subtree
is simply not in the queryset, so `get_object_or_404` answers 404 for it.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from liaison.models import Organisation

M = TypeVar("M", bound=Model)


def sees_everything(user) -> bool:
    """A superuser with no organisation (the installer's account) sees the whole tree."""
    return bool(user and user.is_authenticated and user.is_superuser and not user.organisation_id)


def root_organisation(user) -> Organisation | None:
    """The top of what the user may see; None means nothing (or everything, for a superuser)."""
    if not user or not user.is_authenticated:
        return None
    return user.organisation


def visible_organisations(user) -> QuerySet[Organisation]:
    if sees_everything(user):
        return Organisation.objects.all()
    root = root_organisation(user)
    if root is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(path__startswith=root.path)


def scoped(queryset: QuerySet[M], user, via: str = "organisation") -> QuerySet[M]:
    """Restrict any queryset to records whose `via` organisation lies in the user's subtree.

    `via` is the lookup path from the model to its Organisation, e.g. "household__organisation".
    """
    if sees_everything(user):
        return queryset
    root = root_organisation(user)
    if root is None:
        return queryset.none()
    return queryset.filter(**{f"{via}__path__startswith": root.path})


def get_scoped_or_404(queryset: QuerySet[M], user, via: str = "organisation", **lookup) -> M:
    return get_object_or_404(scoped(queryset, user, via), **lookup)


def in_scope(user, organisation: Organisation | None) -> bool:
    if organisation is None:
        return False
    if sees_everything(user):
        return True
    return visible_organisations(user).filter(pk=organisation.pk).exists()
