"""An Excel import of households, residents and members: one row from upload to commit.

The uploaded file waits under MEDIA_ROOT/imports/ between the preview and the commit, bound to the user
who uploaded it by an unguessable token. A committed batch is the import log: who, what, when, counts.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        COMMITTED = "committed", "已导入"
        DISCARDED = "discarded", "已取消"

    token = models.UUIDField("令牌", default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="导入人所属党组织",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filename = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("文件大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    stored_name = models.CharField("暂存文件", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)
    job = models.ForeignKey(
        "liaison.Job",
        verbose_name="后台任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="读取文件或写入数据的后台任务（最近一次）",
    )
    rows = models.PositiveIntegerField("数据行数", default=0)
    households_created = models.PositiveIntegerField("新增户", default=0)
    households_updated = models.PositiveIntegerField("更新户", default=0)
    households_unchanged = models.PositiveIntegerField("未变户", default=0)
    residents_created = models.PositiveIntegerField("新增家庭成员", default=0)
    residents_updated = models.PositiveIntegerField("更新家庭成员", default=0)
    residents_unchanged = models.PositiveIntegerField("未变家庭成员", default=0)
    members_created = models.PositiveIntegerField("新增党员", default=0)
    members_updated = models.PositiveIntegerField("更新党员", default=0)
    members_unchanged = models.PositiveIntegerField("未变党员", default=0)

    class Meta:
        verbose_name = "Excel 导入"
        verbose_name_plural = "Excel 导入"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="importbatch_status_created")]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"
