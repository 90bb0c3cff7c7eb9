"""The 组织部 on the dashboard: the sections load after the page (static/js/dashboard.js), the trends
are drawn, and the compliance table drills down district → township → village → the person short of a
rule → their records; on a 412-px phone nothing runs off the side."""

from __future__ import annotations

import pytest

from tests.browser.session import log_in
from tests.test_compliance import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _panels_after_the_page(settings):
    settings.LIAISON_DASHBOARD_PANELS_INLINE = False


def test_org_dept_drills_down_to_a_village_secretary_short_of_talks(page, org_dept, tree):
    make_people(tree)  # 王支书, 桂花村's secretary, has held no 谈心 this year
    log_in(page, "org_dept", "pw-12345!")
    section = page.locator("#compliance-title")
    section.wait_for()
    assert "制度落实情况" in section.inner_text()
    page.locator("svg.trend-chart").first.wait_for()
    # every placeholder filled (or removed: a panel with nothing to show answers 204)
    page.wait_for_function("document.querySelectorAll('[data-fragment]').length === 0")
    page.get_by_role("link", name="逐级查看").click()
    page.get_by_role("link", name="界石镇").click()
    page.get_by_role("link", name="桂花村").click()
    page.wait_for_url("**/compliance/?organisation=*")
    row = page.locator(".list-group-item", has_text="村（社区）党组织书记每年与党员谈心不少于2次")
    row.get_by_role("link").click()
    page.get_by_role("link", name="王支书（书记）").click()
    page.wait_for_url("**/visits/talks/**")


def test_the_dashboard_fits_a_phone(browser, live_server, org_dept, tree):
    make_people(tree)
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 412, "height": 900}
    )
    phone = context.new_page()
    try:
        log_in(phone, "org_dept", "pw-12345!")
        phone.locator("svg.trend-chart").first.wait_for()
        phone.locator("#compliance-title").wait_for()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 412, width
    finally:
        context.close()
