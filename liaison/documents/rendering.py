"""The renderer contract: every PDF and xlsx is a RenderedFile, turned into a response in one place."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.http import FileResponse

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RenderedFile:
    filename: str
    content_type: str
    content: bytes | BinaryIO | Iterable[bytes]


def file_response(rendered: RenderedFile, *, inline: bool = False) -> FileResponse:
    """Stream the file; Chinese filenames are encoded as RFC 5987 by Django."""
    content = rendered.content
    if isinstance(content, bytes):
        content = io.BytesIO(content)
    response = FileResponse(
        content, as_attachment=not inline, filename=rendered.filename, content_type=rendered.content_type
    )
    response["Cache-Control"] = "private, no-store"  # personal data: never in a shared cache
    return response
