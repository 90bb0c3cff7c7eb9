"""The /public/ section (liaison.panels.public_sections), rendered directly: published items with their
status and the published grade, nothing about voters, nothing of any resident."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from commitments import services
from commitments.panels import public_section
from commitments.rules import Grade
from commitments.tests.factories import YEAR, draft, now, published, tallies
from liaison.panels import public_sections
from members.tests.factories import MemberFactory
from tests.factories import household_with_head

pytestmark = pytest.mark.django_db


def render(organisation=None, **query) -> str:
    request = RequestFactory().get("/public/", query)
    request.user = AnonymousUser()
    return public_section(request, organisation=organisation) or ""


@pytest.fixture
def graded(clerk_a, township_secretary, tree):
    item = published(
        clerk_a, township_secretary, tree["village_a"], title="硬化三组道路1公里", target="硬化道路1公里"
    )
    draft(clerk_a, tree["village_a"], title="尚未表决的初诺")
    assessment = services.assessment_record(
        user=township_secretary,
        organisation=tree["village_a"],
        year=YEAR,
        report_on=datetime.date(YEAR, 12, 1),
        tallies=tallies(62, 30, 8),
        now=now(12, 1),
    )
    services.assessment_field_check(
        user=township_secretary,
        assessment=assessment,
        field_check_on=datetime.date(YEAR, 12, 1),
        field_check_team="镇干部",
        field_check_findings="查看",
        completions={item.pk: ("done", "")},
        now=now(12, 1),
    )
    services.assessment_finalise(
        user=township_secretary,
        assessment=assessment,
        final_grade=Grade.BASIC,
        finalised_on=datetime.date(YEAR, 12, 1),
        now=now(12, 1),
    )
    return item, assessment


def test_the_section_is_registered():
    assert public_section in public_sections._panels


def test_a_village_shows_its_published_items_and_no_drafts(graded, tree, township_secretary):
    _, assessment = graded
    html = render(tree["village_a"], year=YEAR)
    assert "硬化三组道路1公里" in html and "硬化道路1公里" in html
    assert "尚未表决的初诺" not in html
    assert "综合考评结果：" not in html  # not published yet
    services.assessment_publish(
        user=township_secretary,
        assessment=assessment,
        published_on=datetime.date(YEAR, 12, 2),
        now=now(12, 2),
    )
    html = render(tree["village_a"], year=YEAR)
    assert "综合考评结果：<strong" in html and "基本合格" in html


def test_the_township_shows_one_row_per_village(graded, tree, township_secretary, clerk_b):
    published(clerk_b, township_secretary, tree["village_b"])
    html = render(tree["township"])
    assert html.count("<tr>") == 3  # the header and two villages
    assert "桂花村" in html and "石岗村" in html
    assert render(tree["other_township"]) == ""


def test_no_voter_and_no_residents_data(graded, tree, clerk_a, township_secretary):
    household = household_with_head(organisation=tree["village_a"], head_name="王喆", phone="13512345678")
    member = MemberFactory(organisation=tree["village_a"], name="张德明", phone="13698765432")
    services.personal_add(
        user=clerk_a,
        member=member,
        year=YEAR,
        content="修水管",
        deadline=datetime.date(YEAR, 9, 1),
        now=now(2, 1),
    )
    html = render(tree["village_a"], year=YEAR) + render(tree["township"]) + render(None)
    for text in ("王喆", household.phone, "张德明", member.phone, "修水管", "同意", "弃权", "不同意票"):
        assert text not in html
    assert not re.search(r"1\d{10}", html)  # no mobile number of anybody
    assert "clerk_a" not in html and "刘晓燕" not in html  # nor who typed it


def test_through_the_public_page(client, graded, tree, township_secretary, clerk_a):
    """/public/ (no login): the township lists its villages; a village shows its items and, once
    published, the grade; nothing of voters or residents."""
    _, assessment = graded
    services.assessment_publish(
        user=township_secretary,
        assessment=assessment,
        published_on=datetime.date(YEAR, 12, 2),
        now=now(12, 2),
    )
    member = MemberFactory(organisation=tree["village_a"], name="张德明", phone="13698765432")
    services.personal_add(
        user=clerk_a,
        member=member,
        year=YEAR,
        content="修水管",
        deadline=datetime.date(YEAR, 9, 1),
        now=now(2, 1),
    )
    township = client.get(f"/public/?org={tree['township'].pk}&year={YEAR}").content.decode()
    assert "“两委会”承诺公示" in township and "桂花村" in township and "基本合格" in township
    page = client.get(f"/public/?org={tree['village_a'].pk}&year={YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "硬化三组道路1公里" in html and "综合考评结果：" in html and "基本合格" in html
    assert "尚未表决的初诺" not in html
    for text in ("张德明", member.phone, "修水管", "弃权", "同意票"):
        assert text not in html
