"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from liaison.urls import handler400, handler403, handler404, handler500
from liaison.urls import urlpatterns as project_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def crash(request):
    raise RuntimeError("a bug")


def suspicious(request):
    raise SuspiciousOperation("tampered")


urlpatterns = [path("test-crash/", crash), path("test-suspicious/", suspicious), *project_urls]
