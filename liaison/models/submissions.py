"""One row per submitted create form: the form's one-time token and the record it made.

A double click, or Back and save again, posts the same token twice; the unique token makes the
second submission find the first one's record instead of making a second (liaison.safeguards.idempotency).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Submission(models.Model):
    token = models.UUIDField("表单令牌", unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.CASCADE, related_name="+"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name="记录类型", null=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("记录编号", null=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "表单提交"
        verbose_name_plural = "表单提交"
        indexes = [models.Index(fields=["created_at"], name="submission_created")]

    def __str__(self) -> str:
        return str(self.token)

    @property
    def record(self) -> models.Model | None:
        if self.content_type_id is None or self.object_id is None:
            return None
        return self.content_type.get_object_for_this_type(pk=self.object_id)
