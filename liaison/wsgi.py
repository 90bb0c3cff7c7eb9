"""WSGI entry point for gunicorn: `gunicorn liaison.wsgi`."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
application = get_wsgi_application()

from liaison import worker  # noqa: E402 - needs the application loaded

worker.prepare()
