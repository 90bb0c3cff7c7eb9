"""Every page of every role, in Chromium, under the Content-Security-Policy: no violation, no script error.

The crawl logs in as each demo role and follows the links it is shown, one page of each kind (ids
folded), so a new page with an inline script or style="…" fails here without being listed.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from tests.browser.session import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo12345"
ROLES = ["jingban", "shuji", "zhenjie", "zuzhibu", "admin"]
PAGES_PER_ROLE = (
    100  # visits, receptions and commitments added menus: 60 no longer reached the household edit page
)
SKIP = re.compile(
    r"/accounts/logout/|/pdf/|\.xlsx|\.pdf$|/export|/media/|/static/|/admin/logout/|/admin/r/"
    r"|/commitments/evidence/"  # an uploaded photo or file, sent as a download: not a page
)


def kind_of(path: str) -> str:
    """One page per kind: /households/12/ and /households/40/ are the same page."""
    return re.sub(r"\d+", "N", path)


class Watch:
    """Console CSP reports and uncaught script errors of one browser page."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{self.url}: script error {error}"))
        self.url = ""

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or message.type == "error":
            self.problems.append(f"{self.url}: {message.text}")


def crawl(page, watch: Watch, base: str, *, admin: bool) -> list[str]:
    seen_kinds: set[str] = set()
    queue = deque(["/"] + (["/admin/"] if admin else []))
    visited: list[str] = []
    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.popleft()
        if kind_of(path) in seen_kinds:
            continue
        seen_kinds.add(kind_of(path))
        watch.url = path
        response = page.goto(path)
        assert response is not None and response.status < 500, f"{path}: {response and response.status}"
        if response.status == 200:
            csp = response.headers.get("content-security-policy", "")
            assert "script-src 'self'" in csp and "style-src 'self'" in csp, f"{path}: {csp!r}"
        page.wait_for_load_state("load")
        visited.append(path)
        for href in page.eval_on_selector_all("a[href]:not([target=_blank])", "els => els.map(e => e.href)"):
            url = urlsplit(urljoin(base + path, href))
            if f"{url.scheme}://{url.netloc}" != base or SKIP.search(url.path):
                continue
            if url.path.startswith("/admin/") and not admin:
                continue
            queue.append(url.path)
    return visited


def test_no_csp_violation_on_any_page_of_any_role(page, live_server):
    call_command("seed_demo", verbosity=0)
    watch = Watch(page)
    base = live_server.url
    total = {}
    for username in ROLES:
        log_in(page, username, DEMO_PASSWORD)
        total[username] = crawl(page, watch, base, admin=username == "admin")
        page.goto("/")
        log_out(page)
    assert not watch.problems, "\n".join(watch.problems[:40])
    assert all(len(pages) >= 10 for pages in total.values()), {k: len(v) for k, v in total.items()}
    kinds = {kind_of(p) for pages in total.values() for p in pages}
    for expected in ("/households/N/edit/", "/members/N/", "/opinions/new/", "/config/calendar/N/"):
        assert expected in kinds, sorted(kinds)


def test_the_moved_scripts_still_work(page, live_server):
    """What used to be inline: the point page's year selector submits itself; the unit form shows the
    fields of its kind."""
    call_command("seed_demo", verbosity=0)
    watch = Watch(page)
    log_in(page, "shuji", DEMO_PASSWORD)
    from members.models import LiaisonPoint

    page.goto(f"/liaison-points/{LiaisonPoint.objects.filter(organisation__code='BN-JS-GH').get().pk}/")
    select = page.get_by_label("年度")
    year = select.locator("option").nth(1).get_attribute("value")
    select.select_option(year)
    page.wait_for_url(re.compile(rf"year={year}"))

    page.goto("/unit-pairings/new/")
    kinds = page.locator("#id_kind option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
    for kind in kinds:
        page.locator("#id_kind").select_option(kind)
        shown = page.locator("#unit-form [data-kinds]").evaluate_all(
            "els => els.map(e => [e.dataset.kinds.split(' '), e.hidden])"
        )
        assert shown and all((kind in kinds_of) != hidden for kinds_of, hidden in shown), (kind, shown)
    assert not watch.problems, watch.problems


def test_an_inline_script_is_refused_and_reported(page, live_server, clerk_a):
    """The watch itself: a script injected into the page does not run, and the crawl would see it."""
    watch = Watch(page)
    log_in(page, "clerk_a")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.injected = 1";
                   document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert any("Content Security Policy" in p for p in watch.problems), watch.problems
