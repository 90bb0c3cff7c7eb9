"""The 组织部's annual workbook (issue 14): 总表, one sheet per 镇街, 群众意见登记簿, 走访, 接待, 承诺, 规则.

One mode for the whole workbook: openpyxl's write-only mode. A workbook is either write-only or
normal, never both, and the detail sheets (a district's year: a million visits) must stream. Write-only
still does everything these sheets need — styled cells (WriteOnlyCell), number formats, column widths,
frozen panes, print titles, the page setup, autofilters and formulas — and the summary sheets are
small (a row per 镇街 or village), so they are built in memory first and then written row by row like
the rest. What write-only cannot do (merged cells, editing a cell after its row is written) the sheets
do not use: the headers are one row, and each total is a formula written with its row.

Totals are real formulas: 合计 is SUM over the rows above it, and every rate is a formula over the
counts in its own row (`rate_formula`, shown as 0.0%), so the total row's rates are the rates of the
totals, rounded as liaison.text.numbers.rate rounds every percentage of the application. The quota
compliance columns are the exception: the compliance engine judges each organisation with everything
below it (a 镇街's rules met are not the sum of its villages'), so each row, 合计 included, carries the
engine's own figure for its organisation, and the 本级 and 小计 rows none.
"""

from __future__ import annotations

import datetime
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from liaison.access.scoping import subtree_ids
from liaison.compliance import Summary
from liaison.documents.rendering import XLSX, RenderedFile
from liaison.documents.xlsx import Column
from liaison.reports import details
from liaison.reports.figures import AnnualFigures, Row, Township, annual_figures
from liaison.safeguards.text import printable

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B22222")  # party red, as every export of the application
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(bold=True, size=14)
NOTE_FONT = Font(italic=True, color="555555")
TOTAL_FONT = Font(bold=True)
TOTAL_FILL = PatternFill("solid", fgColor="F2DCDB")
SUBTOTAL_FILL = PatternFill("solid", fgColor="FBEFEF")

INTEGER = "#,##0"
MONEY = "#,##0.00"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"

SUMMARY_TITLE = "总表"
UNIT_KINDS_TITLE = "单位类别"
REGISTER_TITLE = "群众意见登记簿"
DETAIL_TITLES = ("走访", "接待", "承诺")
RULES_TITLE = "规则"
RESERVED = {SUMMARY_TITLE, UNIT_KINDS_TITLE, REGISTER_TITLE, *DETAIL_TITLES, RULES_TITLE}

HEADER_ROW = 3  # row 1 the title, row 2 the note, row 3 the headers (summary sheets)
NO_DATA = "{year}年度在本范围内没有登记走访、接待、群众意见、承诺或结对帮扶记录，各表为空。"


# The quota compliance columns (liaison.compliance): per row from the engine, not sums of the rows above.
COMPLIANCE_COUNTS = "compliance_counts"
COMPLIANCE_RATE = "compliance_rate"
COMPLIANCE_KEYS = (COMPLIANCE_COUNTS, COMPLIANCE_RATE)


@dataclass(frozen=True)
class Figure:
    """A column of the summary sheets: a count (key), or a rate of two counts (part / base)."""

    header: str
    width: float
    key: str = ""
    part: str = ""
    base: str = ""
    number_format: str = INTEGER

    @property
    def is_rate(self) -> bool:
        return bool(self.part)


