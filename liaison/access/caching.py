"""Cache-Control: no-store on every response to a logged-in user, so no page, export or PDF with
residents' phones and ID numbers is kept in the browser's cache or a proxy's on a shared computer.

The rule is the simplest one that cannot miss a page: every authenticated response. Static files
(served by WhiteNoise before this runs, with their own long cache headers) and the public pages under
/public/ (published times, places and commitments, never personal data) are left cacheable.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers

CACHEABLE_PREFIXES = ("/public/",)


def _cacheable(path: str) -> bool:
    static = tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)
    return path.startswith(CACHEABLE_PREFIXES + static)


class NoStoreMiddleware:
    """After AuthenticationMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        authenticated = request.user.is_authenticated  # before the view: a logout still gets no-store
        response = self.get_response(request)
        if (authenticated or request.user.is_authenticated) and not _cacheable(request.path):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private; Expires now
        return response
