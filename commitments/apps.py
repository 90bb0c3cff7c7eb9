from __future__ import annotations

from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = "承诺践诺"

    def ready(self) -> None:
        from liaison.audit.registry import register_app_models

        register_app_models(self)
