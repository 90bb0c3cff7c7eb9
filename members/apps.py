from __future__ import annotations

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "党员与结对帮扶"
