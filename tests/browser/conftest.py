"""Browser tests drive Debian's Chromium through Playwright (a downloaded browser is not available)."""

from __future__ import annotations

import os
import shutil
import sys

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class SerialLiveServer(WSGIServer):
    """The live server, answering one request at a time.

    On SQLite the test database lives in memory, so Django hands the live server the test's own
    connection, and its threaded server would use that one connection from a thread per request. The
    dashboard fetches its sections in parallel: four threads on one connection, SQLite calling back
    into Python (TruncMonth) while another thread held the interpreter, froze the whole process, the
    browser's timeouts included, until CI killed the run at 5,400 s. Requests from the browser now
    queue on the socket; a non-threaded server also answers every request with Connection: close."""

    IDLE_SECONDS = 5  # a socket Chromium opened ahead of time and sent nothing on must not hold the queue

    def __init__(self, *args, connections_override=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # LiveServerThread.run has already put the overridden connections in this, the serving, thread.

    def get_request(self):
        sock, address = super().get_request()
        sock.settimeout(self.IDLE_SECONDS)
        return sock, address

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], TimeoutError):
            return  # the idle socket above: Chromium opens another when it needs one
        super().handle_error(request, client_address)


LiveServerThread.server_class = SerialLiveServer


# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls (fixtures, database
# teardown) stay synchronous. Set for the whole process because teardown runs after function fixtures.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: run `bash scripts/bootstrap.sh --test` (installs Debian's chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A cheap phone: 360 px wide, touch."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


PROJECT_APPS = ("liaison", "members", "visits", "feedback", "commitments")


def in_dependency_order(models: list) -> list:
    """Models ordered so that each comes after the models its foreign keys point to."""
    ordered: list = []
    pending = list(models)
    while pending:
        ready = [
            m
            for m in pending
            if all(
                f.related_model in ordered or f.related_model is m or f.related_model not in pending
                for f in m._meta.get_fields()
                if (f.many_to_one or f.one_to_one) and f.concrete
            )
        ]
        ordered += ready or pending  # a cycle would be broken by nullable keys; none in the seeded data
        pending = [m for m in pending if m not in ordered]
    return ordered


@pytest.fixture(scope="session")
def _migration_rows_snapshot(django_db_setup, django_db_blocker) -> str:
    """The rows the project's data migrations seeded (work calendar, quota rules, household tags), as
    they stand before any browser test runs. (Django's serialized_rollback cannot restore them: with
    Playwright running, the test sees another connection object than the one it serialized on.)"""
    from django.apps import apps
    from django.core import serializers

    models = in_dependency_order(
        [m for label in PROJECT_APPS for m in apps.get_app_config(label).get_models()]
    )
    with django_db_blocker.unblock():
        return serializers.serialize(
            "json", (obj for model in models for obj in model._default_manager.all())
        )


def _restore(snapshot: str) -> None:
    from django.core import serializers

    for obj in serializers.deserialize("json", snapshot):
        if not type(obj.object)._default_manager.filter(pk=obj.object.pk).exists():
            obj.save()


@pytest.fixture(autouse=True)
def _migration_rows(transactional_db, _migration_rows_snapshot):
    """A transactional test ends by emptying every table, the seeded rows too: put them back before each
    browser test, whatever ran before it."""
    _restore(_migration_rows_snapshot)


@pytest.fixture(scope="module", autouse=True)
def _leave_migration_rows_as_found(_migration_rows_snapshot, django_db_blocker):
    """…and after the last test of each module, so the tests that run after the browser tests find them."""
    yield
    with django_db_blocker.unblock():
        _restore(_migration_rows_snapshot)
