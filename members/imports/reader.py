"""Open an uploaded workbook defensively and read its three sheets into plain rows.

- Only a real .xlsx (a zip with xl/workbook.xml) up to 20 MB is opened; a renamed file, an old .xls or
  anything openpyxl cannot read is refused with one message.
- The unpacked size is checked from the zip's central directory before anything is decompressed, against
  settings.LIAISON_IMPORT_MAX_UNPACKED_MB (48 MB: the biggest legitimate file, 10,000 rows, unpacks to
  6.5 MB, or 16–24 MB with every text column filled, as openpyxl writes it without or with lxml). The directory cannot lie: Python's zipfile stops
  each member at its declared size, and the CRC check then fails. A zip bomb is refused before parsing.
- Every member is then decompressed once to check its CRC (a truncated or damaged file is refused with a
  message, not a parser traceback), and an XML part with a DTD (<!DOCTYPE …>, which Excel never
  writes: entity expansion, external entities) is refused before openpyxl parses it.
- openpyxl reads in read-only mode with data_only=False: a formula arrives as its text, never as a value
  Excel computed. A formula cell is refused with its row and column (we never evaluate formulas, and a
  cached result could say anything). Text that merely starts with “=” in a text cell stays text.
- The sheet's stated dimensions are not trusted (reset_dimensions): rows are read as they are in the file,
  empty rows (50,000 formatted but blank rows, say) are skipped cheaply, and more than MAX_DATA_ROWS
  filled rows is refused rather than processed for minutes.
"""

from __future__ import annotations

import datetime
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from members.imports.columns import SHEETS, SheetSpec

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
PROLOG_BYTES = 64 * 1024  # an XML declaration, comments and a DOCTYPE come before the root element
MAX_DATA_ROWS = 50_000
MAX_HEADER_COLUMNS = 60

TOO_LARGE = "文件超过 20 MB，请分成几个文件导入。"
NOT_XLSX_NAME = "只能导入 .xlsx 格式的 Excel 文件（请在 Excel 或 WPS 中“另存为 Excel 工作簿 (.xlsx)”）。"
NOT_XLSX_CONTENT = (
    "这个文件不是 Excel 工作簿（可能是改了扩展名的其他文件）。请用本系统下载的模板填写后另存为 .xlsx。"
)
UNPACKS_TOO_LARGE = (
    "文件解压后超过 {limit} MB，不是正常的导入文件（1 万行的导入文件解压后约 7 MB）。"
    "请删去多余的工作表、图片和格式，或分成几个文件导入。"
)
DAMAGED = (
    "文件已损坏或不完整（可能没有下载或复制完整），无法读取。请在 Excel 或 WPS 中打开确认，"
    "另存为 .xlsx 后重新上传。"
)
HAS_DTD = (
    "文件中含有 Excel 工作簿不会有的 DTD 声明（DOCTYPE），为安全起见不予读取。"
    "请在 Excel 或 WPS 中另存为 .xlsx 后重新上传。"
)
EMPTY_FILE = "文件是空的。"
MISSING_SHEET = "缺少工作表“{sheet}”。请使用本系统下载的导入模板（应有“户”“家庭成员”“党员”三个工作表）。"
MISSING_SHEET_OF = "缺少工作表“{sheet}”。请使用本系统下载的导入模板。"  # another app's template (visits)
NO_HEADER = "工作表“{sheet}”的第 1 行应为表头，现在是空的。请使用本系统下载的导入模板。"
MISSING_COLUMNS = "工作表“{sheet}”的表头缺少：{columns}。"
UNKNOWN_COLUMNS = "工作表“{sheet}”的表头有模板中没有的列：{columns}。"
DUPLICATE_COLUMNS = "工作表“{sheet}”的表头有重复的列：{columns}。"
HEADER_HINT = "请使用本系统下载的导入模板，不要修改第 1 行。"
TOO_MANY_ROWS = "数据超过 {limit:,} 行，请分批导入。"
NO_DATA = "文件中没有数据：三个工作表除表头外都是空的。"
NO_DATA_OF = "文件中没有数据：除表头外都是空的。"
FORMULA = (
    "该单元格是公式（{formula}），系统不计算公式：请改为直接填写内容（可在 Excel 中“选择性粘贴 → 数值”）。"
)


