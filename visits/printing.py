"""Context for the 民情日志 (附件3): the cover and one page per visit, printed from each visit's snapshot
(never from today's household), with masking applied for the viewer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from liaison.access.privacy import viewer_for
from liaison.documents.printing import printed_meta
from liaison.text.numbers import plain_number
from visits import rules
from visits.models import Handling, Visit

# A visitor's booklet is one PDF: the cover, then a page per visit (more for long text or big families).
# Up to about 20 pages print in the request; a longer one — a year of a village cadre's visits (100–300)
# — runs on the jobs layer (liaison.jobs.long_prints, visits/jobs.py), as the 登记簿 does.
BOOKLET_VISITS_IN_REQUEST = 19
# The job's own safety cap: 2,000 pages take WeasyPrint several minutes and a few hundred MB; no one
# cadre makes that many visits in a year (a 1,000-household village's whole term is 6,000 visits shared
# among its committee). Beyond it the page asks for a shorter period.
MAX_BOOKLET_VISITS = 2000
BOOKLET_TOO_LONG = "所选期间有 {count} 条走访记录，一次最多打印 {limit} 条，请缩短期间后分册打印。"


@dataclass
class FamilyRow:
    name: str = ""
    gender: str = ""
    age: str = ""
    occupation: str = ""


@dataclass
class Page:
    visit: Visit | None
    day: datetime.date | None
    visitor: str
    title: str
    family: list[FamilyRow]
    more_family: list[list[FamilyRow]]  # sixth member on: 5 rows a sheet, never dropped
    member_count: int
    address: str
    income: str
    skills: str
    area: str
    phone: str
    party: str
    situation: str
    problem: str
    handling: list[tuple[str, str]]  # the four rows of 办理情况 in the printed order: (label, text)
    resident_opinion: str
    signed_by: str
    signed_on: datetime.date | None
    away: list[dict] = field(default_factory=list)
    continued: str = ""


def _amount(value: Decimal | None, unit: str) -> str:
    return f"{plain_number(value)}{unit}" if value is not None else ""


def _rows(members: list, size: int) -> list[list[FamilyRow]]:
    rows = [
        FamilyRow(m.name, m.get_gender_display(), "" if m.age is None else str(m.age), m.occupation)
        for m in members
    ]
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def visit_page(visit: Visit, *, show) -> Page:
    size = rules.FAMILY_ROWS_PER_SHEET
    members = list(visit.members.all())
    sheets = _rows(members, size) or [[]]
    first = sheets[0] + [FamilyRow() for _ in range(size - len(sheets[0]))]
    more = [sheet + [FamilyRow() for _ in range(size - len(sheet))] for sheet in sheets[1:]]
    handling = [
        (label, visit.handling_text if visit.handling == value else "") for value, label in Handling.choices
    ]
    away = [
        {
            "name": m.name,
            "location": m.away_location,
            "phone": show(m, "phone"),
            "occupation": m.occupation,
            "income": _amount(m.away_income, "元"),
            "requests": m.away_requests,
            "party_life": m.away_party_life,
            "law_record": m.away_law_record,
            "return_home": m.away_return,
        }
        for m in members
        if m.is_away
    ]
    return Page(
        visit=visit,
        day=visit.visited_on,
        visitor=visit.visitor.name,
        title=visit.visitor_title,
        family=first,
        more_family=more,
        member_count=len(members),
        address=visit.address,
        income=_amount(visit.annual_income, "元"),
        skills=visit.skills,
        area=_amount(visit.housing_area, "㎡"),
        phone=show(visit, "phone"),
        party=visit.party_member_info,
        situation=visit.situation,
        problem=visit.problem,
        handling=handling,
        resident_opinion=visit.resident_opinion,
        signed_by=visit.signed_by,
        signed_on=visit.signed_on,
        away=away,
        continued=f"民情日志（续页）　{visit.visited_on:%Y年%m月%d日} {visit.head_name}户",
    )


def blank_page() -> Page:
    size = rules.FAMILY_ROWS_PER_SHEET
    return Page(
        visit=None,
        day=None,
        visitor="",
        title="",
        family=[FamilyRow() for _ in range(size)],
        more_family=[],
        member_count=0,
        address="",
        income="",
        skills="",
        area="",
        phone="",
        party="",
        situation="",
        problem="",
        handling=[(label, "") for _, label in Handling.choices],
        resident_opinion="",
        signed_by="",
        signed_on=None,
        continued="民情日志（续页）",
    )


def booklet_context(
    *,
    visits: list[Visit],
    user,
    visitor=None,
    unit: str = "",
    title: str = "",
    period: str = "",
    cover: bool = True,
) -> dict:
    show = viewer_for(user).show
    return {
        "pages": [visit_page(v, show=show) for v in visits],
        "cover": cover,
        "visitor": visitor,
        "unit": unit,
        "title_text": title,
        "period": period,
        **printed_meta(user),
    }


def blank_context(*, user) -> dict:
    return {"pages": [blank_page()], "cover": False, "blank": True, **printed_meta(user)}
