"""Context for the 接待群众记录本 (附件1): the cover, then one 党组织书记接待群众登记表 per reception.

The visitor's phone is printed as the viewer may read it (liaison.access.privacy): in full for the roles
that may see numbers, masked for the others; every such PDF is logged as a print of personal data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from feedback.models import Handling, Reception
from feedback.printing import DateParts, period_text
from liaison.access.privacy import viewer_for
from liaison.documents.printing import printed_meta
from liaison.models import Organisation

# One 登记表 is a page (long text continues on a 续页), after the cover: a register of more receptions
# than this (about 20 pages) is printed by a background job (liaison.jobs.long_prints), as the 登记簿.
RECEPTIONS_IN_REQUEST = 20
# The most one job prints: a busy organisation's year (a village: about 52 half-days a year; a
# township with its own receptions) — beyond it, print by receiver or by date range.
MAX_REGISTER_RECEPTIONS = 2000
REGISTER_TOO_LONG = (
    "所选范围共有 {count} 条接待记录，超过一次打印的上限（{limit} 条）。请按接待人或缩短日期分次打印。"
)


@dataclass(frozen=True)
class HandlingRow:
    label: str
    text: str
    chosen: bool


@dataclass(frozen=True)
class Page:
    """One 登记表, the boxes in the order of the paper form."""

    date: DateParts
    receiver: str
    receiver_title: str
    name: str
    gender: str
    age: str
    address: str
    phone: str
    account: str
    problem: list[tuple[str, str]]
    handling: list[HandlingRow]
    opinion: str
    signed: DateParts
    continued: str
    opinion_number: str = ""


def page_of(reception: Reception, viewer) -> Page:
    handling = [
        HandlingRow(
            label=choice.label,
            text=(reception.handling_note or "√") if reception.handling == choice.value else "",
            chosen=reception.handling == choice.value,
        )
        for choice in Handling
    ]
    number = reception.opinion.number_display if reception.opinion_id else ""
    return Page(
        date=DateParts.of(reception.received_on),
        receiver=reception.receiver.name,
        receiver_title=reception.receiver_title,
        name=reception.visitor_name,
        gender=reception.get_visitor_gender_display() if reception.visitor_gender else "",
        age="" if reception.visitor_age is None else str(reception.visitor_age),
        address=reception.visitor_address,
        phone=viewer.show(reception, "visitor_phone"),
        account=reception.account,
        problem=[("事由", reception.matter), ("原因", reception.cause), ("请求", reception.request)],
        handling=handling,
        opinion=reception.visitor_opinion,
        signed=DateParts.of(reception.signed_on),
        continued=f"党组织书记接待群众登记表（续页）{reception.received_on:%Y年%m月%d日} {reception.visitor_name}",
        opinion_number=number,
    )


def register_context(
    *,
    user,
    receptions: list[Reception],
    organisation: Organisation | None,
    start: datetime.date | None,
    end: datetime.date | None,
    title: str,
    cover: bool = True,
    receiver=None,
    blank: bool = False,
) -> dict:
    viewer = viewer_for(user)
    first = receptions[0] if receptions else None
    return {
        "title": title,
        "cover": cover,
        "cover_name": receiver.name if receiver is not None else "",
        "cover_unit": organisation.name if organisation is not None else "",
        "cover_title": (first.receiver_title if receiver is not None and first else ""),
        "period": period_text(start, end) if start and end else "",
        "pages": [page_of(r, viewer) for r in receptions],
        "blank": blank,
        "blank_handling": [choice.label for choice in Handling],
        **printed_meta(user),
    }
