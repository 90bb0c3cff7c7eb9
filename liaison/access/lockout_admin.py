"""Admin unlock for failed-login locks: an action on 用户 and on axes' 登录失败记录."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages

from liaison.access.lockout import unlock_usernames


@admin.action(description="解除所选账号的登录锁定（所有电脑）", permissions=["change"])
def unlock_users(modeladmin, request, queryset) -> None:
    usernames = list(queryset.values_list("username", flat=True))
    removed = unlock_usernames(usernames)
    modeladmin.message_user(
        request,
        f"已解除 {len(usernames)} 个账号的登录锁定（清除失败记录 {removed} 条）：{'、'.join(usernames)}",
        messages.SUCCESS,
    )


@admin.action(description="解除所选记录中账号的登录锁定（所有电脑）", permissions=["delete"])
def unlock_attempt_usernames(modeladmin, request, queryset) -> None:
    usernames = sorted({u for u in queryset.values_list("username", flat=True) if u})
    removed = unlock_usernames(usernames)
    modeladmin.message_user(
        request,
        f"已解除 {len(usernames)} 个账号的登录锁定（清除失败记录 {removed} 条）：{'、'.join(usernames)}",
        messages.SUCCESS,
    )


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LiaisonAccessAttemptAdmin(AccessAttemptAdmin):
    actions = [unlock_attempt_usernames, *(AccessAttemptAdmin.actions or [])]
