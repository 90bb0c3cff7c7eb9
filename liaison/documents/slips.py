"""Two-part slips: the 存根联 and the part handed over, each flowing on its own half sheets.

附件2 (交办单) and 附件5 (反馈单) are one A4 sheet cut in two: the stub stays in the binder, the lower
half goes to the unit or the reporter. A box of fixed height cannot hold free text of any length
(the slips used to overprint from ~300 characters of 办理结果), so each part is its own flow on
half-sheet pages (210 × 148.5 mm, the ``half-sheet`` page of static/print/print.css), paginated by
WeasyPrint like any document: text that does not fit continues on the part's next half sheet,
headed "……（续页）", the page before saying "（转下页）", and the signature and seal block is never
split. The halves are then stacked two to an A4 sheet — sheet 1 holds both parts' beginnings, sheet
2 their 续页 — so cutting each sheet along the dashed line still gives the stub and the handed-over
part, complete, each with its signature and seal places.

The template is rendered once per part with ``part`` set to ``"stub"`` or ``"copy"``.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from liaison.documents.pdf import pdf_bytes, print_context
from liaison.documents.rendering import PDF, RenderedFile

PARTS = ("stub", "copy")  # top half, bottom half
A4_WIDTH_PT = 595.2756  # 210 mm
A4_HEIGHT_PT = 841.8898  # 297 mm


def stack_halves(top: bytes, bottom: bytes) -> bytes:
    """Half-sheet PDFs → A4 sheets: page i of *top* above page i of *bottom*, for every i."""
    top_reader = PdfReader(io.BytesIO(top))
    upper, lower = top_reader.pages, PdfReader(io.BytesIO(bottom)).pages
    writer = PdfWriter()
    if top_reader.metadata:  # the title WeasyPrint took from <title>, and the rest
        writer.add_metadata({key: str(value) for key, value in top_reader.metadata.items()})
    for index in range(max(len(upper), len(lower))):
        sheet = PageObject.create_blank_page(width=A4_WIDTH_PT, height=A4_HEIGHT_PT)
        if index < len(upper):
            half = upper[index]
            lift = A4_HEIGHT_PT - float(half.mediabox.height)
            sheet.merge_transformed_page(half, Transformation().translate(0, lift))
        if index < len(lower):
            sheet.merge_page(lower[index])
        writer.add_page(sheet)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_two_part(template_name: str, context: dict, *, filename: str) -> RenderedFile:
    top, bottom = (
        pdf_bytes(render_to_string(template_name, print_context({**context, "part": part}))) for part in PARTS
    )
    return RenderedFile(filename=filename, content_type=PDF, content=stack_halves(top, bottom))