# The columns of 总表 and the 镇街 sheets. Counts that differ in meaning say what they count.
FIGURES: tuple[Figure, ...] = (
    Figure("村（社区）数", 8, key="grassroots"),
    Figure("登记户数", 10, key="households"),
    Figure("本年走访户数（去重）", 11, key="visited_households"),
    Figure("走访覆盖率（走访户数÷登记户数）", 12, part="visited_households", base="households"),
    Figure("本年走访次数（人次）", 11, key="visits"),
    Figure("书记接待 应接待（半天，全年）", 12, key="sessions_required"),
    Figure("书记接待 已接待（半天）", 11, key="sessions_held"),
    Figure("接待完成率（已接待÷应接待）", 12, part="sessions_held", base="sessions_required"),
    Figure("受理群众意见（件）", 10, key="opinions"),
    Figure("已销号（件）", 9, key="opinions_closed"),
    Figure("按期反馈（件）", 9, key="opinions_on_time"),
    Figure("逾期反馈（件，已反馈但超过时限）", 12, key="opinions_late"),
    Figure("超期未反馈（件，截至统计日）", 12, key="opinions_overdue"),
    Figure("按期反馈率（按期反馈÷受理）", 12, part="opinions_on_time", base="opinions"),
    Figure("已评价（件）", 9, key="opinions_rated"),
    Figure("满意及基本满意（件）", 11, key="opinions_satisfied"),
    Figure("满意率（满意及基本满意÷已评价）", 13, part="opinions_satisfied", base="opinions_rated"),
    Figure("承诺事项（件，不含撤回及被替代）", 12, key="commitments"),
    Figure("表决通过（件）", 9, key="commitments_adopted"),
    Figure("考察认定已完成（件）", 11, key="commitments_done"),
    Figure("考核评诺 优秀（村）", 9, key="grade_excellent"),
    Figure("合格（村）", 8, key="grade_pass"),
    Figure("基本合格（村）", 9, key="grade_basic"),
    Figure("不合格（村）", 8, key="grade_fail"),
    Figure("结对帮扶（对，年内在结对）", 11, key="pairings"),
    Figure("单位联系帮扶（项，联线/结对/联姻/牵手）", 14, key="unit_pairings"),
    Figure("帮扶资金（元，本年记录合计）", 13, key="funds", number_format=MONEY),
    Figure("支部联线覆盖（村/社区数）", 11, key="lined"),
    Figure("联线覆盖率（联线覆盖÷村/社区数）", 12, part="lined", base="grassroots"),
    Figure("定额规则 达标/适用（项，本单位及下级）", 13, key=COMPLIANCE_COUNTS, number_format="@"),
    Figure("定额达标率（达标项÷适用项）", 12, key=COMPLIANCE_RATE, number_format=PERCENT),
)

RULE_COLUMNS = [
    Column("代码", 30),
    Column("事项", 24),
    Column("适用对象", 20),
    Column("最低要求", 10),
    Column("单位", 8),
    Column("周期", 8),
    Column("适用范围", 14),
    Column("现行数值生效日期", 14),
    Column("依据", 50),
    Column("说明", 40),
]

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")

Progress = Callable[[float, str], None]


def _silent(percent: float, stage: str) -> None:
    return None


def _text(value: object) -> object:
    """Text as text: control characters dropped (xlsx cannot hold them), and never a formula."""
    if isinstance(value, str):
        return printable(value)
    return value


def _cell(ws, value, *, font=None, fill=None, number_format=None, align=None, border=None):
    cell = WriteOnlyCell(ws, value=value)
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if number_format:
        cell.number_format = number_format
    if align:
        cell.alignment = align
    if border:
        cell.border = border
    return cell


def _text_cell(ws, value):
    """A detail value as it is (openpyxl's write-only mode writes plain values fastest, and gives a date
    the yyyy-mm-dd format itself), except a resident's text that starts with "=": a text cell, never a
    formula."""
    value = _text(value)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _page_setup(ws, *, title_rows: str, title_cols: str | None = None, wide: bool = False) -> None:
    """Landscape, the header row (and the name column) repeated on every page, as wide as the paper.
    The summary sheets' 32 columns print on A3 across two pages (the names repeat on the second);
    fitted onto one A4 they would be too small to read."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A3 if wide else Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 2 if wide else 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _BAD_TITLE.sub("", printable(name))[:31] or "镇街"
    title, n = base, 2
    while title in taken:
        suffix = f"（{n}）"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


# -- summary sheets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A row of a summary sheet: figures (`row`), or a total — SUM over sheet rows `sums` (first, last),
    or the sum of the sheet rows `adds`."""

    label: str
    row: Row | None = None
    sums: tuple[int, int] | None = None
    adds: tuple[int, ...] = ()
    style: str = ""  # "" | "subtotal" | "total"
    compliance: Summary | None = None  # a total line's own (the root's, the 镇街's)


