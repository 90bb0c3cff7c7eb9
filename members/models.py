"""Party members (党员). The members issue completes this model with posts, pairing and the rest."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from liaison.pinyin import initials
from liaison.validators import validate_id_number, validate_phone


class PartyMember(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField("姓名", max_length=50)
    name_initials = models.CharField("拼音首字母", max_length=50, editable=False, blank=True, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    join_date = models.DateField("入党时间", null=True, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    id_number = models.CharField("身份证号", max_length=18, blank=True, validators=[validate_id_number])
    title = models.CharField("职务", max_length=50, blank=True)
    household = models.ForeignKey(
        "liaison.Household", verbose_name="所在户", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="party_members",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="party_member",
    )

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["organisation_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~models.Q(id_number=""), name="member_unique_id_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_initials = initials(self.name)
        super().save(*args, **kwargs)
