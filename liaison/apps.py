from __future__ import annotations

from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = "基础数据"

    def ready(self) -> None:
        from liaison.documents.pdf import warn_if_slow_font_subsetting

        warn_if_slow_font_subsetting()