def _write_summary(ws, *, title: str, note: str, first_header: str, lines: list[Line]) -> None:
    columns = [Figure(first_header, 18), *FIGURES]
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    _page_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", title_cols="A:A", wide=True)
    ws.row_dimensions[1].height = 24
    ws.row_dimensions[HEADER_ROW].height = 66  # headers wrap onto up to five lines
    ws.append([_cell(ws, printable(title), font=TITLE_FONT)])
    ws.append([_cell(ws, printable(note), font=NOTE_FONT)])
    ws.append(
        [
            _cell(ws, c.header, font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN, border=BORDER)
            for c in columns
        ]
    )
    letter = {f.key: get_column_letter(i) for i, f in enumerate(columns, start=1) if f.key}
    for r, line in enumerate(lines, start=HEADER_ROW + 1):
        font = TOTAL_FONT if line.style else None
        fill = {"subtotal": SUBTOTAL_FILL, "total": TOTAL_FILL}.get(line.style)
        cells = [_cell(ws, printable(line.label), font=font, fill=fill, border=BORDER)]
        for i, f in enumerate(columns[1:], start=2):
            col = get_column_letter(i)
            if f.is_rate:
                value = rate_formula(f"{letter[f.part]}{r}", f"{letter[f.base]}{r}")
                number_format = PERCENT
            elif f.key in COMPLIANCE_KEYS:
                summary = line.row.compliance if line.row is not None else line.compliance
                value = _compliance(summary, f.key)
                number_format = f.number_format
            else:
                number_format = f.number_format
                if line.row is not None:
                    value = line.row.values[f.key]
                elif line.sums is not None:
                    first, last = line.sums
                    value = f"=SUM({col}{first}:{col}{last})" if last >= first else 0
                else:
                    value = "=" + "+".join(f"{col}{n}" for n in line.adds) if line.adds else 0
            cells.append(_cell(ws, value, number_format=number_format, font=font, fill=fill, border=BORDER))
        ws.append(cells)


def rate_formula(part: str, base: str) -> str:
    """part ÷ base as a share rounded half up to 0.1% — liaison.text.numbers.rate in Excel: ROUND rounds
    half away from zero, and a share short of everything never shows 100.0% (nor one above nothing
    0.0%). Empty when there is no base."""
    share = f"ROUND({part}/{base},3)"
    return f'=IF({base}=0,"",MIN(MAX({share},IF({part}>0,0.001,0)),IF({part}<{base},0.999,1)))'


def _compliance(summary: Summary | None, key: str):
    if summary is None or not summary.total:
        return ""
    if key == COMPLIANCE_COUNTS:
        return f"{summary.met}/{summary.total}"
    return float(summary.rate / 100)


def summary_lines(figures: AnnualFigures) -> list[Line]:
    """总表: one row per 镇街; for the district, 镇街小计 (SUM of them), 区本级 and 合计 (小计 + 区本级);
    otherwise 合计 (SUM)."""
    first = HEADER_ROW + 1
    lines = [Line(t.row.label, row=t.row) for t in figures.townships]
    last = HEADER_ROW + len(lines)
    if figures.own is None:
        return [*lines, Line("合计", sums=(first, last), style="total", compliance=figures.compliance)]
    subtotal, own = last + 1, last + 2
    return [
        *lines,
        Line("镇街小计", sums=(first, last), style="subtotal"),
        Line(figures.own.label, row=figures.own),
        Line("合计", adds=(subtotal, own), style="total", compliance=figures.compliance),
    ]


def township_lines(township: Township) -> list[Line]:
    """A 镇街's sheet: one row per village (community), 镇街本级, and 合计 (SUM)."""
    lines = [Line(v.label, row=v) for v in township.villages]
    if township.own is not None:
        lines.append(Line(township.own.label, row=township.own))
    total = Line(
        "合计",
        sums=(HEADER_ROW + 1, HEADER_ROW + len(lines)),
        style="total",
        compliance=township.row.compliance,
    )
    return [*lines, total]


