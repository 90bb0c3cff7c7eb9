"""No dead ends: POST-only URLs opened by GET lead back to their page; every error page is Chinese and
offers a way back (400, 403, CSRF failure, 404, 405, 500)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from liaison.http import POST_ONLY_NOTE

pytestmark = pytest.mark.django_db

# Every POST-only URL and the page a GET on it leads to.
POST_ONLY = [
    (reverse("import-upload"), reverse("import-home")),
    (reverse("unitrecord-create", args=[7]), reverse("unitpairing-detail", args=[7])),
    (reverse("point-contact-create", args=[7]), reverse("point-detail", args=[7])),
    (reverse("post-standard"), reverse("post-list")),
    (reverse("opinion-start", args=[7]), reverse("opinion-detail", args=[7])),
    (reverse("opinion-close", args=[7]), reverse("opinion-detail", args=[7])),
    (
        reverse("import-commit", args=[uuid.UUID(int=7)]),
        reverse("import-preview", args=[uuid.UUID(int=7)]),
    ),
    (
        reverse("import-discard", args=[uuid.UUID(int=7)]),
        reverse("import-preview", args=[uuid.UUID(int=7)]),
    ),
]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_chinese_page_with_a_way_back(response, status: int, back: str = "/") -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert f'data-error-page="{status}' in html
    assert re.search(rf'href="{re.escape(back)}"[^>]*data-back>返回上一页<', html), html
    assert "回到首页" in html
    text = visible_text(html)
    assert not re.search(r"\b(Error|Forbidden|Not Found|Not Allowed|Bad Request|CSRF)\b", text, re.I)
    return text


@pytest.mark.parametrize(("url", "page"), POST_ONLY)
def test_get_on_a_post_only_url_goes_back_to_its_page(client_for, clerk_a, url, page):
    response = client_for(clerk_a).get(url)
    assert response.status_code == 302 and response["Location"] == page


def test_the_page_says_why(client_for, clerk_a):
    response = client_for(clerk_a).get(reverse("import-upload"), follow=True)
    assert response.redirect_chain == [(reverse("import-home"), 302)]
    assert POST_ONLY_NOTE in response.text


def test_other_methods_get_the_405_page(client_for, clerk_a):
    response = client_for(clerk_a).put(reverse("post-standard"))
    assert_chinese_page_with_a_way_back(response, 405)
    assert response["Allow"] == "POST"


def test_any_bodiless_405_is_the_chinese_page(client_for, clerk_a):
    """Django's own POST-only views (the logout view) answer GET with an empty 405: filled in."""
    client = client_for(clerk_a)
    response = client.get(reverse("logout"), HTTP_REFERER=f"http://testserver{reverse('household-list')}")
    text = assert_chinese_page_with_a_way_back(
        response, 405, back=f"http://testserver{reverse('household-list')}"
    )
    assert "这一步要在页面上点按钮完成" in text and "POST" in response["Allow"]


def test_404_in_chinese_with_a_way_back(client_for, clerk_a):
    client = client_for(clerk_a)
    referer = f"http://testserver{reverse('opinion-list')}"
    response = client.get(reverse("household-detail", args=[999999]), HTTP_REFERER=referer)
    text = assert_chinese_page_with_a_way_back(response, 404, back=referer)
    assert "找不到这个页面或记录" in text and "管辖范围" in text
    # A link from another site is not a way back: 首页 instead.
    response = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/x")
    assert_chinese_page_with_a_way_back(response, 404, back=reverse("dashboard"))


def test_403_in_chinese(client_for, org_dept):
    response = client_for(org_dept).get(reverse("household-create"))
    text = assert_chinese_page_with_a_way_back(response, 403)
    assert "您的角色不能执行这项操作" in text


def test_csrf_failure_in_chinese(clerk_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_a)
    response = client.post(reverse("household-create"), {"address": "x"})
    text = assert_chinese_page_with_a_way_back(response, 403)
    assert "页面已过期" in text and "刷新页面后重新填写并提交" in text


def test_400_in_chinese(client_for, clerk_a, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    response = client_for(clerk_a).get("/test-suspicious/")
    text = assert_chinese_page_with_a_way_back(response, 400)
    assert "这个请求无法处理" in text


def test_500_in_chinese_without_touching_the_database(clerk_a, settings, django_assert_num_queries):
    settings.ROOT_URLCONF = "tests.error_urls"
    client = Client(raise_request_exception=False)
    referer = "http://testserver/households/"
    response = client.get("/test-crash/", HTTP_REFERER=referer)
    text = assert_chinese_page_with_a_way_back(response, 500, back=referer)
    assert "系统暂时出错" in text
    from liaison.views.errors import server_error

    with django_assert_num_queries(0):
        server_error(response.wsgi_request)
