"""Password guessing spread over many addresses: the account itself locks after
LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT failures in the cool-off window, and an administrator unlocks it."""

from __future__ import annotations

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from liaison.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RIGHT = "pw-12345!"


def guess(client, username: str, password: str, n: int):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=f"10.9.{n // 250}.{n % 250 + 1}",
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_thirty_guesses_from_thirty_addresses_lock_the_account(client, clerk_a, clerk_b):
    statuses = [guess(client, "clerk_a", f"guess-{n}", n).status_code for n in range(30)]
    limit = settings.LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT
    # each address failed once; the 20th failure locks the account, and later guesses are not even checked
    assert statuses == [200] * (limit - 1) + [429] * (30 - limit + 1)
    locked = guess(client, "clerk_a", RIGHT, 99)  # the right password, from a new address
    assert locked.status_code == 429
    page = text(locked)
    assert "该账号密码输错次数过多，已暂停登录 15 分钟（所有电脑）" in page
    assert "解除锁定" in page
    assert 'name="password"' in locked.content.decode()  # it is the login page: a colleague can log in
    assert guess(client, "clerk_b", RIGHT, 99).status_code == 302  # the other accounts are untouched


def test_the_account_limit_exactly(client, clerk_a):
    limit = settings.LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT
    for n in range(limit - 1):
        guess(client, "clerk_a", "wrong", n)
    assert guess(client, "clerk_a", RIGHT, 500).status_code == 302  # 19 failures: still allowed
    client.logout()
    for n in range(limit):  # the success above reset only its own address; 20 more from elsewhere
        guess(client, "clerk_a", "wrong", 1000 + n)
    assert guess(client, "clerk_a", RIGHT, 600).status_code == 429


def test_failures_older_than_the_cool_off_do_not_count(client, clerk_a):
    for n in range(settings.LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT):
        guess(client, "clerk_a", "wrong", n)
    assert guess(client, "clerk_a", RIGHT, 500).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(minutes=1)
    )
    assert guess(client, "clerk_a", RIGHT, 500).status_code == 302


def test_the_pair_lock_still_says_this_computer(client, clerk_a):
    for _ in range(5):
        guess(client, "clerk_a", "wrong", 7)
    page = text(guess(client, "clerk_a", RIGHT, 7))
    assert "该账号在本机的登录已暂停 15 分钟" in page and "所有电脑" not in page


def test_an_administrator_unlocks_the_account_from_the_user_admin(client, tree, clerk_a):
    for n in range(settings.LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT):
        guess(client, "clerk_a", "wrong", n)
    assert guess(client, "clerk_a", RIGHT, 500).status_code == 429

    root = UserFactory(
        username="root", role=Role.ORG_DEPT, organisation=tree["district"], is_staff=True, is_superuser=True
    )
    client.force_login(root)
    changelist = client.get(reverse("admin:liaison_user_changelist"))
    assert "解除所选账号的登录锁定（所有电脑）" in changelist.content.decode()
    response = client.post(
        reverse("admin:liaison_user_changelist"),
        {"action": "unlock_users", "_selected_action": [clerk_a.pk]},
        follow=True,
    )
    assert "已解除 1 个账号的登录锁定" in response.content.decode()
    client.logout()
    assert guess(client, "clerk_a", RIGHT, 500).status_code == 302


def test_the_failed_login_admin_is_in_chinese_and_unlocks_too(client, tree, clerk_a):
    for n in range(settings.LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT):
        guess(client, "clerk_a", "wrong", n)
    root = UserFactory(
        username="root", role=Role.ORG_DEPT, organisation=tree["district"], is_staff=True, is_superuser=True
    )
    client.force_login(root)
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    for label in ("登录保护", "登录尝试", "失败次数", "IP 地址", "解除所选记录中账号的登录锁定"):
        assert label in page
    attempt = AccessAttempt.objects.filter(username="clerk_a").first()
    client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock_attempt_usernames", "_selected_action": [attempt.pk]},
    )
    assert not AccessAttempt.objects.filter(username="clerk_a").exists()
    client.logout()
    assert guess(client, "clerk_a", RIGHT, 500).status_code == 302