def _note(figures: AnnualFigures, generated: datetime.datetime) -> str:
    if not figures.has_data:
        return NO_DATA.format(year=figures.year)
    return (
        f"统计范围：{figures.root.display_name}及所属党组织；统计期间：{figures.year}年1月1日至12月31日；"
        f"超期未反馈、走访覆盖按{figures.as_of:%Y年%m月%d日}计；比率四舍五入到0.1%；"
        f"生成时间：{generated:%Y-%m-%d %H:%M}。"
    )


# -- 单位类别 ---------------------------------------------------------------------------------------

# The columns of 单位类别: (header, width, KindRow attribute); the rate is a formula over its row.
UNIT_KIND_COLUMNS = (
    ("帮扶方式", 12, "pairing_label"),
    ("单位类别", 16, "unit_label"),
    ("帮扶单位（个）", 10, "units"),
    ("在帮扶（项，年内在帮扶）", 12, "required"),
    ("达到定额（项）", 11, "done"),
    ("按进度（项，截至统计日）", 12, "on_pace"),
    ("达标率（达到定额÷在帮扶）", 13, ""),
)
UNIT_KINDS_NOTE = (
    "支部联线、党员结对、工农联姻、社团牵手按帮扶方的单位类别统计（支部按其所属单位；未设定单位类别的列为"
    "“未分类”）；受帮扶村（社区）在本范围内、年内在帮扶的计入；定额为各帮扶方式当年12月31日有效的定额规则"
    "（见“规则”表）。各帮扶方式的小计即系统“制度落实情况”中该项定额规则的应达、已达。同一单位可参与几种帮扶方式，"
    "合计不计单位数。"
)
NO_UNIT_PAIRINGS = "{year}年度在本范围内没有单位联系帮扶。"


