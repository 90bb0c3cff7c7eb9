"""Receptions end to end: the township administrator proposes and publishes this month's reception
days, the public page shows them without a login (on a phone too), a clerk types two receptions with
the keyboard only — one settled on the spot, one becoming an Opinion — and the register prints."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone

from feedback.models import Opinion, Reception, ReceptionSession
from feedback.tests.reception_factories import committee
from tests.browser.session import log_in, log_out
from tests.pdf_utils import pdf_pages, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("LIAISON_SCREENSHOTS", "/tmp"))


def type_reception(page, *, name: str, matter: str, unsettled: bool) -> None:
    """From the visitor's name to the save button, Tab by Tab, as a clerk copies a paper register."""
    keyboard = page.keyboard
    page.locator("#id_visitor_name").focus()
    keyboard.type(name)
    keyboard.press("Tab")  # 性别: the first radio
    keyboard.press("Space")
    keyboard.press("Tab")
    keyboard.type("61")
    keyboard.press("Tab")
    keyboard.type("桂花村二组8号")
    keyboard.press("Tab")
    keyboard.type("13900001234" if unsettled else "13900005678")
    keyboard.press("Tab")
    keyboard.type(f"{name}到村便民服务中心反映{matter}。")
    keyboard.press("Tab")
    keyboard.type(matter)
    keyboard.press("Tab")
    keyboard.type("年久失修。")
    keyboard.press("Tab")
    keyboard.type("请求尽快解决。")
    keyboard.press("Tab")  # 办理情况: the first radio (现场办理)
    keyboard.press("Space")
    if unsettled:
        keyboard.press("ArrowDown")  # 限期办理
    keyboard.press("Tab")
    keyboard.type("已安排专人跟进。" if unsettled else "当场答复。")
    if unsettled:
        keyboard.press("Tab")  # “1234”类别: the first radio (一类)
        keyboard.press("Space")
        keyboard.press("Tab")  # 意见责任人 (the clerk, preselected)
    keyboard.press("Tab")
    keyboard.type("满意")
    # 签字日期 is left for the visitor's signature; Tab on past it and 保存 to 保存并登记下一条
    for _ in range(8):
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "save-next":
            break
    assert page.evaluate("document.activeElement.id") == "save-next"
    keyboard.press("Enter")


def test_schedule_public_page_entry_and_register(browser, page, phone_page, clerk_a, township_admin, tree):
    township = tree["township"]
    township.phone = "023-62800001"
    township.save()
    committee(township, ["周书记", "吴副书记", "郑委员"])
    committee(tree["village_a"], ["李书记", "王副书记"])
    today = timezone.localdate()

    # 1. The township administrator proposes this month's reception days and publishes them.
    log_in(page, "township_admin")
    page.goto("/receptions/sessions/generate/")
    page.get_by_label("年度").fill(str(today.year))
    page.get_by_label("范围").select_option(value=str(today.month))
    page.get_by_role("button", name="拟定接待日").click()
    page.get_by_text("已拟定").wait_for()
    drafts = ReceptionSession.objects.filter(organisation=township, status="draft")
    assert drafts.filter(kind="secretary").exists()
    page.get_by_role("button", name="公布这些接待日").click()
    page.get_by_text("已公布").first.wait_for()
    published = ReceptionSession.objects.filter(organisation=township, status="published")
    assert published.exists() and not drafts.exists()
    first = published.order_by("date", "half_day").first()
    log_out(page)

    # 2. Without logging in, on a phone: the public page shows the township's days, linked from the login.
    phone_page.goto("/accounts/login/")
    phone_page.get_by_role("link", name="不用登录：查看书记接待群众日程等公开信息").click()
    phone_page.get_by_label("镇街", exact=True).select_option(label=township.name)
    phone_page.get_by_role("button", name="查看").click()
    body = phone_page.locator("#reception-days").inner_text()
    assert first.place in body and "周书记" in body and "023-62800001" in body
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the public page scrolls sideways on a phone"
    phone_page.screenshot(path=str(SHOTS / "reception-public-phone.png"), full_page=True)

    # 3. A clerk types two receptions from the paper register, with the keyboard only.
    log_in(page, "clerk_a")
    page.goto("/receptions/new/")
    page.locator("#id_receiver_search").focus()
    page.keyboard.type("ls")  # 李书记's initials
    page.locator(".lookup-option").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_receiver_title").input_value() == "桂花村党组织书记"
    type_reception(page, name="张德明", matter="院坝路灯不亮", unsettled=False)
    page.get_by_text("已登记接待：张德明").wait_for()
    type_reception(page, name="刘桂英", matter="二组饮水管破裂", unsettled=True)
    page.get_by_text("已转为群众意见").wait_for()
    page.screenshot(path=str(SHOTS / "reception-entry.png"), full_page=True)
    receptions = list(Reception.objects.order_by("id"))
    assert [r.visitor_name for r in receptions] == ["张德明", "刘桂英"]
    assert [r.handling for r in receptions] == ["on_site", "deadline"]
    opinion = Opinion.objects.get()
    assert receptions[1].opinion == opinion and opinion.channel == "reception" and opinion.category == 1
    assert receptions[0].visitor_gender == "M" and receptions[0].visitor_age == 61

    # 4. The register prints: the cover and one 登记表 for each.
    page.goto("/receptions/register/")
    page.get_by_role("button", name="查询").click()
    href = page.locator("#print-register").get_attribute("href")
    response = page.context.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    (SHOTS / "reception-register.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 3
    text = "".join(pdf_text(pdf).split())
    assert "记录本" in text and "张德明" in text and "刘桂英" in text and "二组饮水管破裂" in text
