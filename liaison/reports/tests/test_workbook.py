"""The annual workbook on a hand-made year: its sheets, headers, formulas, formats and page setup, the
figures worked out by hand, an empty year, a bounded number of queries, and the command."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from feedback.tests.factories import answer, feed_back, register
from liaison.models import Organisation
from liaison.reports import workbook as wbm
from liaison.reports.figures import annual_figures
from members.models import UnitPairing
from members.tests.factories import MemberFactory, pairing, record, unit_pairing
from tests.factories import OrganisationFactory, UserFactory, household_with_head
from visits.tests.factories import visit

pytestmark = pytest.mark.django_db

YEAR = 2025
L = Organisation.Level


@pytest.fixture
def year_of_work(tree, clerk_a, township_secretary, household_a, household_b):
    """In 界石镇's 桂花村 in 2025: two visits to one of its households, two opinions (one answered on time,
    fed back satisfied and closed; one never answered), a 结对帮扶, a 支部联线 with 600 元 recorded; one
    opinion at 界石镇 itself. 石岗村 has a household and nothing else; 南泉街道 has nothing."""
    member = MemberFactory(organisation=tree["village_a"], name="陈国平")
    visit(clerk_a, household_a, member, on=datetime.date(YEAR, 3, 2))
    visit(clerk_a, household_a, member, on=datetime.date(YEAR, 9, 14))
    visit(clerk_a, household_a, member, on=datetime.date(YEAR - 1, 9, 14))  # another year
    done = register(clerk_a, received_on=datetime.date(YEAR, 4, 1))
    answer(clerk_a, done, on=datetime.date(YEAR, 4, 3))
    feed_back(clerk_a, done, on=datetime.date(YEAR, 4, 4))
    register(clerk_a, received_on=datetime.date(YEAR, 5, 6), reporter_name="=HYPERLINK(1)")
    register(township_secretary, received_on=datetime.date(YEAR, 6, 1))
    pairing(household_a, member, start=datetime.date(YEAR, 3, 1))
    line = unit_pairing(
        UnitPairing.Kind.LIAISON_LINE, tree["district"], target_organisation=tree["village_a"]
    )
    record(line, datetime.date(YEAR, 5, 1), money="600")
    record(line, datetime.date(YEAR - 1, 5, 1), money="900")  # another year
    return tree


def load(rendered):
    return load_workbook(io.BytesIO(rendered.content.read()))


def test_the_figures_worked_out_by_hand(year_of_work):
    figures = annual_figures(year_of_work["district"], YEAR, today=datetime.date(YEAR + 1, 2, 1))
    assert figures.as_of == datetime.date(YEAR, 12, 31)
    js, nq = figures.townships
    assert (js.row.label, nq.row.label) == ("界石镇", "南泉街道")
    gh, sg = js.villages
    assert gh.values | {} == gh.values
    v = gh.values
    assert (v["grassroots"], v["households"], v["visits"], v["visited_households"]) == (1, 1, 2, 1)
    assert (v["opinions"], v["opinions_closed"], v["opinions_on_time"], v["opinions_late"]) == (2, 1, 1, 0)
    assert (v["opinions_overdue"], v["opinions_rated"], v["opinions_satisfied"]) == (1, 1, 1)
    assert (v["pairings"], v["unit_pairings"], v["lined"], v["funds"]) == (1, 1, 1, Decimal("600"))
    assert sg.values["households"] == 1 and sg.values["visits"] == 0
    assert js.own.values["opinions"] == 1 and js.own.values["opinions_overdue"] == 1
    t = js.row.values
    assert (t["grassroots"], t["households"], t["opinions"], t["opinions_overdue"]) == (2, 2, 3, 2)
    assert nq.row.values["grassroots"] == 1 and nq.row.values["opinions"] == 0
    assert js.row.compliance.total > 0 and figures.compliance.total >= js.row.compliance.total


def test_sheets_headers_formulas_and_formats(year_of_work):
    book = load(wbm.build_workbook(year_of_work["district"], YEAR, today=datetime.date(YEAR + 1, 1, 5)))
    assert book.sheetnames == [
        "总表",
        "界石镇",
        "南泉街道",
        "单位类别",
        "群众意见登记簿",
        "走访",
        "接待",
        "承诺",
        "规则",
    ]
    ws = book["总表"]
    headers = [c.value for c in ws[3]]
    assert headers[0] == "镇街" and headers[1:] == [f.header for f in wbm.FIGURES]
    assert ws.freeze_panes == "B4"
    assert ws.print_title_rows == "$3:$3" and ws.print_title_cols == "$A:$A"
    assert ws.page_setup.orientation == "landscape"
    assert [ws.cell(r, 1).value for r in range(4, 9)] == [
        "界石镇",
        "南泉街道",
        "镇街小计",
        "巴南区本级",
        "合计",
    ]
    col = {h: i + 1 for i, h in enumerate(headers)}
    households = col["登记户数"]
    assert ws.cell(4, households).value == 2
    assert ws.cell(6, households).value == "=SUM(C4:C5)"
    assert ws.cell(8, households).value == "=C6+C7"
    cover = col["走访覆盖率（走访户数÷登记户数）"]
    assert ws.cell(4, cover).value == wbm.rate_formula("D4", "C4")
    assert ws.cell(8, cover).value == wbm.rate_formula("D8", "C8")
    assert wbm.rate_formula("D4", "C4") == (
        '=IF(C4=0,"",MIN(MAX(ROUND(D4/C4,3),IF(D4>0,0.001,0)),IF(D4<C4,0.999,1)))'
    )
    met = col["定额规则 达标/适用（项，本单位及下级）"]
    summary = annual_figures(year_of_work["district"], YEAR).compliance
    assert ws.cell(8, met).value == f"{summary.met}/{summary.total}"
    assert ws.cell(8, met + 1).value == pytest.approx(float(summary.rate) / 100)
    assert ws.cell(6, met).value is None and ws.cell(7, met).value is None  # 小计, 区本级: none
    assert ws.cell(4, cover).number_format == "0.0%"
    assert ws.cell(4, households).number_format == "#,##0"
    assert ws.cell(4, col["帮扶资金（元，本年记录合计）"]).number_format == "#,##0.00"
    assert ws.cell(3, 1).font.bold and ws.cell(3, 1).fill.fgColor.rgb.endswith("B22222")
    assert ws.column_dimensions["A"].width == 18

    township = book["界石镇"]
    assert [township.cell(r, 1).value for r in range(4, 8)] == ["桂花村", "石岗村", "界石镇本级", "合计"]
    assert township.cell(7, households).value == "=SUM(C4:C6)"
    assert township.cell(4, col["受理群众意见（件）"]).value == 2

    register_sheet = book["群众意见登记簿"]
    from feedback.exports import REGISTER_HEADERS

    assert [c.value for c in register_sheet[1]] == REGISTER_HEADERS
    assert register_sheet.freeze_panes == "A2" and register_sheet.print_title_rows == "$1:$1"
    rows = list(register_sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3
    names = {r[1] for r in rows}
    assert "=HYPERLINK(1)" in names  # a resident's text is text, never a formula
    assert register_sheet.cell(3, 2).data_type == "s"
    assert len(list(book["走访"].iter_rows(min_row=2))) == 2
    assert [c.value for c in book["走访"][2]][:4] == [
        "界石镇",
        "桂花村",
        datetime.datetime(YEAR, 3, 2),
        "陈国平",
    ]
    assert book["走访"].cell(2, 3).number_format == "yyyy-mm-dd"
    rules = [r[0] for r in book["规则"].iter_rows(min_row=2, values_only=True)]
    assert "visits-village-committee-household" in rules
    assert [c.value for c in book["规则"][1]][:4] == ["代码", "事项", "适用对象", "最低要求"]


def test_a_township_report_has_its_own_total_and_no_district_row(year_of_work):
    book = load(wbm.build_workbook(year_of_work["township"], YEAR))
    assert book.sheetnames[:2] == ["总表", "界石镇"]
    ws = book["总表"]
    assert [ws.cell(r, 1).value for r in (4, 5)] == ["界石镇", "合计"]
    assert ws.cell(5, 3).value == "=SUM(C4:C4)"
    assert len(list(book["群众意见登记簿"].iter_rows(min_row=2))) == 3


def test_a_year_without_data_gives_an_empty_valid_workbook_with_a_note(tree):
    book = load(wbm.build_workbook(tree["district"], 2031))
    note = book["总表"].cell(2, 1).value
    assert note == wbm.NO_DATA.format(year=2031)
    assert book.sheetnames == [
        "总表",
        "界石镇",
        "南泉街道",
        "单位类别",
        "群众意见登记簿",
        "走访",
        "接待",
        "承诺",
        "规则",
    ]
    assert book["走访"].max_row == 1


def _count_queries(root) -> int:
    with CaptureQueriesContext(connection) as captured:
        rendered = wbm.build_workbook(root, YEAR)
        rendered.content.close()
    return len(captured)


def test_the_queries_do_not_grow_with_the_district(year_of_work, clerk_a):
    """A bounded number of queries whatever the number of townships and villages: the same count after
    adding a township with three villages, their households and opinions."""
    before = _count_queries(year_of_work["district"])
    township = OrganisationFactory(
        name="鱼洞街道", code="yd", level=L.TOWNSHIP, parent=year_of_work["district"]
    )
    for n in range(3):
        village = OrganisationFactory(name=f"新村{n}", code=f"yd-{n}", level=L.VILLAGE, parent=township)
        household_with_head(organisation=village, address=f"新村{n}一组")
        clerk = UserFactory(username=f"clerk-yd-{n}", role="clerk", organisation=village)
        register(clerk, received_on=datetime.date(YEAR, 7, 1))
    after = _count_queries(year_of_work["district"])
    assert after == before
    assert before <= 60  # about 28 of them the compliance engine's (liaison.compliance), measured once


def test_the_command_writes_the_workbook(year_of_work, tmp_path):
    out = tmp_path / "年度.xlsx"
    stdout = io.StringIO()
    call_command("export_annual_report", year=YEAR, out=str(out), org="js", stdout=stdout)
    assert "已导出 界石镇 2025 年度统计" in stdout.getvalue()
    book = load_workbook(out)
    assert book.sheetnames[:2] == ["总表", "界石镇"]
    assert not list(tmp_path.glob(".annual-*"))  # no partial file left beside it


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"org": "nope"}, "没有编码为“nope”的党组织"),
        ({"year": 1800}, "年度应在 2000 至 2100 之间"),
        ({"out": "/nonexistent-dir/x.xlsx"}, "目录不存在"),
    ],
)
def test_the_command_refuses_bad_input_in_chinese(tree, tmp_path, args, message):
    options = {"year": YEAR, "out": str(tmp_path / "x.xlsx"), **args}
    with pytest.raises(CommandError, match=message):
        call_command("export_annual_report", **options)
    assert not (tmp_path / "x.xlsx").exists()
