"""党群连心卡: one card per pairing, 8 per A4 sheet for a village, read back from the PDF."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liaison.documents.fontcheck import missing_glyphs
from members.tests.factories import MemberFactory, pairing
from tests.factories import household_with_head
from tests.pdf_utils import pdf_fonts, pdf_pages, pdf_text, response_bytes

pytestmark = pytest.mark.django_db
TITLE = "党群连心卡"


def pages_of(pdf: bytes) -> list[str]:
    """Text per page, without spaces (cards lay text out in boxes)."""
    return ["".join(page.split()) for page in pdf_text(pdf).split("\f") if page.strip()]


def test_one_card(client_for, clerk_a, household_a, member_a):
    card = pairing(
        household_a, member_a, start=datetime.date(2025, 3, 1), help_content="柑橘种植技术、代办医保报销"
    )
    response = client_for(clerk_a).get(reverse("pairing-pdf", args=[card.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    pdf = response_bytes(response)
    (page,) = pages_of(pdf)
    for expected in [
        TITLE,
        "张德明",
        "13800001111",
        "桂花村第一党支部",
        "王喆户",
        "桂花村三组12号",
        "柑橘种植技术、代办医保报销",
        "2025年3月结对",
        "桂花村",
    ]:
        assert expected in page, expected
    assert page.count(TITLE) == 1
    assert "13812345678" not in page  # the household's own phone is not on the card
    fonts = pdf_fonts(pdf)
    assert len(fonts) == 1 and fonts[0]["emb"] and fonts[0]["sub"]
    assert missing_glyphs(pdf_text(pdf)) == set()


def test_several_members_on_one_card(client_for, clerk_a, household_a, member_a, member_a2):
    card = pairing(household_a, member_a, member_a2)
    page = pages_of(response_bytes(client_for(clerk_a).get(reverse("pairing-pdf", args=[card.pk]))))[0]
    assert "张德明" in page and "李秀英" in page and "13800002222" in page


def test_the_member_phone_is_masked_on_cards_printed_by_roles_that_see_it_masked(
    client_for, org_dept, household_a, member_a
):
    """The card goes through the same display layer as every page (see members/printing.py): the
    组织部 printing it gets the mask, the village clerk who hands it out the full number."""
    card = pairing(household_a, member_a)
    client = client_for(org_dept)
    assert "138****1111" in client.get(reverse("pairing-detail", args=[card.pk])).text
    page = pages_of(response_bytes(client.get(reverse("pairing-pdf", args=[card.pk]))))[0]
    assert "13800001111" not in page
    assert "138****1111" in page


def test_a_village_sheet_has_eight_cards_per_page(client_for, clerk_a, tree, branches):
    member = MemberFactory(organisation=branches["a"], name="程国云", phone="15091186044")
    for i in range(9):
        household = household_with_head(
            organisation=tree["village_a"],
            head_name=f"刘{'一二三四五六七八九'[i]}",
            address=f"桂花村一组{i + 1}号",
        )
        pairing(household, member)
    ended = household_with_head(organisation=tree["village_a"], head_name="周昇", address="桂花村二组1号")
    pairing(ended, member, status="ended", ended_on=datetime.date(2025, 6, 1))
    response = client_for(clerk_a).get(reverse("pairing-cards-pdf"), {"organisation": tree["village_a"].pk})
    pdf = response_bytes(response)
    assert pdf_pages(pdf) == 2
    first, second = pages_of(pdf)
    assert first.count(TITLE) == 8 and second.count(TITLE) == 1
    assert "刘一户" in first and "刘九户" in second  # booklet order: 一组1号 … 一组9号
    assert "周昇" not in first + second  # ended pairings get no card


def test_a_village_without_pairings_says_so(client_for, clerk_a, tree):
    response = client_for(clerk_a).get(
        reverse("pairing-cards-pdf"), {"organisation": tree["village_a"].pk}, follow=True
    )
    assert "没有帮扶中的结对" in response.text


def test_another_village_is_404(client_for, clerk_a, tree, household_b, member_b):
    pairing(household_b, member_b)
    assert (
        client_for(clerk_a)
        .get(reverse("pairing-cards-pdf"), {"organisation": tree["village_b"].pk})
        .status_code
        == 404
    )


def test_a_big_village_is_printed_by_a_job_in_chunks(
    client_for, clerk_a, clerk_b, tree, branches, monkeypatch
):
    """Beyond CARDS_IN_REQUEST the cards are a background job, rendered a few sheets at a time and joined:
    the same sheets, eight cards each, in booklet order."""
    from liaison.models import Job

    member = MemberFactory(organisation=branches["a"], name="程国云", phone="15091186044")
    for i in range(17):
        household = household_with_head(
            organisation=tree["village_a"], head_name=f"刘{i + 1:02d}", address=f"桂花村一组{i + 1:02d}号"
        )
        pairing(household, member)
    monkeypatch.setattr("members.views.pairings.CARDS_IN_REQUEST", 16)
    monkeypatch.setattr("members.printing.CARD_SHEETS_PER_CHUNK", 1)
    client = client_for(clerk_a)
    response = client.get(reverse("pairing-cards-pdf"), {"organisation": tree["village_a"].pk})
    job = Job.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.token])
    assert job.status == "done" and job.file_name == "党群连心卡-桂花村.pdf"
    pdf = response_bytes(client.get(reverse("job-download", args=[job.token])))
    assert pdf_pages(pdf) == 3
    sheets = pages_of(pdf)
    assert [s.count(TITLE) for s in sheets] == [8, 8, 1]
    assert "刘01户" in sheets[0] and "刘09户" in sheets[1] and "刘17户" in sheets[2]
    assert "15091186044" in sheets[0]  # the clerk who hands the cards out sees the phone
    assert client_for(clerk_b).get(reverse("job-download", args=[job.token])).status_code == 404
