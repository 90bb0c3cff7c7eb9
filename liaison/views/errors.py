"""Error pages in Chinese, each with a way back (settings: handler400/403/404/500, CSRF_FAILURE_VIEW)."""

from __future__ import annotations

import logging

from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse

from liaison.http import back_url, error_page

logger = logging.getLogger(__name__)


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    """Rendered without context processors or the base layout: whatever failed (the database, a
    template) must not fail again here."""
    try:
        html = loader.get_template("500.html").render({"back_url": back_url(request), "home_url": "/"})
    except Exception:  # the error page itself must answer
        logger.exception("500.html could not be rendered")
        html = "<!doctype html><meta charset=utf-8><title>系统错误</title><p>系统暂时出错，请稍后重试。<a href=/>返回首页</a>"
    return HttpResponseServerError(html)


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """A form sent from a page that has expired (logged out meanwhile, opened yesterday, cookies off)."""
    return error_page(request, 403, csrf=True, login_url=reverse("login"))
