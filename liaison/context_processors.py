from __future__ import annotations

from django.conf import settings

from liaison.access.roles import IMPORT_PERMISSIONS, role_has_perm
from liaison.models import Role
from liaison.reports.scope import REPORT_ROLES


def region(request) -> dict:
    return {"region_name": settings.LIAISON_REGION_NAME}


def menu(request) -> dict:
    """Which menu entries a user gets: the ones their work uses, not every page they may open.

    工作日历 is kept by the organisation department, who enters each year's holidays; the others only
    meet its effect (a due date marked 暂定). 定额规则 are read by the people whose work they measure
    (secretaries, township and district), not by the clerk typing records. Excel 导入 writes households
    and members, which the read-only 组织部 cannot.

    The menu follows the role (answered without a query, on every page); a permission a superuser
    grants to one named user opens the page itself, not a menu entry."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def may(*perms: str) -> bool:
        return user.is_superuser or all(role_has_perm(user.role, perm) for perm in perms)

    return {
        "menu": {
            "calendar": may("liaison.change_workcalendaryear"),
            "quotas": may("liaison.view_quotarule") and user.role != Role.CLERK,
            "imports": may(*IMPORT_PERMISSIONS),
            "receptions": may("feedback.view_reception"),
            "reception_entry": may("feedback.add_reception"),
            "reports": user.is_superuser or user.role in REPORT_ROLES,
        }
    }
