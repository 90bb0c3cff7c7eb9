"""Open a streamed xlsx response with openpyxl and read a sheet back as dicts keyed by header."""

from __future__ import annotations

import io

from openpyxl import load_workbook


def workbook_from(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(data))


def read_sheet(response, title: str) -> list[dict]:
    ws = workbook_from(response)[title]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]
