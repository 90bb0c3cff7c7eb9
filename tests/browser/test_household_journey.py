"""A clerk logs in, creates a household with two residents, finds it by pinyin initials, and opens its PDF."""

from __future__ import annotations

import pytest

from liaison.models import Household
from tests.browser.session import log_in
from tests.pdf_utils import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_creates_finds_and_prints_a_household(page, clerk_a, tree, tmp_path):
    log_in(page, "clerk_a")
    page.get_by_role("link", name="户情").first.click()
    page.get_by_role("link", name="＋ 新增户").click()

    # Only one village is in the clerk's scope, so it is preselected.
    assert page.get_by_label("所属村（社区）").input_value() == str(tree["village_a"].pk)
    page.get_by_label("村民小组/网格").fill("四组")
    page.get_by_label("居住地点").fill("桂花村四组21号")
    page.get_by_label("联系电话").first.fill("13987654321")
    page.get_by_label("住房面积（㎡）").fill("140")
    page.get_by_label("低保户").check()

    page.locator("#id_residents-0-name").fill("周瑄")
    page.locator("#id_residents-0-relation").select_option(label="户主")
    page.locator("#id_residents-0-gender").select_option(label="男")
    page.locator("#id_residents-0-age").fill("47")
    page.locator("#id_residents-1-name").fill("吴祎")
    page.locator("#id_residents-1-relation").select_option(label="配偶")
    page.locator("#id_residents-1-gender").select_option(label="女")
    page.locator("#id_residents-1-age").fill("45")
    page.get_by_role("button", name="保存").click()

    page.get_by_text("已保存").wait_for()
    assert page.get_by_role("heading", name="周瑄户").is_visible()
    household = Household.objects.get()
    assert household.residents.count() == 2

    # Find it again by the head's pinyin initials.
    page.get_by_role("link", name="户情").first.click()
    page.get_by_placeholder("姓名、拼音（如 zs、zhangsan）、电话或身份证号").fill("zx")
    page.get_by_role("button", name="查询").click()
    row_link = page.get_by_role("link", name="周瑄")
    row_link.wait_for()
    assert page.get_by_text("共 1 户").is_visible()
    page.screenshot(path=str(tmp_path / "household_list.png"), full_page=True)

    # Open its 户情卡 PDF from the detail page, with the clerk's session.
    row_link.click()
    href = page.get_by_role("link", name="打印户情卡").get_attribute("href")
    response = page.context.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "".join(pdf_text(response.body()).split())
    assert "周瑄" in text and "吴祎" in text and "桂花村四组21号" in text


def test_bad_input_shows_message_next_to_field_on_a_phone(phone_page, clerk_a, tree):
    log_in(phone_page, "clerk_a")
    phone_page.goto("/households/new/")
    phone_page.get_by_label("居住地点").fill("桂花村五组3号")
    phone_page.get_by_label("住房面积（㎡）").fill("-20")
    phone_page.locator("#id_residents-0-name").fill("赵昇")
    phone_page.locator("#id_residents-0-relation").select_option(label="户主")
    phone_page.locator("#id_residents-0-gender").select_option(label="男")
    phone_page.locator("#id_residents-0-age").fill("130")
    phone_page.get_by_role("button", name="保存").click()
    assert phone_page.locator("#error_1_id_housing_area").inner_text() == "住房面积不能为负数。"
    assert "0 到 120" in phone_page.locator("#error_1_id_residents-0-age").inner_text()
    assert not Household.objects.exists()
