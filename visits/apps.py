from __future__ import annotations

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "入户走访"

    def ready(self) -> None:
        from liaison.audit.registry import register_app_models

        register_app_models(self)
