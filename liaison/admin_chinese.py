"""The admin in Chinese where neither Django nor django-axes says it in Chinese.

- Permission names: Django stores "Can add 群众意见" in the database when it creates a permission;
  after every migrate they are renamed "可以增加 群众意见" (the wording of Django's own zh_Hans admin).
- django-axes' records name themselves in English ("Access Log for admin @ …"): the admin shows
  "admin 于 2026-12-02 10:15 登录" instead.
"""

from __future__ import annotations

import re

from django.utils import timezone

ACTIONS = {"add": "增加", "change": "修改", "delete": "删除", "view": "查看"}
ENGLISH_NAME = re.compile(r"^Can (add|change|delete|view) (.+)$")


def chinese_permission_names(*, using: str = "default", **kwargs) -> None:
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        _rename(Permission, using)


def _rename(Permission, using: str) -> None:
    for permission in Permission.objects.using(using).select_related("content_type"):
        match = ENGLISH_NAME.match(permission.name)
        if not match:
            continue
        model = permission.content_type.model_class()
        subject = str(model._meta.verbose_name) if model else match.group(2)
        name = f"可以{ACTIONS[match.group(1)]} {subject}"[:255]
        Permission.objects.using(using).filter(pk=permission.pk).update(name=name)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def chinese_axes_records() -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    AccessLog.__str__ = lambda self: f"{self.username} 于 {_when(self.attempt_time)} 登录"
    AccessAttempt.__str__ = lambda self: f"{self.username} 于 {_when(self.attempt_time)} 的登录尝试"
    AccessFailureLog.__str__ = lambda self: (
        f"{self.username} 于 {_when(self.attempt_time)} 登录失败{'（已锁定）' if self.locked_out else ''}"
    )
