"""One module streams rows to .xlsx with openpyxl's write-only mode.

Write-only mode keeps memory flat whatever the row count; the workbook is written to a temporary
file that the response streams and the OS deletes once it is closed. Every sheet gets a styled,
frozen header row, sensible column widths and an autofilter.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from liaison.documents.rendering import XLSX, RenderedFile
from liaison.safeguards.text import printable

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B22222")  # party red
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="999999")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12  # in Excel character units; a hanzi is about 2


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]


def _header_cell(ws, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = HEADER_ALIGN
    cell.border = HEADER_BORDER
    return cell


def _as_text_if_formula(ws, value: object) -> object:
    """A resident's text that starts with "=" is stored as text, never as a formula Excel evaluates.

    Control characters stored before they were refused at input are dropped: XML 1.0, and so xlsx,
    cannot hold them, and openpyxl would refuse the whole workbook for one of them."""
    if isinstance(value, str):
        value = printable(value)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_sheets(sheets: Sequence[Sheet], *, filename: str) -> RenderedFile:
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        ws = workbook.create_sheet(title=printable(sheet.title)[:31])
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = "A2"
        ws.append([_header_cell(ws, printable(column.header)) for column in sheet.columns])
        count = 0
        for row in sheet.rows:
            ws.append([_as_text_if_formula(ws, value) for value in row])
            count += 1
        last = get_column_letter(len(sheet.columns))
        ws.auto_filter.ref = f"A1:{last}{count + 1}"
    # The file is unlinked when the response closes it; in between it lives on disk, not in memory.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    workbook.save(handle)
    handle.seek(0)
    return RenderedFile(filename=filename, content_type=XLSX, content=handle)
