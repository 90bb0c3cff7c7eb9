"""The downloadable visits template: the “入户走访” sheet with its header row, drop-down lists for 办理方式
and 意见类别, text format on the ID/phone column, and a “填写说明” sheet (as members.imports.template)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from liaison.documents.rendering import XLSX, RenderedFile
from liaison.documents.xlsx import HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT
from members.imports.reader import MAX_DATA_ROWS
from members.imports.template import VALIDATED_ROWS
from visits.imports.columns import VISITS

FILENAME = "入户走访导入模板.xlsx"


def build_template() -> RenderedFile:
    workbook = Workbook()
    ws = workbook.active
    ws.title = VISITS.title
    ws.append(VISITS.headers)
    for index, col in enumerate(VISITS.columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill, cell.alignment, cell.border = (
            HEADER_FONT,
            HEADER_FILL,
            HEADER_ALIGN,
            HEADER_BORDER,
        )
        ws.column_dimensions[letter].width = col.width
        if col.key == "visitor_key" or col.kind == "date":
            ws.column_dimensions[letter].number_format = "@" if col.key == "visitor_key" else "yyyy-mm-dd"
        if col.choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(col.choices) + '"',
                allow_blank=True,
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
    lines = [
        "入户走访（民情日志）导入说明",
        "1. 在“入户走访”表中每行填写一次走访，第 1 行表头请不要修改。",
        "2. 家访人、被访户须在您的管辖范围内；户情（八清楚、家庭成员）取导入时该户登记的情况，导入后可在走访记录中更正。",
        "3. 同一家访人、同一户、同一天只记一条：重复导入同一文件不会重复新增。",
        "4. 办理方式为限期办理、转有关部门办理的，登记为群众意见（渠道：走访，责任人：导入人），请填写要求解决的问题和意见类别。",
        "5. 只要有一处错误，整个文件都不会导入；预览页按“行、列”列出每个问题。",
        f"6. 请直接填写内容，不要使用公式；文件不超过 20 MB，数据不超过 {MAX_DATA_ROWS:,} 行。",
        "",
    ]
    for text in lines:
        ws.append([text])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["列", "必填", "说明"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for col in VISITS.columns:
        note = col.note or ("只能填：" + "、".join(col.choices) if col.choices else "")
        ws.append([col.header, "是" if col.required else "", note])
    for letter, width in zip("ABC", (22, 6, 80), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