def _unit_kinds_sheet(ws, figures: AnnualFigures) -> None:
    """Pairing kind × kind of unit (liaison.compliance.unit_kinds): each pairing kind's rows, its 小计
    (SUM of them), and 合计 (the 小计 rows added; the units left out, since one unit may help in
    several ways). Every rate is rate_formula over its own row."""
    for index, (_, width, _) in enumerate(UNIT_KIND_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    _page_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    ws.row_dimensions[HEADER_ROW].height = 48
    title = f"{figures.year}年度单位联系帮扶定额落实情况（按单位类别，{figures.root.display_name}）"
    note = UNIT_KINDS_NOTE if figures.unit_kinds else NO_UNIT_PAIRINGS.format(year=figures.year)
    ws.append([_cell(ws, printable(title), font=TITLE_FONT)])
    ws.append([_cell(ws, note, font=NOTE_FONT)])
    ws.append(
        [
            _cell(ws, header, font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN, border=BORDER)
            for header, _, _ in UNIT_KIND_COLUMNS
        ]
    )
    # A, B the labels; C–F the counts (units, running, met, on pace); G the rate.
    counts = [get_column_letter(i) for i in range(3, len(UNIT_KIND_COLUMNS))]
    units, required, done = counts[0], counts[1], counts[2]

    def write(r: int, labels: tuple[str, str], values: dict[str, object], style: str = "") -> None:
        font = TOTAL_FONT if style else None
        fill = {"subtotal": SUBTOTAL_FILL, "total": TOTAL_FILL}.get(style)
        cells = [_cell(ws, label, font=font, fill=fill, border=BORDER) for label in labels]
        for column in counts:
            cells.append(
                _cell(ws, values[column], number_format=INTEGER, font=font, fill=fill, border=BORDER)
            )
        rate = rate_formula(f"{done}{r}", f"{required}{r}")
        cells.append(_cell(ws, rate, number_format=PERCENT, font=font, fill=fill, border=BORDER))
        ws.append(cells)

    r, subtotals = HEADER_ROW + 1, []
    for pairing_kind in dict.fromkeys(row.pairing_kind for row in figures.unit_kinds):
        group = [row for row in figures.unit_kinds if row.pairing_kind == pairing_kind]
        first = r
        for row in group:
            values = dict(zip(counts, (row.units, row.required, row.done, row.on_pace), strict=True))
            write(r, (row.pairing_label, row.unit_label), values)
            r += 1
        sums = {column: f"=SUM({column}{first}:{column}{r - 1})" for column in counts}
        write(r, (group[0].pairing_label, "小计"), sums, "subtotal")
        subtotals.append(r)
        r += 1
    added = {
        column: "=" + "+".join(f"{column}{n}" for n in subtotals) if subtotals else 0 for column in counts
    }
    added[units] = None
    write(r, ("合计", ""), added, "total")


# -- the workbook -----------------------------------------------------------------------------------


def workbook_name(root, year: int) -> str:
    return f"{year}年度党员联系服务群众工作统计-{root.display_name}.xlsx"


def build_workbook(
    root, year: int, *, progress: Progress | None = None, today: datetime.date | None = None
) -> RenderedFile:
    progress = progress or _silent
    progress(3, "正在汇总各项数据")
    figures = annual_figures(root, year, today=today)
    note = _note(figures, timezone.localtime())
    wb = Workbook(write_only=True)
    taken = set(RESERVED)

    progress(15, "正在写入总表和各镇街表")
    _write_summary(
        wb.create_sheet(SUMMARY_TITLE),
        title=f"{year}年度党员联系服务群众工作统计总表（{figures.root.display_name}）",
        note=note,
        first_header="镇街",
        lines=summary_lines(figures),
    )
    for t in figures.townships:
        _write_summary(
            wb.create_sheet(sheet_title(t.row.label, taken)),
            title=f"{year}年度{t.row.label}各村（社区）统计",
            note=note,
            first_header="村（社区）",
            lines=township_lines(t),
        )

    _unit_kinds_sheet(wb.create_sheet(UNIT_KINDS_TITLE), figures)

    ids = subtree_ids(figures.root)
    progress(20, "正在写入群众意见登记簿")
    _register_sheet(wb, figures)
    progress(40, "正在写入走访明细")
    _detail(wb, "走访", details.VISIT_COLUMNS, details.visit_rows(ids, year, figures.places))
    progress(70, "正在写入接待明细")
    _detail(wb, "接待", details.RECEPTION_COLUMNS, details.reception_rows(ids, year, figures.places))
    progress(80, "正在写入承诺明细")
    _detail(wb, "承诺", details.COMMITMENT_COLUMNS, details.commitment_rows(ids, year, figures.places))
    progress(88, "正在写入规则")
    _rules_sheet(wb, year)
    progress(92, "正在保存文件")
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by whoever streams it
    wb.save(handle)
    handle.seek(0)
    return RenderedFile(filename=workbook_name(root, year), content_type=XLSX, content=handle)


def _register_sheet(wb, figures: AnnualFigures) -> None:
    """附件4's columns, from feedback's own register rows, for the root and everything below it, in the
    register's order (feedback.selectors.register_queryset); the 序号 carries each unit's name, since
    every unit numbers its own opinions."""
    from feedback.exports import REGISTER_COLUMNS, register_rows
    from feedback.models import Opinion

    queryset = (
        Opinion.objects.filter(
            organisation_id__in=subtree_ids(figures.root),
            received_on__gte=datetime.date(figures.year, 1, 1),
            received_on__lte=datetime.date(figures.year, 12, 31),
        )
        .select_related("handler", "organisation")
        .order_by("organisation__path", "year", "number")
    )
    _detail(wb, REGISTER_TITLE, REGISTER_COLUMNS, register_rows(queryset, with_year=False, with_unit=True))


def _detail(wb, title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> int:
    ws = wb.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    _page_setup(ws, title_rows="1:1")
    ws.row_dimensions[1].height = 32
    ws.append(
        [
            _cell(ws, c.header, font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN, border=BORDER)
            for c in columns
        ]
    )
    count = 0
    for row in rows:
        ws.append([_text_cell(ws, value) for value in row])
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return count


def _rules_sheet(wb, year: int) -> None:
    from liaison.quotas import rules_in_force

    rules = rules_in_force(datetime.date(year, 12, 31))
    rows = (
        [
            rule.code,
            rule.name,
            rule.subject,
            rule.minimum,
            rule.unit,
            rule.get_period_display(),
            rule.organisation.display_name if rule.organisation_id else "通用",
            rule.effective_from,
            rule.source,
            rule.notes,
        ]
        for rule in rules
    )
    _detail(wb, RULES_TITLE, RULE_COLUMNS, rows)
