from __future__ import annotations

from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = "承诺践诺"

    def ready(self) -> None:
        from commitments.panels import dashboard_panel, public_section
        from liaison.audit.registry import register_app_models
        from liaison.panels import dashboard_panels, public_sections

        register_app_models(self)
        dashboard_panels.register(dashboard_panel)
        public_sections.register(public_section)
