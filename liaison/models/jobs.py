"""A background job (liaison/jobs/): one long piece of work started from a page, its progress, and the
file it made.

The Tasks API (django-tasks) runs the work; this row is what the user sees of it, whatever backend runs
it: who started it and for which organisation, how far it is, the Chinese error when it failed, and the
file until it expires. The file is bound to the starter's scope: the starter, or a user of the same
organisation who may see what the file shows, downloads it (liaison.jobs.scope).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        EXPIRED = "expired", "文件已过期"

    token = models.UUIDField("令牌", default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("任务类型", max_length=60)
    title = models.CharField("任务", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="发起人所属党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The file may carry full phone or ID numbers (the starter could see them): only users who may see
    # them too download it.
    full_numbers = models.BooleanField("含完整号码", default=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    stage = models.CharField("当前步骤", max_length=200, blank=True)
    error = models.TextField("失败原因", blank=True)
    message = models.CharField("结果说明", max_length=500, blank=True)
    link = models.CharField("后续页面", max_length=300, blank=True)
    link_text = models.CharField("后续页面名称", max_length=60, blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("文件大小（字节）", default=0)
    stored_name = models.CharField("存储文件", max_length=100, blank=True)
    task_id = models.CharField("后台任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    expires_at = models.DateTimeField("文件保留至", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="job_user_created"),
            models.Index(fields=["organisation", "-created_at"], name="job_org_created"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
            models.Index(fields=["status", "expires_at"], name="job_status_expires"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)

    @property
    def has_file(self) -> bool:
        return self.status == self.Status.DONE and bool(self.stored_name)
