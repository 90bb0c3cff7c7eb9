from __future__ import annotations

from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = "基础数据"

    def ready(self) -> None:
        from liaison import pdf  # noqa: F401  (logs the libharfbuzz-subset warning once at start-up)
