"""The 户情卡 PDF: Chinese text (rare name characters included) is printed from the shipped font,
embedded as a subset, and every printed character has a glyph in it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.documents.fontcheck import missing_glyphs
from liaison.models import HouseholdTag, Resident
from tests.factories import ResidentFactory
from tests.pdf_utils import pdf_fonts, pdf_pages, pdf_text, response_bytes

RARE = ["王喆", "李堃", "张犇", "陈燊", "赵昇", "孙珺", "周瑄", "吴祎"]


@pytest.fixture
def card_household(household_a):
    household_a.housing_area = 135.5
    household_a.annual_income = 48000
    household_a.skills = "柑橘种植、电焊"
    household_a.problems = "三组机耕道雨天泥泞，出行困难"
    household_a.save()
    household_a.tags.add(HouseholdTag.objects.get(name="低保户"))
    for i, name in enumerate(RARE[1:]):
        ResidentFactory(
            household=household_a,
            name=name,
            relation=Resident.Relation.CHILD,
            phone="",
            is_away=(i == 0),
            away_location="广东省东莞市",
            away_return="春节返乡",
        )
    return household_a


@pytest.mark.django_db
def test_household_card_pdf(client_for, clerk_a, card_household):
    response = client_for(clerk_a).get(reverse("household-pdf", args=[card_household.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    pdf = response_bytes(response)
    text = pdf_text(pdf)
    flat = "".join(text.split())  # table cells wrap: compare without line breaks
    for expected in [
        "户情卡",
        "桂花村",
        "居住地点",
        "桂花村三组12号",
        "135.50㎡",
        "48000元",
        "柑橘种植",
        "机耕道",
        "低保户",
        "外出人员情况",
        "广东省东莞市",
        "中共重庆市巴南区委组织部",
        "刘晓燕",
        *RARE,
    ]:
        assert expected in flat, expected
    assert pdf_pages(pdf) == 1

    fonts = pdf_fonts(pdf)
    assert len(fonts) == 1, fonts
    assert "Liaison" in fonts[0]["name"] and fonts[0]["emb"] and fonts[0]["sub"]
    # pdftotext returns a character even where the font had no glyph: check the cmap too.
    assert missing_glyphs(text) == set()


@pytest.mark.django_db
def test_household_card_masks_for_org_dept(client_for, org_dept, card_household):
    text = pdf_text(
        response_bytes(client_for(org_dept).get(reverse("household-pdf", args=[card_household.pk])))
    )
    assert "13812345678" not in text and "138****5678" in text


def test_font_covers_every_gbk_hanzi():
    from liaison.documents.fontcheck import gbk_hanzi

    hanzi = gbk_hanzi()
    assert len(hanzi) > 20000
    assert missing_glyphs("".join(hanzi)) == set()


def test_missing_glyphs_detects_what_the_font_lacks():
    # A Hangul syllable is outside GBK and outside the shipped font: the check must notice.
    assert missing_glyphs("张三한") == {"한"}