class FileRefused(Exception):
    """The file as a whole cannot be imported; `messages` say why, in Chinese."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


@dataclass
class CellError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class SheetRows:
    spec: SheetSpec
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


@dataclass
class Workbook:
    sheets: dict[str, SheetRows]
    errors: list[CellError]

    @property
    def data_rows(self) -> int:
        return sum(len(s.rows) for s in self.sheets.values())


def check_upload(name: str, size: int, handle: IO[bytes]) -> None:
    """Refuse what is not a sane .xlsx before openpyxl sees it."""
    if size > MAX_BYTES:
        raise FileRefused(TOO_LARGE)
    if size == 0:
        raise FileRefused(EMPTY_FILE)
    if not name.lower().endswith(".xlsx"):
        raise FileRefused(NOT_XLSX_NAME)
    handle.seek(0)
    magic = handle.read(4)
    handle.seek(0)
    if magic != b"PK\x03\x04" or not zipfile.is_zipfile(handle):
        raise FileRefused(NOT_XLSX_CONTENT)
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except zipfile.BadZipFile as exc:
        raise FileRefused(NOT_XLSX_CONTENT) from exc
    finally:
        handle.seek(0)
    if "xl/workbook.xml" not in names:
        raise FileRefused(NOT_XLSX_CONTENT)
    limit = max_unpacked_bytes()
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > limit:
        raise FileRefused(UNPACKS_TOO_LARGE.format(limit=limit // (1024 * 1024)))
    try:
        _check_members(handle)
    finally:
        handle.seek(0)


def max_unpacked_bytes() -> int:
    return settings.LIAISON_IMPORT_MAX_UNPACKED_MB * 1024 * 1024


def _check_members(handle: IO[bytes]) -> None:
    """Decompress every member once (its CRC proves it whole) and refuse XML parts that carry a DTD."""
    try:
        with zipfile.ZipFile(handle) as archive:
            for entry in archive.infolist():
                is_xml = entry.filename.endswith((".xml", ".rels"))
                with archive.open(entry) as member:
                    head = member.read(PROLOG_BYTES)
                    if is_xml and _declares_dtd(head):
                        raise FileRefused(HAS_DTD)
                    while member.read(1024 * 1024):
                        pass
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        OSError,
        zlib.error,
    ) as exc:
        raise FileRefused(DAMAGED) from exc


def _declares_dtd(head: bytes) -> bool:
    """A DOCTYPE can only stand in the prolog, before the root element's start tag."""
    text = head.lstrip(b"\xef\xbb\xbf").upper()
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: look at it as such
        text = head.decode("utf-16", errors="ignore").encode().upper()
    root = re.search(rb"<[A-Z_]", text)
    return b"<!DOCTYPE" in (text if root is None else text[: root.start()])


def _cell_text(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat(sep=" ")
    return str(value)


def _header(ws, spec: SheetSpec) -> list[str | None]:
    first = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_HEADER_COLUMNS), ())
    header = [(_cell_text(c.value).strip() or None) if c.value is not None else None for c in first]
    while header and header[-1] is None:
        header.pop()
    if not header:
        raise FileRefused(NO_HEADER.format(sheet=spec.title))
    present = [h for h in header if h]
    problems = []
    missing = [h for h in spec.headers if h not in present]
    unknown = [h for h in present if h not in spec.headers]
    duplicates = sorted({h for h in present if present.count(h) > 1})
    if missing:
        problems.append(
            MISSING_COLUMNS.format(sheet=spec.title, columns="、".join(f"“{h}”" for h in missing))
        )
    if unknown:
        problems.append(
            UNKNOWN_COLUMNS.format(sheet=spec.title, columns="、".join(f"“{h}”" for h in unknown))
        )
    if duplicates:
        problems.append(
            DUPLICATE_COLUMNS.format(sheet=spec.title, columns="、".join(f"“{h}”" for h in duplicates))
        )
    if problems:
        raise FileRefused(*problems, HEADER_HINT)
    return header


def _data_rows(ws, width: int) -> Iterator[tuple[int, tuple]]:
    """(Excel row number, cells) of the rows that hold anything, from row 2 on."""
    blank_row = None
    for number, row in enumerate(ws.iter_rows(min_row=2, max_col=width), start=2):
        if row is blank_row:  # openpyxl yields one shared tuple for every row missing from the file
            continue
        if all(cell is EMPTY_CELL or cell.value is None or cell.value == "" for cell in row):
            if all(cell is EMPTY_CELL for cell in row):
                blank_row = row
            continue
        yield number, row


def _is_formula(cell) -> bool:
    return cell.data_type == "f" or isinstance(cell.value, ArrayFormula | DataTableFormula)


def read(handle: IO[bytes], specs: tuple[SheetSpec, ...] = SHEETS) -> Workbook:
    """The rows of the sheets `specs` names (this app's three by default; visits passes its own)."""
    try:
        workbook = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:
        raise FileRefused(NOT_XLSX_CONTENT) from exc
    try:
        return _read_sheets(workbook, specs)
    except FileRefused:
        raise
    except Exception as exc:
        # openpyxl parses the sheets lazily (read-only mode): malformed XML, a member the checks above
        # let through, or a value it cannot convert surfaces here, from any of its layers.
        logger.info("import refused: %s while reading the sheets", type(exc).__name__)
        raise FileRefused(DAMAGED) from exc
    finally:
        workbook.close()


def _read_sheets(workbook, specs: tuple[SheetSpec, ...]) -> Workbook:
    missing = [spec.title for spec in specs if spec.title not in workbook.sheetnames]
    if missing:
        message = MISSING_SHEET if specs is SHEETS else MISSING_SHEET_OF
        raise FileRefused(*(message.format(sheet=title) for title in missing))
    sheets: dict[str, SheetRows] = {}
    errors: list[CellError] = []
    total = 0
    for spec in specs:
        ws = workbook[spec.title]
        ws.reset_dimensions()  # never trust the stated size: it may hide rows or claim a million
        header = _header(ws, spec)
        keys = {c.header: c.key for c in spec.columns}
        out = SheetRows(spec)
        for number, row in _data_rows(ws, len(header)):
            total += 1
            if total > MAX_DATA_ROWS:
                raise FileRefused(TOO_MANY_ROWS.format(limit=MAX_DATA_ROWS))
            values: dict[str, object] = {}
            for title, cell in zip(header, row, strict=False):
                if title is None or cell is EMPTY_CELL:
                    continue
                if _is_formula(cell):
                    text = str(getattr(cell.value, "text", cell.value))
                    errors.append(CellError(spec.title, number, title, FORMULA.format(formula=text[:40])))
                    continue
                values[keys[title]] = cell.value
            out.rows.append((number, values))
        sheets[spec.title] = out
    if total == 0:
        raise FileRefused(NO_DATA if specs is SHEETS else NO_DATA_OF)
    return Workbook(sheets=sheets, errors=errors)
