"""The lookup widget by keyboard only: type, ↓/↑ through the results, Enter picks the highlighted one and
never submits the form; the typed text is never lost (no result, Esc, a page shown again with errors)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from liaison.models import Organisation
from members.models import Pairing
from tests.browser.session import log_in
from tests.factories import OrganisationFactory, PartyMemberFactory, household_with_head

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(tree):
    branch = OrganisationFactory(
        name="桂花村第一党支部", code="js-gh-1", level=Organisation.Level.BRANCH, parent=tree["village_a"]
    )
    return {
        "wz": household_with_head(organisation=tree["village_a"], head_name="王喆", address="桂花村三组12号"),
        "wz2": household_with_head(organisation=tree["village_a"], head_name="吴征", address="桂花村一组3号"),
        "zz": PartyMemberFactory(organisation=branch, name="郑喆", phone="13508312345"),
        "lk": PartyMemberFactory(organisation=branch, name="李堃"),
    }


def options(page):
    """The open lookup's results (not the options of the page's ordinary selects)."""
    return page.locator(".lookup-results:not([hidden])").get_by_role("option")


def test_pairing_by_keyboard_only(page, clerk_a, people):
    log_in(page, "clerk_a")
    page.goto("/pairings/new/")
    household = page.get_by_role("combobox", name="结对户")
    household.focus()

    # Two results: the first is highlighted; ↓ moves, ↑ wraps, Enter picks the highlighted one.
    page.keyboard.type("wz")
    expect(options(page)).to_have_count(2)
    expect(options(page).nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(options(page).nth(1)).to_have_attribute("aria-selected", "true")
    expect(household).to_have_attribute("aria-activedescendant", re.compile(r".+-1$"))
    page.keyboard.press("ArrowDown")
    expect(options(page).nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    second = options(page).nth(1).inner_text()
    page.keyboard.press("Enter")
    expect(options(page)).to_have_count(0)
    expect(page.locator(".lookup-chip").filter(has_text=second)).to_have_count(1)
    assert page.url.endswith("/pairings/new/") and not Pairing.objects.exists()  # Enter did not submit
    expect(household).to_be_focused()
    expect(household).to_have_value("")

    # Nothing found: Enter keeps the text and the page; Esc closes the list and keeps the text.
    page.keyboard.type("查无此人")
    expect(page.locator(".lookup-results").get_by_text("没有找到")).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.locator(".lookup-results").get_by_text("没有找到")).to_have_count(0)
    expect(household).to_have_value("查无此人")
    assert page.url.endswith("/pairings/new/") and not Pairing.objects.exists()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")

    # A fast typist: Enter before the results arrive picks the single match.
    members = page.get_by_role("combobox", name="帮扶党员")
    members.focus()
    page.keyboard.type("lk")
    page.keyboard.press("Enter")
    expect(page.locator(".lookup-chip").filter(has_text="李堃")).to_have_count(1)
    # A second member by pinyin initials, then Backspace in the empty box takes it off again.
    page.keyboard.type("zz")
    expect(options(page)).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator(".lookup-chip").filter(has_text="郑喆")).to_have_count(1)
    page.keyboard.press("Backspace")
    expect(page.locator(".lookup-chip").filter(has_text="郑喆")).to_have_count(0)

    # Leave text typed but not picked in the member box, and submit: the page comes back with the
    # error, and the typed text is still there.
    page.keyboard.press("Backspace")  # removes 李堃 too: the field is now empty
    page.keyboard.type("郑")
    expect(options(page)).to_have_count(1)
    page.keyboard.press("Escape")
    page.get_by_label("结对时间").fill("2026-03-01")
    page.get_by_label("帮扶内容").fill("代办低保申请")
    page.get_by_role("button", name="保存").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("combobox", name="帮扶党员")).to_have_value("郑")
    expect(page.locator(".lookup-chip").filter(has_text=second)).to_have_count(1)  # the household kept
    assert not Pairing.objects.exists()

    # Pick the member from the kept text and save, all from the keyboard.
    members = page.get_by_role("combobox", name="帮扶党员")
    members.focus()
    page.keyboard.press("ArrowDown")
    expect(options(page)).to_have_count(1)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="保存").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/pairings/\d+/$"))
    pairing = Pairing.objects.get()
    assert pairing.household.head_name == second.split("户")[0]
    assert [m.name for m in pairing.members.all()] == ["郑喆"]


@pytest.mark.parametrize(
    ("url", "label"), [("/liaison-points/new/", "领导干部"), ("/members/new/", "所在户")]
)
def test_enter_picks_on_every_lookup(page, clerk_a, people, url, label):
    log_in(page, "clerk_a")
    page.goto(url)
    box = page.get_by_role("combobox", name=label)
    box.focus()
    page.keyboard.type("zz" if label == "领导干部" else "wz")
    expect(options(page).first).to_have_attribute("aria-selected", "true")
    picked = options(page).first.inner_text()
    page.keyboard.press("Enter")
    expect(page.locator(".lookup-chip").filter(has_text=picked)).to_have_count(1)
    assert page.url.endswith(url)
