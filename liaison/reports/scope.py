"""Who may make which report: the 组织部 for the district or any 镇街 (or village), a secretary or a
镇街管理员 for their own subtree, through the one scoping mechanism (liaison.access.scoping). A root
outside the user's subtree is a 404, like any record there; clerks enter records and do not report."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from liaison.access.scoping import visible_organisations
from liaison.models import Organisation, Role

REPORT_ROLES = frozenset({Role.ORG_DEPT, Role.SECRETARY, Role.TOWNSHIP_ADMIN})
REPORT_LEVELS = (
    Organisation.Level.DISTRICT,
    Organisation.Level.TOWNSHIP,
    Organisation.Level.VILLAGE,
    Organisation.Level.COMMUNITY,
)
OUT_OF_SCOPE = "所选单位不在您的管辖范围内，不能生成它的报表。"
NOT_REPORTABLE = "只能为区、镇街或村（社区）生成年度统计。"


def may_report(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in REPORT_ROLES))


def report_organisations(user) -> QuerySet[Organisation]:
    """The roots the user may ask a report for: the levels that have one, in their subtree."""
    return visible_organisations(user).filter(level__in=REPORT_LEVELS).order_by("path")


def report_root_or_404(user, pk) -> Organisation:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(OUT_OF_SCOPE) from None
    root = report_organisations(user).select_related("parent").filter(pk=pk).first()
    if root is None:
        raise Http404(OUT_OF_SCOPE)
    return root
