"""Test settings: fast hashing, plain HTTP, in-memory e-mail."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")

from liaison.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Jobs run inside the request that starts them (DESIGN: "jobs run immediately in tests"); no heartbeat
# thread, since there is no worker to lose.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LIAISON_JOB_HEARTBEAT_SECONDS = 0
# Job files of the test run in a directory of their own, never in the project's media/.
LIAISON_JOB_FILES_DIR = tempfile.mkdtemp(prefix="liaison-test-jobs-")
# The apps' dashboard tests read their panels off "/" (the page loads them after itself in production);
# tests of the page's query budget set it to False (tests/test_bench_guard.py, tests/test_dashboard.py).
LIAISON_DASHBOARD_PANELS_INLINE = True
