"""Logging in: the login page in Chinese, and django-axes locking (username, IP) after 5 failures."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_login_with_right_password_lands_on_dashboard(client, clerk_a):
    response = client.post(reverse("login"), {"username": "clerk_a", "password": "pw-12345!"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


@pytest.mark.django_db
def test_wrong_password_says_so_in_chinese(client, clerk_a):
    response = client.post(reverse("login"), {"username": "clerk_a", "password": "wrong"})
    assert response.status_code == 200 and "请输入正确的用户名和密码" in response.text


@pytest.mark.django_db
def test_five_failures_lock_that_account_from_that_address_only(client, clerk_a, clerk_b):
    for _ in range(5):
        client.post(reverse("login"), {"username": "clerk_a", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    locked = client.post(
        reverse("login"), {"username": "clerk_a", "password": "pw-12345!"}, REMOTE_ADDR="10.1.1.1"
    )
    assert locked.status_code == 429 and "暂停 15 分钟" in locked.content.decode()
    # A colleague in the same office (same IP) still logs in.
    colleague = client.post(
        reverse("login"), {"username": "clerk_b", "password": "pw-12345!"}, REMOTE_ADDR="10.1.1.1"
    )
    assert colleague.status_code == 302
