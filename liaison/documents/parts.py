"""A print too long for one WeasyPrint document, laid out in parts and joined into one file on disk.

WeasyPrint keeps every page of a document in memory until it writes the file (576 MB for 174 pages of
the 登记簿), so a district's year (thousands of pages) is printed part by part, each part a complete
rendering of the same template, and the parts are joined with pypdf. The caller's template decides what
only the first part prints (the cover) and only the last (the 印制 line); this module makes the pages
read as one document:

- Page numbers. print.css prints "第 N 页 / 共 M 页" from counter(page) and counter(pages), which in a
  part would count the part's own pages. So every part is first laid out only to count its pages
  (nothing is written, no font is subset), then printed with its first page's number (counter-reset
  on @page :first) and the total as text. The footer lies in the page margin and never moves a page
  break, so the counts of the first pass hold for the second.
- A literal total also spares WeasyPrint the second layout loop that counter(pages) costs it.

Each part embeds its own subset of the fonts: the file grows by about one subset per part (measured in
feedback.printing, REGISTER_ROWS_PER_PART).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader, PdfWriter

from liaison.documents.pdf import page_count, pdf_bytes

# print.css's @bottom-center, with the part's first page number and the document's total as given.
PART_FOOTER_CSS = (
    "@page :first {{ counter-reset: page {first}; }}"
    ' @page {{ @bottom-center {{ content: "第 " counter(page) " 页 / 共 {total} 页"; }} }}'
)


def part_footer_css(*, first: int, total: int) -> str:
    return PART_FOOTER_CSS.format(first=first, total=total)


def pdf_in_parts(
    parts: int,
    markup: Callable[[int], str],
    *,
    on_part: Callable[[str, int], None] | None = None,
) -> BinaryIO:
    """One PDF (an open temporary file at its start) from `parts` renderings: `markup(k)` is part k's
    HTML and must be the same both times it is asked. `on_part("count" | "print" | "join", k)` hears
    each step, for a job's progress bar."""
    tell = on_part or (lambda stage, k: None)
    counts = []
    for k in range(parts):
        tell("count", k)
        counts.append(page_count(markup(k), extra_css=part_footer_css(first=1, total=0)))
    total = sum(counts)
    out = tempfile.TemporaryFile(suffix=".pdf")  # noqa: SIM115 - handed open to the caller (the job stores it)
    with tempfile.TemporaryDirectory(prefix="liaison-parts-") as folder:
        files = []
        first = 1
        for k in range(parts):
            tell("print", k)
            path = Path(folder) / f"{k:05d}.pdf"
            path.write_bytes(pdf_bytes(markup(k), extra_css=part_footer_css(first=first, total=total)))
            files.append(path)
            first += counts[k]
        tell("join", parts)
        writer = PdfWriter()
        for k, path in enumerate(files):
            reader = PdfReader(path)
            if k == 0:
                writer.add_metadata(dict(reader.metadata or {}))  # the title, from the first part
            writer.append(reader)
        writer.write(out)
    out.seek(0)
    return out
