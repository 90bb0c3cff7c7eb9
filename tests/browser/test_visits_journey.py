"""A clerk types three visits of one visitor from the paper booklet, by keyboard only (one of them not
settled on the spot, so it registers an opinion), then prints the visitor's 民情日志; and a draft typed
before the tab was closed is offered back."""

from __future__ import annotations

import datetime
import re

import pytest

from feedback.models import Channel, Opinion
from liaison.models import Resident
from members.models import Position
from tests.browser.session import log_in
from tests.factories import PartyMemberFactory, ResidentFactory, household_with_head
from tests.pdf_utils import pdf_text
from visits.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def booklet_world(tree, clerk_a):
    visitor = PartyMemberFactory(organisation=tree["village_a"], name="陈国华")
    Position.objects.create(
        member=visitor,
        organisation=tree["village_a"],
        role=Position.Role.SECRETARY,
        start_date=datetime.date(2021, 1, 1),
    )
    homes = []
    for head, address in (("王喆", "桂花村三组12号"), ("李堃", "桂花村一组3号"), ("赵犇", "桂花村五组8号")):
        home = household_with_head(organisation=tree["village_a"], head_name=head, address=address)
        Resident.objects.filter(household=home).update(birth_year=1960)
        homes.append(home)
    ResidentFactory(household=homes[0], name="王小军", relation=Resident.Relation.CHILD, birth_year=1990)
    return visitor, homes


def chosen(page, name: str) -> str:
    """The label of what a lookup box holds (its <select> is hidden behind the search box)."""
    return page.evaluate(f"document.querySelector('select[name={name}]').textContent")


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def tab_to(page, target: str, limit: int = 40) -> None:
    """Press Tab until the element with this id (or text) has the focus: the keyboard, never the mouse."""
    for _ in range(limit):
        if focused(page) == target:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}; focus is on {focused(page)}")


def pick(page, box: str, typed: str) -> None:
    tab_to(page, f"id_{box}_search")
    page.keyboard.type(typed)
    page.locator(f"#id_{box}_results [role=option]").first.wait_for()
    page.keyboard.press("Enter")


def enter_visit(
    page, household_key: str, situation: str, *, opinion: bool = False, first: bool = False
) -> None:
    if first:
        page.locator("#id_visitor_search").focus()
        page.keyboard.type("cgh")
        page.locator("#id_visitor_results [role=option]").first.wait_for()
        page.keyboard.press("Enter")
    else:
        page.locator("#id_household_search").focus()
    pick(page, "household", household_key)
    page.locator("#visit-eight-clear").wait_for()
    tab_to(page, "id_situation")
    page.keyboard.type(situation)
    page.keyboard.press("Tab")
    assert focused(page) == "id_problem"
    if opinion:
        page.keyboard.type("三组机耕道垮塌约10米，请求修复。")
    page.keyboard.press("Tab")  # the handling radios: the checked one (无需办理) has the focus
    page.keyboard.press("ArrowDown")  # 现场办理
    if opinion:
        page.keyboard.press("ArrowDown")  # 限期办理
    page.keyboard.press("Tab")
    assert focused(page) == "id_handling_text"
    page.keyboard.type("报村委会组织抢修，10天内答复。" if opinion else "当场解答。")
    if opinion:
        page.keyboard.press("Tab")
        assert focused(page) == "id_opinion_category"
        page.keyboard.press("ArrowDown")  # 一类
    tab_to(page, "id_resident_opinion")
    page.keyboard.type("满意")
    tab_to(page, "保存并录入下一条（同一家访人、同一日期）")
    page.keyboard.press("Enter")
    page.get_by_text("已保存：").wait_for()


def test_three_visits_by_keyboard_then_the_booklet(page, clerk_a, booklet_world):
    visitor, homes = booklet_world
    log_in(page, "clerk_a")
    page.goto("/visits/new/")
    enter_visit(page, "wangzhe", "了解春耕情况。", first=True)
    # Save and next: the same visitor and date are already there.
    assert "/visits/new/?visitor=" in page.url
    assert "陈国华" in chosen(page, "visitor")
    enter_visit(page, "lk", "看望留守老人。", opinion=True)
    page.get_by_text("已登记群众意见").wait_for()
    enter_visit(page, "zhaoben", "宣传医保政策。")

    visits = list(Visit.objects.order_by("id"))
    assert [v.head_name for v in visits] == ["王喆", "李堃", "赵犇"]
    assert {v.visitor for v in visits} == {visitor}
    assert visits[0].members.count() == 2
    opinion = Opinion.objects.get()
    assert visits[1].opinion == opinion and opinion.channel == Channel.VISIT and opinion.category == 1
    assert opinion.reporter_name == "李堃" and opinion.reporter_address == "桂花村一组3号"

    # The visitor's year in one click, from the list of the visitor's visits.
    page.goto(f"/visits/?visitor={visitor.pk}")
    link = page.get_by_role("link", name=re.compile("打印陈国华的民情日志"))
    response = page.context.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "".join(pdf_text(response.body()).split())
    assert "姓名陈国华" in text and "职务桂花村书记" in text
    for head in ("王喆", "李堃", "赵犇"):
        assert head in text
    assert "2026年度共3篇" in text or "年度共3篇" in text
    assert text.count("时间：") == 3  # one 附件3 page a visit
    assert "三组机耕道垮塌约10米" in text


def test_a_draft_survives_a_closed_tab(page, clerk_a, booklet_world):
    visitor, homes = booklet_world
    log_in(page, "clerk_a")
    page.goto("/visits/new/")
    page.locator("#id_visitor_search").focus()
    page.keyboard.type("cgh")
    page.locator("#id_visitor_results [role=option]").first.wait_for()
    page.keyboard.press("Enter")
    pick(page, "household", "wangzhe")
    page.locator("#visit-eight-clear").wait_for()
    page.locator("#id_situation").fill("写到一半，网络断了。")
    page.locator("#id_situation").dispatch_event("input")
    page.wait_for_timeout(600)  # the draft is written 300 ms after typing stops

    page.goto("/visits/new/")  # the tab closed and opened again
    offer = page.locator("#visit-draft-offer")
    offer.wait_for()
    assert "未保存的走访记录草稿" in offer.inner_text()
    page.get_by_role("button", name="恢复草稿").click()
    page.locator("#visit-eight-clear").wait_for()
    assert page.locator("#id_situation").input_value() == "写到一半，网络断了。"
    assert "陈国华" in chosen(page, "visitor")
    assert "王喆" in chosen(page, "household")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("已保存：").wait_for()
    assert Visit.objects.get().situation == "写到一半，网络断了。"
    page.goto("/visits/new/")  # the saved draft is not offered again
    assert page.locator("#visit-draft-offer").is_hidden()
