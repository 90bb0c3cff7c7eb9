"""A print too long for one WeasyPrint document, laid out in parts and joined into one file on disk.

WeasyPrint keeps every page of a document in memory until it writes the file (576 MB for 174 pages of
the 登记簿), so a district's year (thousands of pages) is printed part by part, each part a complete
rendering of the same template over a run of the rows, and the parts are joined with pikepdf. The
caller's template decides what only the first part prints (the cover) and only the last (the 印制
line); this module makes the pages read as one document:

- Full pages. A part ends where a page ends: the first pass lays a part out, and the rows that reach
  its last page (a row split over the page break included) are left to the next part, so the part is
  one page shorter and its last page as full as in one printing. The template marks each table row
  with ROW_ATTRIBUTE, its index within the part.
- Page numbers. print.css prints "第 N 页 / 共 M 页" from counter(page) and counter(pages), which in a
  part would count the part's own pages. So the first pass (layout only: nothing is written, no font
  is subset) fixes every part's rows and pages, and the second prints each part with its first page's
  number (counter-reset on @page :first) and the total as text. The footer lies in the page margin
  and never moves a page break; the join checks every part's pages against the plan all the same.
- A literal total also spares WeasyPrint the second layout loop that counter(pages) costs it.
- The note of characters no print font has (liaison.documents.pdf) names those of the whole document,
  on every page, as in one printing.

Each part embeds its own subset of the fonts: the file grows by about one subset per part (measured in
feedback.printing, REGISTER_ROWS_PER_PART).

The join holds the whole document until it writes it. pikepdf (qpdf, in C++) holds 7,668 pages in about
220 MB where pypdf needed about 320 MB: measured in a job-like process that had laid out a print first,
peak RSS 424 MB against 517 MB, so a district's year stays under the 500 MB a print may take.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pikepdf

from liaison.documents.pdf import laid_out, pdf_bytes, unprintable

ROW_ATTRIBUTE = "data-part-row"
# print.css's @bottom-center, with the part's first page number and the document's total as given.
PART_FOOTER_CSS = (
    "@page :first {{ counter-reset: page {first}; }}"
    ' @page {{ @bottom-center {{ content: "第 " counter(page) " 页 / 共 {total} 页"; }} }}'
)


class PartsChanged(RuntimeError):
    """A part printed another number of pages than it was laid out with: its rows changed between the
    two passes (an entry edited or deleted meanwhile). Its page numbers would be wrong: print again."""


def part_footer_css(*, first: int, total: int) -> str:
    return PART_FOOTER_CSS.format(first=first, total=total)


def _rows_on(page) -> set[int]:
    """The part's rows (by ROW_ATTRIBUTE) with any box on a laid-out page."""
    return {
        int(box.element.get(ROW_ATTRIBUTE))
        for box in page._page_box.descendants()
        if getattr(box, "element", None) is not None
        and box.element_tag == "tr"
        and box.element.get(ROW_ATTRIBUTE) is not None
    }


def plan_parts(
    count: int,
    markup: Callable[[int, int], str],
    *,
    per_part: int,
    on_part: Callable[[str, int, int], None],
) -> tuple[list[tuple[int, int, int]], set[str]]:
    """(start, stop, pages) of each part — rows [start, stop) of `count`, at most `per_part` a part —
    and the characters no print font has in any of them (the note on every page names them all)."""
    plan = []
    missing: set[str] = set()
    start = 0
    while True:
        stop = min(start + per_part, count)
        on_part("count", start, count)
        text = markup(start, stop)
        missing |= unprintable(text)
        pages = laid_out(text, extra_css=part_footer_css(first=1, total=0)).pages
        length = len(pages)
        if stop < count and length > 1:
            carried = _rows_on(pages[-1])
            # Only when the rows before them fill the pages before: a part of one page stays as it is.
            if carried and min(carried) > 0:
                stop, length = start + min(carried), length - 1
        del pages  # before the next part is laid out: one part's pages in memory at a time
        plan.append((start, stop, length))
        if stop >= count:
            return plan, missing
        start = stop


def pdf_in_parts(
    count: int,
    markup: Callable[[int, int], str],
    *,
    per_part: int,
    on_part: Callable[[str, int, int], None] | None = None,
) -> BinaryIO:
    """One PDF (an open temporary file at its start) of `count` rows, printed in parts of at most
    `per_part`: `markup(start, stop)` is the HTML of rows [start, stop) — the first part when start is
    0, the last when stop is `count` — and must be the same each time it is asked. `on_part` hears
    ("count", rows done, count) in the first pass, ("print", k, parts) in the second and ("join", …)."""
    tell = on_part or (lambda stage, done, total: None)
    plan, missing = plan_parts(count, markup, per_part=per_part, on_part=tell)
    total = sum(pages for _, _, pages in plan)
    out = tempfile.TemporaryFile(suffix=".pdf")  # noqa: SIM115 - handed open to the caller (the job stores it)
    with tempfile.TemporaryDirectory(prefix="liaison-parts-") as folder:
        files = []
        first = 1
        for k, (start, stop, pages) in enumerate(plan):
            tell("print", k, len(plan))
            path = Path(folder) / f"{k:05d}.pdf"
            footer = part_footer_css(first=first, total=total)
            path.write_bytes(pdf_bytes(markup(start, stop), extra_css=footer, missing=missing))
            files.append((path, pages))
            first += pages
        tell("join", len(plan), len(plan))
        joined = pikepdf.new()
        for k, (path, pages) in enumerate(files):
            with pikepdf.open(path) as part:
                if len(part.pages) != pages:  # the numbers printed on the pages would be wrong
                    raise PartsChanged(f"part {k} printed {len(part.pages)} pages, laid out {pages}")
                if k == 0:  # the title and author, from the first part
                    joined.docinfo = joined.copy_foreign(part.docinfo)
                joined.pages.extend(part.pages)
        joined.save(out)
    out.seek(0)
    return out
