"""Read a PDF back with poppler: its text, its page count and its fonts."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            [tool, *args, handle.name, "-"] if tool == "pdftotext" else [tool, *args, handle.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    return _run("pdftotext", pdf, *(["-layout"] if layout else []))


def pdf_pages(pdf: bytes) -> int:
    info = _run("pdfinfo", pdf)
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_fonts(pdf: bytes) -> list[dict]:
    """pdffonts rows: name, type, embedded, subset."""
    lines = _run("pdffonts", pdf).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni object ID — the last five columns are fixed.
        rows.append({"name": parts[0], "emb": parts[-5] == "yes", "sub": parts[-4] == "yes"})
    return rows


def response_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


__all__ = ["Path", "pdf_fonts", "pdf_pages", "pdf_text", "response_bytes"]
