"""The downloadable import template: “户”, “家庭成员”, “党员” with their header rows, drop-down lists for the
columns with fixed answers, text format on ID and phone columns (so Excel keeps all 18 digits), and a
“填写说明” sheet. Built with openpyxl's normal mode: it is small, and validations need it."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from liaison.documents.rendering import XLSX, RenderedFile
from liaison.documents.xlsx import HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT
from liaison.models import HouseholdTag
from members.imports.columns import SHEETS
from members.imports.reader import MAX_DATA_ROWS

VALIDATED_ROWS = 5000
FILENAME = "户情和党员导入模板.xlsx"


def build_template() -> RenderedFile:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in SHEETS:
        ws = workbook.create_sheet(spec.title)
        ws.append(spec.headers)
        for index, col in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            cell = ws.cell(row=1, column=index)
            cell.font, cell.fill, cell.alignment, cell.border = (
                HEADER_FONT,
                HEADER_FILL,
                HEADER_ALIGN,
                HEADER_BORDER,
            )
            ws.column_dimensions[letter].width = col.width
            if col.kind in ("id_number", "phone"):
                ws.column_dimensions[letter].number_format = "@"
            if col.choices:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(col.choices) + '"',
                    allow_blank=not col.required,
                    showErrorMessage=True,
                    errorTitle="请从下拉列表中选择",
                    error="只能填：" + "、".join(col.choices),
                )
                validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
                ws.add_data_validation(validation)
        ws.freeze_panes = "A2"
        ws.row_dimensions[1].height = 30
    _instructions(workbook.create_sheet("填写说明"))
    handle = io.BytesIO()
    workbook.save(handle)
    return RenderedFile(filename=FILENAME, content_type=XLSX, content=handle.getvalue())


def _instructions(ws) -> None:
    bold = Font(bold=True)
    lines = [
        ("导入说明", ""),
        (
            "",
            "1. 在“户”“家庭成员”“党员”三个工作表中填写，每个表第 1 行是表头，请不要修改；不用的表留空即可。",
        ),
        (
            "",
            "2. 可以重复导入同一个文件：已登记的户、人会被更新，不会重复新增；空白单元格不会清除已有内容，标签只增不减。",
        ),
        ("", "3. 只要有一处错误，整个文件都不会导入；预览页会按“工作表、行、列”列出每个问题。"),
        ("", "4. 请直接填写内容，不要使用公式（公式不会被计算，含公式的单元格会被拒绝）。"),
        ("", f"5. 文件不超过 20 MB，数据不超过 {MAX_DATA_ROWS:,} 行。"),
        ("", "可用的标签：" + "、".join(HouseholdTag.objects.values_list("name", flat=True))),
        ("", ""),
    ]
    for text in lines:
        ws.append(text)
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["工作表", "列", "必填", "说明"])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = HEADER_FONT, PatternFill("solid", fgColor="B22222")
    for spec in SHEETS:
        ws.append([spec.title, "", "", spec.note])
        ws.cell(row=ws.max_row, column=1).font = bold
        for col in spec.columns:
            note = col.note or ("只能填：" + "、".join(col.choices) if col.choices else "")
            ws.append(["", col.header, "是" if col.required else "", note])
    for letter, width in zip("ABCD", (12, 18, 6, 80), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
