from __future__ import annotations

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "入户走访"
