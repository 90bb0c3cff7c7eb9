"""The 民情日志 (附件3) read back: the boxes in the form's order, from the snapshot, every family member
kept, long text continued on 续页, the cover, the blank page, a visitor's year."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from liaison.models import Resident
from tests.factories import ResidentFactory
from tests.pdf_layout import assert_prints_cleanly
from tests.pdf_utils import pdf_pages, pdf_text, response_bytes
from visits.models import Visit
from visits.tests.conftest import MARCH_3
from visits.tests.factories import visit

# The boxes of 附件3 in their printed order (top to bottom, left to right).
FORM_ORDER = (
    "基层党组织班子成员进家入户走访群众",
    "时间：",
    "家访人",
    "职务",
    "姓名",
    "性别",
    "年龄",
    "职业",
    "居住地点",
    "家庭年收入",
    "专长技能",
    "住房面积",
    "联系电话",
    "家庭党员情况",
    "家访情况",
    "要求解",
    "决的问题",
    "办理情况",
    "现场办理",
    "限期办理",
    "解释说明",
    "转有关部门办理",
    "被访群",
    "众意见",
    "签字：",
)


def booklet(client, visitor, year: int = 2026) -> bytes:
    response = client.get(reverse("visit-booklet-pdf"), {"visitor": visitor.pk, "year": year})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response_bytes(response)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_page_reads_back_in_the_forms_order(client_for, clerk_a, visit_a):
    pdf = response_bytes(client_for(clerk_a).get(reverse("visit-pdf", args=[visit_a.pk])))
    text = flat(pdf_text(pdf, layout=True))
    positions = [text.find(label) for label in FORM_ORDER]
    assert -1 not in positions, [label for label, p in zip(FORM_ORDER, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    for value in (
        "陈国华",
        "桂花村书记",
        "王喆",
        "李秀英",
        "王小军",
        "柑橘种植",
        "120㎡",
        "48000元",
        "当场联系了镇农服中心",
    ):
        assert value in text
    assert text.index("2026年3月3日") < text.index("家访人")


def test_the_booklet_has_the_cover_and_prints_from_the_snapshot(client_for, clerk_a, visit_a, family):
    family.address = "搬到了新地址"
    family.housing_area = Decimal("300")
    family.save()
    Resident.objects.filter(name="李秀英").update(name="改过的名字")
    text = flat(pdf_text(booklet(client_for(clerk_a), visit_a.visitor), layout=True))
    assert "姓名陈国华" in text and "单位桂花村" in text and "职务桂花村书记" in text
    assert "中共重庆市巴南区委组织部印制" in text
    assert "桂花村三组12号" in text and "李秀英" in text and "120㎡" in text
    assert "搬到了新地址" not in text and "改过的名字" not in text and "300㎡" not in text


def test_a_seven_member_household_continues_on_a_second_sheet(client_for, clerk_a, family, secretary_member):
    for n in range(4):
        ResidentFactory(
            household=family, name=f"王孙{n}", relation=Resident.Relation.GRANDCHILD, birth_year=2015
        )
    made = visit(clerk_a, family, secretary_member, on=MARCH_3)
    assert made.members.count() == 7
    pdf = response_bytes(client_for(clerk_a).get(reverse("visit-pdf", args=[made.pk])))
    pages = pdf_text(pdf).split("\f")
    first = flat(pages[0])
    assert "共7人" in first and "续见后页" in first
    everyone = flat("".join(pages)).replace("王喆户", "")  # the 续页 heading names the household
    for name in ("王喆", "李秀英", "王孙0", "王孙1", "王孙2", "王孙3"):
        assert everyone.count(name) == 1, name
    assert everyone.count("王小军") == 2  # a family row, and the second 八清楚 of a member working away
    assert "被访家庭成员基本情况（续，第2页）" in flat(pages[1])
    assert "王孙3" not in first


def test_long_situation_flows_onto_continuation_pages(client_for, clerk_a, family, secretary_member):
    situation = ("入户了解到该户今年柑橘丰收但销路不畅，户主希望村里牵线电商平台。" * 100)[:3000]
    made = visit(clerk_a, family, secretary_member, on=MARCH_3, situation=situation, resident_opinion="满意")
    pdf = response_bytes(client_for(clerk_a).get(reverse("visit-pdf", args=[made.pk])))
    assert pdf_pages(pdf) >= 2
    labels = ("家访情况", "办理情况", "签字：", "民情日志（续页）")
    document = assert_prints_cleanly(pdf, labels)
    # Every line printed once, none lost or doubled: pdftotext may read a box of the row above into the
    # text's flow, so count a character only the situation holds (销, once a sentence) rather than lines.
    text = flat(pdf_text(pdf))
    assert text.count("销") == situation.count("销") == 94
    # The text ran over pages 1 and 2; the boxes below it follow it, whole, never printed over it.
    texts = [flat("".join(w.text for w in page.words)) for page in document]
    signed = next(i for i, t in enumerate(texts) if "签字：" in t)
    assert signed >= 1 and "销" in texts[signed - 1] and "（续页）" in texts[signed]
    assert texts[0].count("（转下页）") == 1


def test_a_visitors_year_in_one_booklet(client_for, clerk_a, family, household_b, secretary_member):
    for day in (datetime.date(2026, 1, 5), datetime.date(2026, 2, 9), datetime.date(2026, 4, 1)):
        visit(clerk_a, family, secretary_member, on=day)
    visit(clerk_a, family, secretary_member, on=datetime.date(2025, 12, 30))  # another year
    text = flat(pdf_text(booklet(client_for(clerk_a), secretary_member)))
    assert "2026年度共3篇" in text
    dates = re.findall(r"时间：(\d{4})年(\d+)月(\d+)日", text)
    assert dates == [("2026", "1", "5"), ("2026", "2", "9"), ("2026", "4", "1")]


def test_no_visits_in_the_period_says_so(client_for, clerk_a, secretary_member):
    response = client_for(clerk_a).get(
        reverse("visit-booklet-pdf"), {"visitor": secretary_member.pk, "year": 2024}
    )
    assert response.status_code == 400
    assert "陈国华在所选期间没有走访记录" in response.content.decode()


def test_the_blank_page_is_the_form_to_fill_by_hand(client_for, clerk_a):
    response = client_for(clerk_a).get(reverse("visit-blank-pdf"))
    pdf = response_bytes(response)
    assert pdf_pages(pdf) == 1
    text = flat(pdf_text(pdf, layout=True))
    positions = [text.find(label) for label in FORM_ORDER]
    assert -1 not in positions and positions == sorted(positions)
    assert text.count("姓名") == 5


@pytest.mark.parametrize("masked", [True, False])
def test_the_phone_is_masked_for_masked_roles(client_for, clerk_a, township_admin, visit_a, masked):
    user = township_admin if masked else clerk_a
    pdf = response_bytes(client_for(user).get(reverse("visit-pdf", args=[visit_a.pk])))
    text = flat(pdf_text(pdf))
    assert ("138****1234" in text) is masked
    assert ("13800001234" in text) is not masked
    assert ("137****2222" in text) is masked  # the away member's phone, on the second 八清楚


def test_a_long_booklet_becomes_a_job_and_its_file_reads_back(client_for, clerk_a, family, secretary_member):
    """More than about 20 pages: a background job (run at once in tests) whose PDF is downloaded from
    the job's page, with every visit in it."""
    from liaison.models import Job
    from visits.printing import BOOKLET_VISITS_IN_REQUEST

    days = [
        datetime.date(2026, 1, 1) + datetime.timedelta(days=3 * n)
        for n in range(BOOKLET_VISITS_IN_REQUEST + 1)
    ]
    for day in days:
        visit(clerk_a, family, secretary_member, on=day)
    client = client_for(clerk_a)
    response = client.get(reverse("visit-booklet-pdf"), {"visitor": secretary_member.pk, "year": 2026})
    job = Job.objects.get(kind="visits.booklet_pdf")
    assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[job.token])
    assert job.status == Job.Status.DONE and job.user == clerk_a
    pdf = response_bytes(client.get(reverse("job-download", args=[job.token])))
    assert pdf_pages(pdf) >= len(days) + 1  # the cover, then a page a visit
    text = flat(pdf_text(pdf))
    assert f"2026年度共{len(days)}篇" in text
    assert len(re.findall(r"时间：2026年", text)) == len(days)
    # One visit fewer prints in the request, as before.
    Visit.objects.filter(visited_on=days[-1]).delete()
    small = client.get(reverse("visit-booklet-pdf"), {"visitor": secretary_member.pk, "year": 2026})
    assert small.status_code == 200 and small["Content-Type"] == "application/pdf"
    assert Job.objects.count() == 1


def test_a_booklet_beyond_the_jobs_cap_asks_for_a_shorter_period(
    client_for, clerk_a, visit_a, secretary_member, monkeypatch
):
    import visits.views.prints as prints

    monkeypatch.setattr(prints, "MAX_BOOKLET_VISITS", 0)
    response = client_for(clerk_a).get(
        reverse("visit-booklet-pdf"), {"visitor": secretary_member.pk, "year": 2026}
    )
    assert response.status_code == 400
    assert "所选期间有 1 条走访记录，一次最多打印 0 条" in response.content.decode()
