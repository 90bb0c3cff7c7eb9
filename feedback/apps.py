from __future__ import annotations

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "群众意见办理"

    def ready(self) -> None:
        from feedback.panels import deadline_panel
        from feedback.public import reception_section
        from liaison.audit.registry import register_app_models
        from liaison.panels import dashboard_panels, public_sections
        from liaison.workcal import work_calendar_changed

        register_app_models(self)
        dashboard_panels.register(deadline_panel)
        public_sections.register(reception_section)  # /public/: the 三公开 of the reception days
        work_calendar_changed.connect(_recompute_due_dates, dispatch_uid="feedback-recompute-due-dates")


def _recompute_due_dates(sender, years, **kwargs) -> None:
    """The organisation department entered or corrected a year: recount the due dates still running."""
    from feedback.services import opinion_recompute_due_dates

    opinion_recompute_due_dates(years=list(years))
