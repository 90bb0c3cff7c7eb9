"""Context for the 党群连心卡 (004 入户走访制度：“推行‘党群连心卡’，把联系服务工作做细做实”).

Masking: the card exists to put the helping member's phone in the household's hands, and the people
who hand it out (the village clerk and secretary) see it in full. It goes through the one display
layer like every other page (liaison.access.privacy), so a 镇街管理员 or the 组织部 printing cards gets
138****1234, and a print with full numbers is on the access log. It prints nothing personal of the
household beyond the head's name and address (no resident phone, no ID number).
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter

from liaison.access.privacy import viewer_for
from liaison.documents.pdf import pdf_bytes, print_context, render_pdf
from liaison.documents.printing import printed_meta
from liaison.documents.rendering import PDF, RenderedFile
from members.models import Pairing

CARDS_PER_SHEET = 8  # 2 columns × 4 rows on A4
CARD_WIDTH_MM = 97  # the sheet's printable width (210 − 2 × 8 mm) in two columns
CARD_HEIGHT_MM = 69.25  # the printable height (297 − 2 × 10 mm) in four rows
MEMBERS_ON_CARD = 3  # 多帮一: more than three names do not fit; the rest are counted


def card(pairing: Pairing, *, user) -> dict:
    show = viewer_for(user).show
    members = list(pairing.members.all())
    shown = members[:MEMBERS_ON_CARD]
    household = pairing.household
    village = household.organisation
    return {
        "members": [
            {
                "name": m.name,
                "phone": show(m, "phone") or m.organisation.phone,
                "phone_is_office": not m.phone and bool(m.organisation.phone),
                "organisation": m.organisation.name,
            }
            for m in shown
        ],
        "more": len(members) - len(shown),
        # 多帮一: one line per member and their organisations once, so three members still fit the card.
        "compact": len(shown) > 1,
        "organisations": "、".join(dict.fromkeys(m.organisation.name for m in shown)),
        "household": f"{household.head_name}户",
        "address": household.address,
        "village": f"{village.parent.display_name}{village.display_name}"
        if village.parent_id
        else village.name,
        "help": pairing.help_content,
        "since": pairing.start_date,
    }


def card_sheets_context(*, pairings: list[Pairing], title: str, user) -> dict:
    cards = [card(p, user=user) for p in pairings]
    sheets = [cards[i : i + CARDS_PER_SHEET] for i in range(0, len(cards), CARDS_PER_SHEET)] or [[]]
    positions = [(column * CARD_WIDTH_MM, row * CARD_HEIGHT_MM) for row in range(4) for column in range(2)]
    return {
        "title": title,
        "sheets": [
            [{"card": c, "left": x, "top": y} for c, (x, y) in zip(sheet, positions, strict=False)]
            for sheet in sheets
        ],
        # Crop marks at every corner of the 2 × 4 grid.
        "marks": [(x * CARD_WIDTH_MM, y * CARD_HEIGHT_MM) for y in range(5) for x in range(3)],
        **printed_meta(user),
    }


# A village's cards print at once up to 20 A4 sheets (160 cards); more are a background job
# (members/jobs.py), rendered CARD_SHEETS_PER_CHUNK sheets at a time so the page shows the progress.
CARDS_IN_REQUEST = 20 * CARDS_PER_SHEET
CARD_SHEETS_PER_CHUNK = 10


def cards_rendered(pairings: list[Pairing], *, village, user, progress=None) -> RenderedFile:
    """The cards of one village as one PDF; in chunks of sheets (joined with pypdf) when `progress`
    (a job's) wants to hear how far it is. The cards are independent sheets, so chunks print the same."""
    title = f"党群连心卡 {village.name}"
    filename = f"党群连心卡-{village.name}.pdf"
    if progress is None:
        return render_pdf(
            "members/print/cards.html",
            card_sheets_context(pairings=pairings, title=title, user=user),
            filename=filename,
        )
    step = CARD_SHEETS_PER_CHUNK * CARDS_PER_SHEET
    chunks = [pairings[i : i + step] for i in range(0, len(pairings), step)] or [[]]
    writer = PdfWriter()
    for done, chunk in enumerate(chunks):
        progress.step(
            done,
            len(chunks),
            start=5,
            end=95,
            stage=f"正在排版第 {done + 1}/{len(chunks)} 批（每批 {step} 张卡）",
        )
        markup = render_to_string(
            "members/print/cards.html",
            print_context(card_sheets_context(pairings=chunk, title=title, user=user)),
        )
        writer.append(PdfReader(io.BytesIO(pdf_bytes(markup))))
    progress(96, "正在合并文件")
    out = io.BytesIO()
    writer.write(out)
    return RenderedFile(filename=filename, content_type=PDF, content=out.getvalue())
