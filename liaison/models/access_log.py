"""The access log: every look at a full phone or ID number, every export and print of personal data,
and every search a masked role made by a complete number. Append-only from the application."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

APPEND_ONLY = "访问日志只能追加，不能修改或删除。"


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(APPEND_ONLY)

    def delete(self):
        raise AppendOnlyError(APPEND_ONLY)

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError(APPEND_ONLY)

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(APPEND_ONLY)


class AccessLog(models.Model):
    class Kind(models.TextChoices):
        VIEW = "view", "查看完整号码"
        EXPORT = "export", "导出"
        PRINT = "print", "打印"
        SEARCH = "search", "按完整号码搜索"

    at = models.DateTimeField("时间", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.PROTECT, related_name="+"
    )
    # The user's organisation when they looked: a later move to another organisation does not rewrite it.
    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="所属党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    full_numbers = models.BooleanField("含完整号码", default=False)
    path = models.CharField("页面", max_length=500)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    # [{"model": "liaison.household", "ids": [...], "fields": [...], "more": false}, …]
    records = models.JSONField("涉及记录", default=list, blank=True)
    searched = models.CharField("搜索的号码", max_length=30, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "访问日志"
        verbose_name_plural = "访问日志"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at"], name="accesslog_at"),
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
            models.Index(fields=["organisation", "at"], name="accesslog_org_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(APPEND_ONLY)

    @property
    def record_summary(self) -> str:
        from django.apps import apps

        parts = []
        for entry in self.records:
            try:
                name = apps.get_model(entry["model"])._meta.verbose_name
            except (LookupError, ValueError):
                name = entry["model"]
            count = f"{len(entry['ids'])}{'+' if entry.get('more') else ''}"
            parts.append(f"{name} {count} 条")
        return "；".join(parts)

    @classmethod
    def searches_in_last_hour(cls, user) -> int:
        since = timezone.now() - datetime.timedelta(hours=1)
        return cls.objects.filter(user=user, kind=cls.Kind.SEARCH, at__gte=since).count()
