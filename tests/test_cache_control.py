"""No page with personal data stays in a browser's or a proxy's cache: every response to a logged-in user
carries Cache-Control: no-store; static files and /public/ pages stay cacheable."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from liaison.access.caching import NoStoreMiddleware

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize(
    "url",
    [
        lambda h: reverse("dashboard"),
        lambda h: reverse("household-list"),
        lambda h: reverse("household-detail", args=[h.pk]),
        lambda h: reverse("household-update", args=[h.pk]),
        lambda h: reverse("household-export"),
        lambda h: reverse("household-pdf", args=[h.pk]),
        lambda h: reverse("member-list"),
        lambda h: reverse("opinion-list"),
        lambda h: reverse("import-home"),
        lambda h: reverse("password-change"),
        lambda h: reverse("household-detail", args=[h.pk + 1000]),  # a 404 says no-store too
    ],
)
def test_every_authenticated_response_says_no_store(client_for, clerk_a, household_a, url):
    response = client_for(clerk_a).get(url(household_a))
    assert no_store(response), (response.status_code, response.get("Cache-Control"))


def test_a_post_and_its_redirect_say_no_store(client_for, clerk_a, household_a):
    from tests.forms_utils import form_fields

    client = client_for(clerk_a)
    url = reverse("household-update", args=[household_a.pk])
    response = client.post(url, form_fields(client.get(url).text))
    assert response.status_code == 302 and no_store(response)


def test_the_logout_response_says_no_store(client_for, clerk_a):
    assert no_store(client_for(clerk_a).post(reverse("logout")))


@pytest.mark.parametrize("path", ["/public/", "/public/commitments/", "/static/css/app.css"])
def test_public_pages_and_static_files_stay_cacheable_for_logged_in_users(clerk_a, path):
    request = RequestFactory().get(path)
    request.user = clerk_a
    response = NoStoreMiddleware(lambda r: HttpResponse("ok"))(request)
    assert "Cache-Control" not in response


def test_the_middleware_itself_for_an_anonymous_and_a_logged_in_user(clerk_a):
    for user, expected in ((AnonymousUser(), False), (clerk_a, True)):
        request = RequestFactory().get("/households/")
        request.user = user
        assert no_store(NoStoreMiddleware(lambda r: HttpResponse("ok"))(request)) is expected
