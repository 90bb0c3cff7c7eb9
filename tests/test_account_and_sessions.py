"""A user changes their own password; sessions end after the idle period and after the absolute limit."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse

from liaison.access import sessions
from liaison.views.account import PASSWORD_CHANGED
from tests.forms_utils import form_fields

pytestmark = pytest.mark.django_db
OLD = "pw-12345!"


def log_in(client, username: str, password: str = OLD):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, "login failed"
    return client


class TestPasswordChange:
    def test_the_user_menu_links_to_it(self, client, clerk_a):
        page = log_in(client, "clerk_a").get(reverse("dashboard")).content.decode()
        assert f'href="{reverse("password-change")}">修改密码</a>' in page

    def test_change_and_log_in_with_the_new_password(self, client, clerk_a):
        log_in(client, "clerk_a")
        url = reverse("password-change")
        page = client.get(url).content.decode()
        assert "修改密码" in page and "旧密码" in page and "新密码" in page
        data = form_fields(page)
        data.update(
            {"old_password": OLD, "new_password1": "Guihua-2026-cun", "new_password2": "Guihua-2026-cun"}
        )
        response = client.post(url, data, follow=True)
        assert response.redirect_chain[-1][0] == reverse("dashboard")
        assert PASSWORD_CHANGED in response.content.decode()
        assert client.get(reverse("household-list")).status_code == 200  # this session goes on
        client.logout()
        assert client.post(reverse("login"), {"username": "clerk_a", "password": OLD}).status_code == 200
        log_in(client, "clerk_a", "Guihua-2026-cun")

    @pytest.mark.parametrize(
        ("old", "new", "message"),
        [
            ("wrong-old", "Guihua-2026-cun", "你的旧密码不正确"),
            (OLD, "12345678", "这个密码太常见了"),
            (OLD, "Gh-26", "密码太短，至少要有 8 个字符。"),
            (OLD, "83920174", "密码只包含数字。"),
        ],
    )
    def test_refusals_are_in_chinese(self, client, clerk_a, old, new, message):
        log_in(client, "clerk_a")
        data = {"old_password": old, "new_password1": new, "new_password2": new}
        response = client.post(reverse("password-change"), data)
        assert response.status_code == 200 and message in response.content.decode()
        clerk_a.refresh_from_db()
        assert clerk_a.check_password(OLD)

    def test_anonymous_users_are_sent_to_log_in(self, client):
        response = client.get(reverse("password-change"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def age_session(client, **seconds_ago) -> None:
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = int(now - ago)
    session.save()


class TestIdleTimeout:
    def test_a_session_idle_for_the_limit_ends(self, client, clerk_a):
        log_in(client, "clerk_a")
        idle = settings.LIAISON_SESSION_IDLE_MINUTES * 60
        age_session(client, **{sessions.LAST_SEEN: idle + 1})
        response = client.get(reverse("household-list"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("login"))
        assert sessions.IDLE_LOGGED_OUT.format(minutes=30) in response.content.decode()
        assert client.get(reverse("household-list")).status_code == 302  # it stays ended

    def test_just_under_the_idle_limit_goes_on_and_restarts_the_clock(self, client, clerk_a):
        log_in(client, "clerk_a")
        idle = settings.LIAISON_SESSION_IDLE_MINUTES * 60
        age_session(client, **{sessions.LAST_SEEN: idle - 5})
        assert client.get(reverse("household-list")).status_code == 200
        assert time.time() - client.session[sessions.LAST_SEEN] < 60

    def test_the_setting_decides(self, client, clerk_a, settings):
        settings.LIAISON_SESSION_IDLE_MINUTES = 5
        log_in(client, "clerk_a")
        age_session(client, **{sessions.LAST_SEEN: 5 * 60 + 1})
        assert client.get(reverse("household-list")).status_code == 302


class TestAbsoluteLimit:
    def test_a_busy_session_still_ends_after_session_cookie_age(self, client, clerk_a):
        log_in(client, "clerk_a")
        age_session(client, **{sessions.LOGIN_AT: settings.SESSION_COOKIE_AGE + 1, sessions.LAST_SEEN: 10})
        response = client.get(reverse("household-list"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("login"))
        assert "登录已超过 8 小时，为保护群众信息已自动退出，请重新登录。" in response.content.decode()

    def test_within_the_day_it_goes_on(self, client, clerk_a):
        log_in(client, "clerk_a")
        age_session(client, **{sessions.LOGIN_AT: settings.SESSION_COOKIE_AGE - 60, sessions.LAST_SEEN: 10})
        assert client.get(reverse("household-list")).status_code == 200

    def test_the_login_time_is_stamped_at_login(self, client, clerk_a):
        log_in(client, "clerk_a")
        assert time.time() - client.session[sessions.LOGIN_AT] < 60


class TestKeepalive:
    def test_the_ping_of_a_user_still_typing_restarts_the_idle_clock(self, client, clerk_a):
        log_in(client, "clerk_a")
        page = client.get(reverse("household-create")).content.decode()
        assert f'data-keepalive="{reverse("keepalive")}"' in page
        idle = settings.LIAISON_SESSION_IDLE_MINUTES * 60
        age_session(client, **{sessions.LAST_SEEN: idle - 60})
        response = client.get(reverse("keepalive"))
        assert response.status_code == 204 and "no-store" in response["Cache-Control"]
        assert time.time() - client.session[sessions.LAST_SEEN] < 60

    def test_it_cannot_revive_an_idle_session(self, client, clerk_a):
        log_in(client, "clerk_a")
        age_session(client, **{sessions.LAST_SEEN: settings.LIAISON_SESSION_IDLE_MINUTES * 60 + 1})
        assert client.get(reverse("keepalive")).status_code == 302


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "LIAISON_SESSION_IDLE_MINUTES",
            "0",
            "LIAISON_SESSION_IDLE_MINUTES 应在 1 分钟到 SESSION_COOKIE_AGE 之间。",
        ),
        (
            "LIAISON_SESSION_IDLE_MINUTES",
            "481",
            "LIAISON_SESSION_IDLE_MINUTES 应在 1 分钟到 SESSION_COOKIE_AGE 之间。",
        ),
        (
            "LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT",
            "5",
            "LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT 应大于 AXES_FAILURE_LIMIT",
        ),
        ("LIAISON_IMPORT_MAX_UNPACKED_MB", "0", "LIAISON_IMPORT_MAX_UNPACKED_MB 至少为 1。"),
    ],
)
def test_settings_that_would_defeat_the_limits_refuse_to_start(name, value, message):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "1", name: value}
    result = subprocess.run(
        [sys.executable, "-c", "import liaison.settings"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0 and message in result.stderr
