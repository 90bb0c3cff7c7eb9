"""Pages as the clerk and the 组织部 use them: error pages and POST-only URLs in a real browser, the quota
table at 1366 px and on a phone, the 户情卡 button and the ID-number box on a phone, and Chinese text on a
machine that has no Chinese font at all."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.session import log_in
from tests.factories import household_with_head

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_post_only_url_and_error_pages(desktop, clerk_a, household_a):
    page = desktop
    log_in(page, "clerk_a")
    # Typing an action's URL (or reloading it) leads to its page, with the reason, in Chinese.
    page.goto("/imports/upload/")
    expect(page).to_have_url(re.compile(r"/imports/$"))
    expect(page.get_by_text("这一步要在页面上点按钮提交")).to_be_visible()
    # A record outside the scope: the Chinese 404, whose 返回上一页 goes back to where the clerk was.
    page.goto("/households/")
    page.evaluate("window.location.href = '/households/999999/'")
    page.wait_for_url(re.compile(r"/households/999999/$"))
    expect(page.get_by_role("heading", name="找不到这个页面或记录")).to_be_visible()
    page.get_by_role("link", name="返回上一页").click()
    expect(page).to_have_url(re.compile(r"/households/$"))
    # The logout URL opened directly: Django's bodiless 405 becomes the Chinese page.
    response = page.goto("/accounts/logout/")
    assert response.status == 405
    expect(page.get_by_role("heading", name="这一步要在页面上点按钮完成")).to_be_visible()
    expect(page.get_by_role("link", name="回到首页")).to_be_visible()


def test_quota_table_readable_at_1366_and_on_a_phone(desktop, phone_page, org_dept):
    log_in(desktop, "org_dept")
    desktop.goto("/config/quotas/")
    assert no_sideways_scroll(desktop)
    heights = desktop.locator("table.table-quotas a.btn").evaluate_all("els => els.map(e => e.offsetHeight)")
    assert heights and max(heights) < 40  # 修改 stays on one line
    periods = desktop.locator("table.table-quotas td[data-label=周期]").evaluate_all(
        "els => els.map(e => e.getClientRects().length && e.scrollWidth <= e.clientWidth)"
    )
    assert all(periods)
    desktop.screenshot(path=str(screens() / "quotas-1366.png"))

    log_in(phone_page, "org_dept")
    phone_page.goto("/config/quotas/")
    assert no_sideways_scroll(phone_page)
    first = phone_page.locator("table.table-quotas tbody tr").first
    expect(first.locator("td[data-label=最低要求]")).to_be_visible()
    assert first.bounding_box()["width"] <= 360
    phone_page.screenshot(path=str(screens() / "quotas-phone.png"))


def test_top_menu_keeps_each_name_on_one_line(desktop, org_dept):
    """The 组织部 has the longest menu. At 1366 px it fits on one line; narrower (1280, 1024 px: how many
    fit depends on the user's name and the font) whole items wrap to a second line, never a name one
    character per line. The user menu names the organisation."""
    log_in(desktop, "org_dept")
    for width in (1366, 1280, 1024):
        desktop.set_viewport_size({"width": width, "height": 768})
        desktop.goto("/")
        desktop.evaluate("() => document.fonts.ready.then(() => true)")  # measured in the font shown
        links = desktop.locator("#mainnav .nav-link")
        heights = links.evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
        assert len(heights) >= 10 and max(heights) < 45, (width, heights)
        items = desktop.locator("#mainnav > .navbar-nav.me-auto > li > .nav-link")
        rows = set(items.evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().top))"))
        assert len(rows) <= (1 if width >= 1366 else 2), (width, rows)
        assert no_sideways_scroll(desktop)
    desktop.screenshot(path=str(screens() / "menu-1024.png"))
    desktop.locator("#user-menu").click()
    expect(desktop.locator(".dropdown-header", has_text=org_dept.organisation.name)).to_be_visible()


def test_household_card_button_and_id_number_on_a_phone(phone_page, desktop, clerk_a, tree):
    for n in range(3):
        household_with_head(
            organisation=tree["village_a"], head_name=f"欧阳{n}", address="桂花村三组一百二十八号附二号"
        )
    log_in(phone_page, "clerk_a")
    phone_page.goto("/households/")
    button = phone_page.get_by_role("link", name="户情卡").first
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert no_sideways_scroll(phone_page)

    for page in (phone_page, desktop):
        if page is desktop:
            log_in(desktop, "clerk_a")
        page.goto("/households/new/")
        id_box = page.locator("input[name='residents-0-id_number']")
        id_box.fill("50011319900101123X")
        fits = id_box.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert fits[0] <= fits[1], f"the 18 characters do not fit at {page.viewport_size['width']} px: {fits}"
        id_box.fill("50011319900101123X9")
        expect(id_box).to_have_value("50011319900101123X")  # maxlength 18
        gender = page.locator("select[name='residents-0-gender']")
        assert "请" not in gender.inner_text()


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def test_chinese_on_a_machine_without_chinese_fonts(browser, live_server, clerk_a, tmp_path):
    """Chromium sees only DejaVu (no CJK font): the page still draws Chinese, from the shipped web font,
    which it downloads because it lacks the glyphs."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTS_CONF.format(cache=tmp_path / "cache"))
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    # A second Chromium from the same Playwright, started with the private font configuration.
    bare = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
    try:
        page = bare.new_page(base_url=live_server.url, viewport=DESKTOP)
        fonts = []
        page.on("request", lambda r: fonts.append(r.url) if r.url.endswith(".ttf") else None)
        log_in(page, "clerk_a")
        page.evaluate("document.fonts.ready")
        page.wait_for_function(
            "[...document.fonts].some(f => f.family.includes('Liaison CJK') && f.status === 'loaded')"
        )
        assert any(url.endswith("/static/fonts/LiaisonCJK-GBK.ttf") for url in fonts)
        # Chinese characters are drawn with real glyphs: 党 and 群 differ (boxes would all be the same).
        shapes = page.evaluate(
            """() => ['党', '群', '口'].map(ch => {
                const c = document.createElement('canvas'); c.width = c.height = 40;
                const x = c.getContext('2d'); x.font = '32px "Liaison CJK"'; x.fillText(ch, 2, 32);
                return c.toDataURL(); })"""
        )
        assert len(set(shapes)) == 3
        # Text shaped before the font arrived (the brand, from the login page on) is shaped again.
        page.wait_for_function("document.documentElement.classList.contains('cjk-webfont')")
        page.wait_for_timeout(300)
        page.screenshot(path=str(screens() / "no-cjk-fonts-dashboard.png"))
    finally:
        bare.close()


def screens() -> Path:
    """Screenshots for a person to look at (CI keeps them as artifacts when PAGES_SCREENSHOTS is set)."""
    path = Path(os.environ.get("PAGES_SCREENSHOTS") or tempfile.gettempdir()) / "pages-screens"
    path.mkdir(parents=True, exist_ok=True)
    return path
