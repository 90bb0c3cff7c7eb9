"""Where words sit on a PDF's pages (poppler's ``pdftotext -bbox``), to test a printed form's layout.

Every print test can ask the three questions a secretary asks of a printed form: does any text
print over other text (``overlapping``), is any page empty but for its furniture (``blank_pages``),
and is every label of the form there, unbroken (``missing_labels``). ``assert_prints_cleanly`` asks
all three; the visits and receptions prints use it as the feedback and members prints do.
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')

# Text every page may carry without being a page of the form: the page counter, the 续页 heading,
# "（转下页）", the missing-glyph note, the cut line's instruction (static/print/print.css).
FURNITURE = (
    re.compile(r"^第\d+页/共\d+页$"),
    re.compile(r"（续页）"),
    re.compile(r"^（转下页）$"),
    re.compile(r"^注意：本件含有字库无法打印的字"),
    re.compile(r"^（沿此线裁开"),
)
# Two words overlap when their boxes share more than this (points) in both directions. Glyph boxes
# of neighbouring lines touch (the font's ascent and descent exceed a tight line height); text
# printed over text shares far more.
OVERLAP_TOLERANCE_PT = 1.5


@dataclass(frozen=True)
class Word:
    page: int
    x: float  # left
    y: float  # top
    x1: float  # right
    y1: float  # bottom
    text: str

    def overlap(self, other: Word) -> tuple[float, float]:
        """How far the two boxes share each axis (negative: apart)."""
        return min(self.x1, other.x1) - max(self.x, other.x), min(self.y1, other.y1) - max(self.y, other.y)


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The page's text line by line (words whose vertical middles are within 2 pt), joined with
        no space: CJK text has none, and a label split by pdftotext stays findable."""
        rows: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: ((w.y + w.y1) / 2, w.x)):
            middle = (word.y + word.y1) / 2
            if rows and abs((rows[-1][0].y + rows[-1][0].y1) / 2 - middle) <= 2:
                rows[-1].append(word)
            else:
                rows.append([word])
        return ["".join(w.text for w in sorted(row, key=lambda w: w.x)) for row in rows]

    @property
    def text(self) -> str:
        return "".join(self.lines())


def pages(pdf: bytes) -> list[Page]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        raw = subprocess.run(["pdftotext", "-bbox", handle.name, "-"], check=True, capture_output=True).stdout
    # poppler writes a character beyond the BMP (𠮷) as two UTF-8-encoded surrogates: pair them up.
    out = raw.decode("utf-8", "surrogatepass").encode("utf-16", "surrogatepass").decode("utf-16")
    result = []
    for number, (width, height, body) in enumerate(_PAGE.findall(out), start=1):
        words = [
            Word(number, float(x0), float(y0), float(x1), float(y1), html.unescape(text))
            for x0, y0, x1, y1, text in _WORD.findall(body)
        ]
        result.append(Page(number, float(width), float(height), words))
    return result


def first(page: Page, prefix: str) -> Word:
    """The first word (top to bottom, left to right) that starts with prefix."""
    matches = sorted((w for w in page.words if w.text.startswith(prefix)), key=lambda w: (w.y, w.x))
    if not matches:
        raise AssertionError(f"{prefix!r} not on the page: {' '.join(w.text for w in page.words)[:400]}")
    return matches[0]


def overlapping(page: Page, tolerance: float = OVERLAP_TOLERANCE_PT) -> list[tuple[Word, Word]]:
    """Pairs of words printed over each other."""
    words = sorted(page.words, key=lambda w: w.y)
    pairs = []
    for i, word in enumerate(words):
        for other in words[i + 1 :]:
            if other.y >= word.y1 - tolerance:
                break  # sorted by top: no later word reaches into this one
            dx, dy = word.overlap(other)
            if dx > tolerance and dy > tolerance:
                pairs.append((word, other))
    return pairs


def off_page(page: Page) -> list[Word]:
    """Words that run past the sheet's edge."""
    return [
        w for w in page.words if w.x < 0 or w.y < 0 or w.x1 > page.width + 0.5 or w.y1 > page.height + 0.5
    ]


def _is_furniture(line: str) -> bool:
    return any(pattern.search(line) for pattern in FURNITURE)


def blank_pages(document: list[Page]) -> list[int]:
    """Numbers of the pages with nothing on them but page furniture."""
    return [page.number for page in document if all(_is_furniture(line) for line in page.lines())]


def missing_labels(document: list[Page], labels: Iterable[str]) -> list[str]:
    """The labels not found whole on one line of some page (a label broken over two lines is missing)."""
    lines = [line for page in document for line in page.lines()]
    return [label for label in labels if not any(label in line for line in lines)]


def assert_prints_cleanly(pdf: bytes, labels: Iterable[str]) -> list[Page]:
    """No text over other text or off the sheet, no blank page, every label present; the pages back."""
    document = pages(pdf)
    assert document, "the PDF has no page"
    for page in document:
        clashes = [(a.text, b.text) for a, b in overlapping(page)]
        assert not clashes, f"page {page.number}: words print over each other: {clashes[:5]}"
        outside = [w.text for w in off_page(page)]
        assert not outside, f"page {page.number}: words off the sheet: {outside[:5]}"
    assert not blank_pages(document), f"blank pages: {blank_pages(document)}"
    missing = missing_labels(document, labels)
    assert not missing, f"labels missing or broken over two lines: {missing}"
    return document
