"""What an operator relies on: /healthz, the admin for every model, deploy checks, the start-up warning."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from liaison.documents import pdf


@pytest.mark.django_db
def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_dead_database(rf, monkeypatch):
    from django.db import OperationalError, connection

    from liaison.views.general import healthz

    def broken():
        raise OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    assert healthz(rf.get("/healthz")).status_code == 503


def test_every_project_model_is_in_the_admin():
    ours = {"liaison", "members", "visits", "feedback", "commitments"}
    models = [m for m in apps.get_models() if m._meta.app_label in ours and not m._meta.auto_created]
    missing = [m.__name__ for m in models if not admin.site.is_registered(m)]
    assert missing == []


@pytest.mark.django_db
def test_admin_changelists_load(admin_client):
    ours = {"liaison", "members", "visits", "feedback", "commitments"}
    for model in admin.site._registry:
        if model._meta.app_label in ours:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert admin_client.get(url).status_code == 200, url


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "liaison.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
    }
    for name in (
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=pdf.settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "liaison.settings", "DEBUG": "0"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=pdf.settings.BASE_DIR,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_missing_harfbuzz_subset_is_reported(monkeypatch, caplog):
    monkeypatch.setattr(pdf, "harfbuzz_subset_available", lambda: False)
    with caplog.at_level(logging.WARNING, logger="liaison.documents.pdf"):
        pdf.warn_if_slow_font_subsetting()
    assert "libharfbuzz-subset0" in caplog.text
