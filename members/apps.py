from __future__ import annotations

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "党员与结对帮扶"

    def ready(self) -> None:
        from liaison.panels import dashboard_panels, household_panels
        from members.panels import dashboard_coverage, household_helpers

        household_panels.register(household_helpers)
        dashboard_panels.register(dashboard_coverage)
