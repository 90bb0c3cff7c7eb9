"""What each role may do: the one place that maps roles to Django permissions.

组织部 reads everything and changes only configuration; 镇街管理员 and 书记 and 经办人 write in their
own subtree. Full phone and ID numbers (liaison.view_personal_data) are for the people who work with
residents face to face: the village clerk and the secretary. Township administrators and the
organisation department see them masked unless a superuser grants the permission to a named user.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from liaison.access.scoping import whole_tree_of
from liaison.models import Role, User

DOMAIN_APPS = frozenset({"liaison", "members", "visits", "feedback", "commitments"})
# Models only a superuser manages through the admin: the tree itself, the accounts, the counters
# (the stored totals are not in the admin at all: `manage.py rebuild_totals` recounts them).
ADMIN_ONLY_MODELS = frozenset(
    {"organisation", "user", "sequence", "organisationtotals", "organisationtagtotal"}
)
# The access log is read by the organisation department only (granted by name below), and written
# by the application only (liaison.access.middleware): no role adds, changes or deletes a row.
LOG_MODELS = frozenset({"accesslog"})
# Permissions no user is granted one by one (a superuser has them all anyway).
ROLE_ONLY_PERMISSIONS = frozenset({"liaison.view_accesslog"})
# Configuration the organisation department owns (DESIGN.md: "rules/quotas configuration"); the
# other roles may read it but not change it.
CONFIG_MODELS = frozenset(
    {"quotarule", "quotarulechange", "householdtag", "workcalendaryear", "workcalendarday"}
)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.CLERK: frozenset({"view", "add", "change"}),
    Role.SECRETARY: frozenset({"view", "add", "change"}),
    Role.TOWNSHIP_ADMIN: frozenset({"view", "add", "change"}),
    Role.ORG_DEPT: frozenset({"view"}),
}
# The address a change was made from is for those who supervise others' work (the audit trail,
# liaison/audit/history.py); the permanent removal of archived records after the retention period is
# the organisation department's alone (liaison/retention.py).
ROLE_EXTRA_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CLERK: frozenset({"liaison.view_personal_data"}),
    Role.SECRETARY: frozenset({"liaison.view_personal_data", "liaison.view_audit_address"}),
    Role.TOWNSHIP_ADMIN: frozenset({"liaison.view_audit_address"}),
    Role.ORG_DEPT: frozenset(
        {
            *(f"liaison.{action}_{model}" for model in CONFIG_MODELS for action in ("view", "add", "change")),
            "liaison.view_audit_address",
            "liaison.purge_archived",
            "liaison.view_accesslog",
        }
    ),
}


# What a role may not do although the generic rule above would allow it.
ROLE_DENIED_PERMISSIONS: dict[str, frozenset[str]] = {
    # 004 “1234”制度 一: “党组织书记要及时查看，对未办结事项及时催办、督办” — the secretary chases, not the clerk.
    Role.CLERK: frozenset({"feedback.add_urge"}),
}


# What the Excel import (members/views/imports.py) writes, so what it takes to use it and to see it in
# the menu: households and party members, added and changed.
IMPORT_PERMISSIONS = (
    "members.add_importbatch",
    "liaison.add_household",
    "liaison.change_household",
    "members.add_partymember",
    "members.change_partymember",
)


def role_has_perm(role: str, perm: str) -> bool:
    if perm in ROLE_DENIED_PERMISSIONS.get(role, frozenset()):
        return False
    if perm in ROLE_EXTRA_PERMISSIONS.get(role, frozenset()):
        return True
    app_label, _, codename = perm.partition(".")
    action, _, model = codename.partition("_")
    if (
        app_label not in DOMAIN_APPS
        or model in ADMIN_ONLY_MODELS
        or model in LOG_MODELS
        or not _is_model(app_label, model)
    ):
        return False  # custom permissions (view_personal_data …) are granted only by name, above
    if model in CONFIG_MODELS and action != "view":
        return False
    return action in ROLE_ACTIONS.get(role, frozenset())


def _is_model(app_label: str, model_name: str) -> bool:
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True


class RoleBackend(ModelBackend):
    """Logs people in as ModelBackend does, and grants the permissions of the user's role first,
    without a query. Permissions a superuser granted to one named user still count."""

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if role_has_perm(getattr(user_obj, "role", ""), perm):
            return True
        if perm in ROLE_ONLY_PERMISSIONS:
            return False  # decided by the role alone: the menu asks on every page, without a query
        return super().has_perm(user_obj, perm, obj)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """What a superuser granted to this user by name or through a group, in one query (ModelBackend
        asks twice, once per source), kept on the user for the rest of the request as ModelBackend does."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                return super().get_all_permissions(user_obj, obj)
            granted = (
                Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
                .order_by()
                .values_list("content_type__app_label", "codename")
                .distinct()
            )
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in granted}
        return user_obj._perm_cache

    def get_user(self, user_id):
        """The session's user with their organisation in the same query: every page scopes by it, so
        reading it separately cost each request a query of its own (issue #10). The same query says
        whether the organisation's subtree is the whole tree (liaison.access.scoping.sees_whole_tree)."""
        user = (
            User._default_manager.select_related("organisation")
            .annotate(liaison_whole_tree=whole_tree_of("organisation"))
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        if user.organisation_id is not None:
            user._sees_whole_tree = bool(user.liaison_whole_tree)
        return user
