from __future__ import annotations

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "党员与结对帮扶"

    def ready(self) -> None:
        from liaison.audit.registry import register_app_models
        from liaison.panels import dashboard_panels, household_panels
        from liaison.retention import archive_checks
        from members import pairing_place
        from members.panels import dashboard_coverage, household_helpers
        from members.retention import active_pairings

        register_app_models(self)
        pairing_place.connect()
        household_panels.register(household_helpers)
        dashboard_panels.register(dashboard_coverage)
        if active_pairings not in archive_checks:
            archive_checks.append(active_pairings)
