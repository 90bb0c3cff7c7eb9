"""The clerk imports the template with 3 households, pairs a member with one of them, and prints the
village's 党群连心卡; on a phone, a file with a bad row shows the row and column and saves nothing."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from liaison.models import Household, Organisation
from members.models import Pairing, PartyMember
from tests.browser.session import log_in
from tests.factories import OrganisationFactory
from tests.pdf_utils import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOUSEHOLDS = [
    [
        "桂花村",
        "三组",
        "桂花村三组21号",
        "周瑄",
        "13987654321",
        140,
        36000,
        "柑橘种植",
        "房屋漏雨",
        "危房改造",
        "",
        "低保户",
    ],
    ["桂花村", "四组", "桂花村四组2号", "吴祎", "", 96, "", "", "独居", "", "", "空巢老人"],
    ["桂花村", "五组", "桂花村五组8号", "郑喆", "", 120, 52000, "电焊", "", "", "户主为党员", "老党员"],
]
RESIDENTS = [
    [
        "桂花村",
        "桂花村三组21号",
        "周瑄",
        "周瑄",
        "户主",
        "男",
        1979,
        "",
        "13987654321",
        "务农",
        "否",
        "否",
        "",
        "",
        "",
    ],
    [
        "桂花村",
        "桂花村三组21号",
        "周瑄",
        "李秀英",
        "配偶",
        "女",
        1981,
        "",
        "",
        "务农",
        "否",
        "否",
        "",
        "",
        "",
    ],
    [
        "桂花村",
        "桂花村四组2号",
        "吴祎",
        "吴祎",
        "户主",
        "女",
        1944,
        "",
        "",
        "在家养老",
        "否",
        "否",
        "",
        "",
        "",
    ],
    ["桂花村", "桂花村五组8号", "郑喆", "郑喆", "户主", "男", 1958, "", "", "务农", "是", "否", "", "", ""],
]
MEMBERS = [
    [
        "桂花村第一党支部",
        "郑喆",
        "男",
        "1958-04-12",
        "",
        "1986-07-01",
        "13508312345",
        "初中及以下",
        "",
        "正式党员",
        "否",
    ]
]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def branch_a(tree):
    return OrganisationFactory(
        name="桂花村第一党支部",
        short_name="第一党支部",
        code="js-gh-1",
        level=Organisation.Level.BRANCH,
        parent=tree["village_a"],
    )


def filled_template(page, tmp_path, *, residents=RESIDENTS) -> str:
    """Download the template the way the browser does and fill it in like the clerk would."""
    response = page.context.request.get(page.get_by_role("link", name="下载导入模板").get_attribute("href"))
    assert response.ok
    workbook = load_workbook(io.BytesIO(response.body()))
    for title, rows in (("户", HOUSEHOLDS), ("家庭成员", residents), ("党员", MEMBERS)):
        for row in rows:
            workbook[title].append(row)
    path = tmp_path / "桂花村户情.xlsx"
    workbook.save(path)
    return str(path)


def test_clerk_imports_pairs_and_prints_cards(page, clerk_a, tree, branch_a, tmp_path):
    log_in(page, "clerk_a")
    page.get_by_role("button", name="联系帮扶").click()
    page.get_by_role("link", name="Excel 导入").click()
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(filled_template(page, tmp_path))
    page.get_by_role("button", name="上传并预览").click()

    page.get_by_text("检查通过，可以导入").wait_for()
    assert not Household.objects.exists()  # the preview saved nothing
    assert page.get_by_text("新增 3").first.is_visible()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("导入完成").wait_for()
    assert Household.objects.filter(organisation=tree["village_a"]).count() == 3
    assert PartyMember.objects.get().name == "郑喆"
    assert page.get_by_role("cell", name="桂花村户情.xlsx").is_visible()  # the import log

    # Pair the imported member with the 低保户, finding both by pinyin initials.
    page.get_by_role("link", name="结对帮扶").first.click()
    page.get_by_role("link", name="＋ 新增结对").click()
    page.get_by_label("结对户").fill("zx")
    page.get_by_role("option", name="周瑄户 · 桂花村三组21号").click()
    page.get_by_label("帮扶党员").fill("zz")
    page.get_by_role("option", name="郑喆（桂花村第一党支部）").click()
    assert page.get_by_text(
        "郑喆（桂花村第一党支部）"
    ).first.is_visible()  # the chosen member shows as a chip
    page.get_by_label("结对时间").fill("2026-03-01")
    page.get_by_label("计划结束").fill("2027-02-28")  # less than two years: allowed, with a warning
    page.get_by_label("帮扶内容").fill("电焊技术、代办危房改造申请")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("结对计划不足 2 年").first.wait_for()
    pairing = Pairing.objects.get()
    assert pairing.household.head_name == "周瑄" and [m.name for m in pairing.members.all()] == ["郑喆"]
    # Visits are online (issue 12): the pairing page counts them instead of saying they are not.
    assert page.get_by_text("走访记录功能尚未上线").count() == 0

    # Print the village's cards.
    page.get_by_role("link", name="结对帮扶").first.click()
    page.get_by_label("打印全村（社区）党群连心卡（每张 A4 8 张）").select_option(label="界石镇 桂花村")
    query = urlencode(
        {"organisation": page.get_by_label("打印全村（社区）党群连心卡（每张 A4 8 张）").input_value()}
    )
    response = page.context.request.get(f"/pairings/cards/pdf/?{query}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "".join(pdf_text(response.body()).split())
    assert text.count("党群连心卡") == 1
    for expected in ("郑喆", "13508312345", "周瑄户", "桂花村三组21号", "电焊技术、代办危房改造申请"):
        assert expected in text, expected


def test_a_bad_row_is_shown_by_row_and_column_on_a_phone(phone_page, clerk_a, tree, branch_a, tmp_path):
    log_in(phone_page, "clerk_a")
    phone_page.goto("/imports/")
    residents = [list(r) for r in RESIDENTS]
    residents[1][5] = "女性"
    phone_page.get_by_label("Excel 文件（.xlsx）").set_input_files(
        filled_template(phone_page, tmp_path, residents=residents)
    )
    phone_page.get_by_role("button", name="上传并预览").click()
    phone_page.get_by_text("发现 1 处问题，不能导入").wait_for()
    row = phone_page.locator("table.import-errors tbody tr").first
    assert [cell.strip() for cell in row.locator("td").all_inner_texts()] == [
        "家庭成员 · 第 3 行 · 性别",
        "只能填：“男”、“女”。",
    ]
    assert phone_page.get_by_role("button", name="确认导入").count() == 0
    assert not Household.objects.exists()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing pushes the page sideways on a small phone
