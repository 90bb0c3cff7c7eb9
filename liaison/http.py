"""No dead ends: what a clerk gets when a URL is opened the wrong way or a page cannot be shown.

- `post_only(back)`: a view that only takes a form's POST answers a GET (a bookmarked or reloaded
  action URL, the browser's Back after a redirect) by taking the clerk to the page the action belongs
  to, with a note, instead of a blank "HTTP ERROR 405".
- `ErrorPageMiddleware`: any other bodiless 400/403/404/405 (Django's require_POST, the logout view
  opened by GET …) becomes the Chinese error page with a way back.
- `back_url(request)`: the way back: the page the browser came from when it is one of ours, else 首页.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

POST_ONLY_NOTE = "这一步要在页面上点按钮提交，不能直接打开网址。已为您打开相关页面，请在这里操作。"

ERROR_PAGES = {400: "400.html", 403: "403.html", 404: "404.html", 405: "405.html"}


def back_url(request: HttpRequest) -> str:
    """The Referer when it is a page of this site other than the one that failed; otherwise 首页."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        path = referer.split(request.get_host(), 1)[-1]
        if path != request.get_full_path():
            return referer
    return reverse("dashboard")


def error_page(request: HttpRequest, status: int, **context) -> HttpResponse:
    return render(
        request,
        ERROR_PAGES.get(status, "404.html"),
        {"back_url": back_url(request), "home_url": reverse("dashboard"), **context},
        status=status,
    )


def post_only(back: str | Callable[..., str]):
    """Decorate a POST-only view. `back` is the URL name of the page the action is on, reversed with the
    view's own URL kwargs (an opinion action → that opinion), or a callable(request, **kwargs) → URL.

    GET and HEAD redirect there with a note; other methods get the Chinese 405 page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD"):
                response = error_page(request, 405)
                response["Allow"] = "POST"
                return response
            url = back(request, **kwargs) if callable(back) else reverse(back, kwargs=kwargs or None)
            if request.user.is_authenticated:
                messages.info(request, POST_ONLY_NOTE)
            return redirect(url)

        wrapper.post_only_back = back
        return wrapper

    return decorator


class ErrorPageMiddleware:
    """Fills a bodiless error response (HttpResponseNotAllowed from require_POST, a bare 403 …) with the
    Chinese page, so no clerk ever sees the browser's own English "HTTP ERROR 405"."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code in ERROR_PAGES
            and not getattr(response, "streaming", False)
            and not response.content
        ):
            page = error_page(request, response.status_code)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
