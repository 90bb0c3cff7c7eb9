"""Where words sit on a PDF page (poppler's pdftotext -bbox), to test a printed form's layout."""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from dataclasses import dataclass

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass(frozen=True)
class Word:
    page: int
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]


def pages(pdf: bytes) -> list[Page]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(
            ["pdftotext", "-bbox", handle.name, "-"], check=True, capture_output=True, text=True
        ).stdout
    result = []
    for number, (width, height, body) in enumerate(_PAGE.findall(out), start=1):
        words = [
            Word(number, float(x0), float(y0), html.unescape(text))
            for x0, y0, _x1, _y1, text in _WORD.findall(body)
        ]
        result.append(Page(float(width), float(height), words))
    return result


def first(page: Page, prefix: str) -> Word:
    """The first word (top to bottom, left to right) that starts with prefix."""
    matches = sorted((w for w in page.words if w.text.startswith(prefix)), key=lambda w: (w.y, w.x))
    if not matches:
        raise AssertionError(f"{prefix!r} not on the page: {' '.join(w.text for w in page.words)[:400]}")
    return matches[0]
