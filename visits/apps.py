from __future__ import annotations

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "入户走访"

    def ready(self) -> None:
        from liaison.audit.registry import register_app_models

        register_app_models(self)
        _register_compliance()


def _register_compliance() -> None:
    """Terms, meetings, talks and research: their dashboard panel (missed meetings, terms to enter)."""
    from liaison.panels import dashboard_panels
    from visits.compliance.panels import compliance_panel

    dashboard_panels.register(compliance_panel)
