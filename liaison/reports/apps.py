from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """No models: an app so that its jobs.py registers with the jobs layer at start-up (LiaisonConfig
    autodiscovers every app's jobs module), its templates are found and its command is listed."""

    name = "liaison.reports"
    label = "reports"
    verbose_name = "统计报表"
