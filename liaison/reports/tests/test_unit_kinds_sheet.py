"""单位类别 in the annual workbook: the unit rules per pairing kind × kind of unit (liaison.compliance.
unit_kinds), read back with openpyxl — the sheet's place, headers, figures, SUM formulas and rates — on the
hand-made year of tests/test_compliance_unit_kinds.py, for the district, a township and a village."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from liaison.reports import workbook as wbm
from tests.test_compliance_unit_kinds import DISTRICT, YEAR, unit_year

pytestmark = pytest.mark.django_db
AFTER = datetime.date(YEAR + 1, 2, 1)  # the year is over


def sheet(root):
    rendered = wbm.build_workbook(root, YEAR, today=AFTER)
    return load_workbook(io.BytesIO(rendered.content.read()))


def body(ws) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=wbm.HEADER_ROW + 1)]


def test_the_sheet_for_the_district(tree):
    unit_year(tree)
    book = sheet(tree["district"])
    assert book.sheetnames.index("单位类别") == book.sheetnames.index("南泉街道") + 1
    ws = book["单位类别"]
    assert ws.cell(1, 1).value == f"{YEAR}年度单位联系帮扶定额落实情况（按单位类别，巴南区）"
    assert ws.cell(2, 1).value == wbm.UNIT_KINDS_NOTE
    assert [c.value for c in ws[3]] == [header for header, _, _ in wbm.UNIT_KIND_COLUMNS]
    assert ws.freeze_panes == "C4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.cell(3, 1).font.bold and ws.cell(3, 1).fill.fgColor.rgb.endswith("B22222")

    rate = wbm.rate_formula
    assert body(ws) == [
        ("支部联线", "机关", 2, 3, 1, 1, rate("E4", "D4")),
        ("支部联线", "未分类", 1, 1, 0, 0, rate("E5", "D5")),
        ("支部联线", "小计", "=SUM(C4:C5)", "=SUM(D4:D5)", "=SUM(E4:E5)", "=SUM(F4:F5)", rate("E6", "D6")),
        ("党员结对", "机关", 1, 2, 1, 1, rate("E7", "D7")),
        ("党员结对", "小计", "=SUM(C7:C7)", "=SUM(D7:D7)", "=SUM(E7:E7)", "=SUM(F7:F7)", rate("E8", "D8")),
        ("工农联姻", "“两新”组织", 1, 1, 1, 1, rate("E9", "D9")),
        ("工农联姻", "小计", "=SUM(C9:C9)", "=SUM(D9:D9)", "=SUM(E9:E9)", "=SUM(F9:F9)", rate("E10", "D10")),
        ("社团牵手", "群团、社团组织", 1, 1, 0, 0, rate("E11", "D11")),
        (
            "社团牵手",
            "小计",
            "=SUM(C11:C11)",
            "=SUM(D11:D11)",
            "=SUM(E11:E11)",
            "=SUM(F11:F11)",
            rate("E12", "D12"),
        ),
        ("合计", None, None, "=D6+D8+D10+D12", "=E6+E8+E10+E12", "=F6+F8+F10+F12", rate("E13", "D13")),
    ]
    # the counts are the page's (worked out by hand there)
    rows = [r for r in body(ws) if r[1] not in ("小计", None)]
    assert [r[:6] for r in rows] == [d[:6] for d in DISTRICT]
    assert ws.cell(4, 7).number_format == "0.0%" and ws.cell(4, 3).number_format == "#,##0"
    assert ws.cell(6, 2).font.bold and ws.cell(13, 1).fill.fgColor.rgb.endswith("F2DCDB")


def test_a_township_and_a_village_see_their_own_pairings(tree):
    unit_year(tree)
    township = body(sheet(tree["township"])["单位类别"])
    assert [r[:6] for r in township if r[1] not in ("小计", None)] == [
        ("支部联线", "机关", 2, 2, 1, 1),
        ("支部联线", "未分类", 1, 1, 0, 0),
        ("党员结对", "机关", 1, 2, 1, 1),
        ("工农联姻", "“两新”组织", 1, 1, 1, 1),
    ]
    # 桂花村's own report: #1, #3 and #5 only, though the engine's summaries span its township
    village = body(sheet(tree["village_a"])["单位类别"])
    assert [r[:6] for r in village if r[1] not in ("小计", None)] == [
        ("支部联线", "机关", 1, 1, 1, 1),
        ("支部联线", "未分类", 1, 1, 0, 0),
        ("党员结对", "机关", 1, 1, 1, 1),
    ]


def test_a_year_without_unit_pairings_has_the_sheet_and_a_zero_total(tree):
    ws = sheet(tree["district"])["单位类别"]
    assert ws.cell(2, 1).value == wbm.NO_UNIT_PAIRINGS.format(year=YEAR)
    assert body(ws) == [("合计", None, None, 0, 0, 0, wbm.rate_formula("E4", "D4"))]


def test_the_sheet_costs_its_queries_once(tree):
    """The sheet reads the unit rules' quotas (one query) and groups the pairings (one statement)."""
    from liaison.compliance import unit_kinds

    unit_year(tree)
    with CaptureQueriesContext(connection) as captured:
        unit_kinds.unit_kind_table(tree["district"], YEAR, today=AFTER)
    assert len(captured) == 2
