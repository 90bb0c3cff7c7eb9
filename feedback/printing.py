"""Context for the printed forms: 交办单 (附件2), 反馈单 (附件5), 登记簿 (附件4).

Blank parts of a paper form stay blank (to be filled in by hand); filled parts are printed where the
form has its blanks. Residents' phone numbers are not on these forms; the contact phones are cadres'.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from feedback.exports import REGISTER_HEADERS, register_row, spans_years
from feedback.models import Assignment, Opinion
from liaison.documents.printing import printed_meta
from liaison.models import Organisation

# A register of more entries than this is printed by a background job (liaison.jobs.long_prints): at
# 6–10 entries a landscape page (附件4's twelve columns, text flowing), about 20 pages.
REGISTER_ROWS_IN_REQUEST = 150
# The job prints any number of entries, this many to a part (liaison.documents.parts). Measured on
# 5,098 entries of the district generator (scripts/bench_register_pdf.py): 250 a part, 639 pages in
# 203 s, peak RSS 265 MB, 5.1 MB of file (each part embeds its own font subset, ~75 KB); 400 a part,
# peak RSS 307 MB, 4.6 MB. Joining a district's year (~7,700 pages) peaks at ~424 MB with pikepdf
# (liaison.documents.parts).
REGISTER_ROWS_PER_PART = 250
# The register as xlsx streams from chunked reads; more rows than this (a district's year) go to a job.
REGISTER_XLSX_ROWS_IN_REQUEST = 20_000
# A 反馈单 printed before the opinion is handled: ruled lines to write 办理情况 by hand, in both parts.
WRITE_IN_LINES = 4
# 附件4's column headers as printed: each broken only between words, as the form breaks them
# ("反 映 / 时 间"), never inside one ("《反馈 / 单》签收 / 人").
REGISTER_PRINT_HEADERS: tuple[tuple[str, ...], ...] = (
    ("序号",),
    ("反映人", "姓名"),
    ("家庭住址",),
    ("反映", "时间"),
    ("反映问题的", "主要内容"),
    ("处理意见",),
    ("经办人",),
    ("办理结果",),
    ("反馈本人", "时间"),
    ("《反馈单》", "签收人"),
    ("是否", "销号"),
    ("备注",),
)
assert ["".join(lines) for lines in REGISTER_PRINT_HEADERS] == REGISTER_HEADERS
# 序号, 反映时间, 经办人, 反馈本人时间, 签收人, 是否销号 are short: centred in their boxes.
CENTRED_COLUMNS = frozenset({1, 4, 7, 9, 10, 11})


@dataclass(frozen=True)
class DateParts:
    """A date printed into the form's "  年  月  日" blanks; None prints the blanks."""

    year: str = ""
    month: str = ""
    day: str = ""

    @classmethod
    def of(cls, value: datetime.date | None) -> DateParts:
        return cls(str(value.year), str(value.month), str(value.day)) if value else cls()


def assignment_context(*, assignment: Assignment, user) -> dict:
    opinion = assignment.opinion
    return {
        "assignment": assignment,
        "opinion": opinion,
        "year": assignment.year,
        "number": assignment.number,
        "unit_name": assignment.unit.name,
        "address": opinion.reporter_address,
        "reporter": opinion.reporter_name,
        "subject": opinion.subject,
        # 附件2 says "办理（协助）": the word that does not apply is struck through, as by hand.
        "role": assignment.role,
        "due": DateParts.of(assignment.due_date),
        "issued": DateParts.of(assignment.issued_on),
        "received": DateParts.of(assignment.received_on),
        "issuer_name": assignment.issuing_organisation.name,
        "stub_continued": f"群众意见交办单（存根联）（{assignment.year}）年第 {assignment.number} 号（续页）",
        "copy_continued": f"群众意见交办单（{assignment.year}）年第 {assignment.number} 号（续页）",
        **printed_meta(user),
    }


def feedback_slip_context(*, opinion: Opinion, user) -> dict:
    # The slip is signed and sealed by the organisation that answered: the level above after 转报上级.
    answering = opinion.handling_organisation
    return {
        "opinion": opinion,
        "reporter": opinion.reporter_name,
        "reported": DateParts.of(opinion.received_on),
        "subject": opinion.subject,
        "done": DateParts.of(opinion.result_on),
        "result": opinion.result,
        "contact": opinion.feedback_contact,
        "phone": opinion.feedback_phone,
        "satisfaction": opinion.get_satisfaction_display() if opinion.satisfaction else "",
        "signer": opinion.feedback_signer,
        "signed": DateParts.of(opinion.feedback_on),
        "organisation_name": opinion.organisation.name,
        "answering_name": answering.name,
        "transferred_from": opinion.organisation.name if opinion.holder_id else "",
        "stub_continued": f"群众意见办理情况反馈单（存根联）{opinion.organisation.name}"
        f" {opinion.year}年第 {opinion.number} 号（续页）",
        "copy_continued": f"群众意见办理情况反馈单（续页）　{opinion.reporter_name}同志",
        "write_in_lines": range(WRITE_IN_LINES),
        **printed_meta(user),
    }


def period_text(start: datetime.date, end: datetime.date) -> str:
    if (start, end) == (datetime.date(start.year, 1, 1), datetime.date(start.year, 12, 31)):
        return f"{start.year}年"
    if start == end:
        return f"{start.year}年{start.month}月{start.day}日"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def register_unit(organisation: Organisation, *, include_below: bool):
    """What the 单位 line says: the organisation, or it with the units below it."""
    if not include_below:
        return organisation
    return SimpleNamespace(
        pk=organisation.pk,
        name=f"{organisation.name}（含下级党组织）",
        display_name=f"{organisation.display_name}（含下级）",
    )


def register_context(
    *,
    organisation: Organisation,
    opinions: list[Opinion],
    start: datetime.date,
    end: datetime.date,
    user,
    title: str,
    cover: bool = True,
    include_below: bool = False,
    with_unit: bool = False,
    count: int | None = None,
    continued: bool = False,
    continues: bool = False,
) -> dict:
    """`title` is the PDF's title and its filename's stem: the two always agree.

    A part of a long register (feedback.views.prints.register_in_parts) has `opinions` for its own
    rows, `count` for the whole register's, and says whether it follows a part (`continued`: no 单位
    line) or is followed by one (`continues`: no 印制 line)."""
    with_year = spans_years(start, end)
    period = period_text(start, end)
    return {
        "organisation": register_unit(organisation, include_below=include_below),
        "headers": REGISTER_PRINT_HEADERS,
        "rows": [register_row(opinion, with_year=with_year, with_unit=with_unit) for opinion in opinions],
        "period": period,
        "title": title,
        "cover": cover,
        "count": len(opinions) if count is None else count,
        "continued": continued,
        "continues": continues,
        "centred": CENTRED_COLUMNS,
        **printed_meta(user),
    }
