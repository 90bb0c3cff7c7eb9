from __future__ import annotations

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "入户走访"

    def ready(self) -> None:
        from liaison.audit.registry import register_app_models

        register_app_models(self)
        _register_visits()
        _register_compliance()


def _register_visits() -> None:
    """Pairing visits counted on the members pages; the household page's visits; open 五必访 events."""
    from liaison.panels import dashboard_panels, household_panels
    from members.visit_counts import pairing_visit_source
    from visits.counts import count_pairing_visits
    from visits.panels import household_visits, must_visit_panel

    pairing_visit_source.register(count_pairing_visits)
    household_panels.register(household_visits)
    dashboard_panels.register(must_visit_panel)


def _register_compliance() -> None:
    """Terms, meetings, talks and research: their dashboard panel (missed meetings, terms to enter)."""
    from liaison.panels import dashboard_panels
    from visits.compliance.panels import compliance_panel

    dashboard_panels.register(compliance_panel)
