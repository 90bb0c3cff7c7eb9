"""Login users: each belongs to one organisation and has one role (DESIGN.md "Users")."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CLERK = "clerk", "经办人"
    SECRETARY = "secretary", "书记"
    TOWNSHIP_ADMIN = "township_admin", "镇街管理员"
    ORG_DEPT = "org_dept", "组织部"


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    title = models.CharField("职务", max_length=50, blank=True, help_text="打印在表格上，如“村党委书记”")
    phone = models.CharField("联系电话", max_length=20, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="所属党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="用户只能看到本组织及其下级组织的数据。",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            # A non-superuser without an organisation would see nothing; a role without one is a mistake.
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(organisation__isnull=False),
                name="user_role_needs_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


def recorded_by(verbose_name: str = "录入人") -> models.ForeignKey:
    """The user who entered or decided something on a record: kept as empty when the account is deleted,
    with no reverse accessor on User."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
