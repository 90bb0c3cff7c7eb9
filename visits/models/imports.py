"""An Excel import of visits (民情日志 typed up from a year of paper booklets): one row from upload to
commit. The file waits, parsed, under MEDIA_ROOT/imports/ (members.imports.storage, the same place and
rules as the household import) bound to the uploader by an unguessable token; a committed batch is the
import log: who, when, which file, how many visits and opinions it made."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class VisitImport(models.Model):
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
    visits_created = models.PositiveIntegerField("新增走访", default=0)
    visits_existing = models.PositiveIntegerField("已有走访（未重复导入）", default=0)
    opinions_created = models.PositiveIntegerField("登记群众意见", default=0)

    class Meta:
        verbose_name = "走访记录 Excel 导入"
        verbose_name_plural = "走访记录 Excel 导入"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="visitimport_status_created")]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"
