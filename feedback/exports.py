"""Rows of the 登记簿 (附件4 群众意见办理情况登记表): the columns in the form's order, for the PDF and
the streamed xlsx alike."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from feedback.models import Opinion
from feedback.rules import SHORT_LABELS
from liaison.documents.xlsx import Column, Sheet

CHUNK = 2000

# 附件4, left to right. Change nothing here without the form.
REGISTER_COLUMNS = [
    Column("序号", 9),
    Column("反映人姓名", 10),
    Column("家庭住址", 26),
    Column("反映时间", 11),
    Column("反映问题的主要内容", 44),
    Column("处理意见", 26),
    Column("经办人", 10),
    Column("办理结果", 32),
    Column("反馈本人时间", 12),
    Column("《反馈单》签收人", 14),
    Column("是否销号", 8),
    Column("备注", 28),
]
REGISTER_HEADERS = [column.header for column in REGISTER_COLUMNS]


def serial(opinion: Opinion, *, with_year: bool, with_unit: bool = False) -> int | str:
    """The number within its organisation and year; with the year when the range spans two, and with the
    unit's name when the register covers the units below (each keeps its own numbering)."""
    number = f"{opinion.year}-{opinion.number}" if with_year else opinion.number
    return f"{opinion.organisation.display_name} {number}" if with_unit else number


def remarks(opinion: Opinion) -> str:
    """The remarks the clerk wrote, after what the binder needs at a glance: category and due date."""
    # 转报上级 keeps both receipts and both due dates: the first, then each level above's own (its 签收
    # and its 20 days). Only a transferred opinion reads its transfers (prefetched by the register).
    transfers = list(opinion.transfers.all()) if opinion.holder_id else []
    first_due = transfers[0].previous_due_date if transfers else opinion.original_due_date
    parts = [f"{SHORT_LABELS[opinion.category]}（{opinion.category}类），时限 {first_due:%Y.%m.%d}"]
    for transfer in transfers:
        step = f"{transfer.transferred_on:%Y.%m.%d}转报{transfer.to_organisation.name}"
        if transfer.received_on:
            step += f"，{transfer.received_on:%Y.%m.%d}签收，时限 {transfer.due_date:%Y.%m.%d}"
        else:
            step += "，待签收"
        parts.append(step)
    if opinion.due_date != opinion.original_due_date:
        parts.append(f"延期至 {opinion.due_date:%Y.%m.%d}")
    if opinion.remarks:
        parts.append(opinion.remarks)
    return "；".join(parts)


def register_row(opinion: Opinion, *, with_year: bool = False, with_unit: bool = False) -> list[object]:
    return [
        serial(opinion, with_year=with_year, with_unit=with_unit),
        opinion.reporter_name,
        opinion.reporter_address,
        opinion.received_on,
        opinion.content,
        opinion.handling_opinion,
        opinion.handler.display_name if opinion.handler_id else "",
        opinion.result,
        opinion.feedback_on,
        opinion.feedback_signer,
        "是" if opinion.is_closed else "否",
        remarks(opinion),
    ]


def spans_years(start: datetime.date, end: datetime.date) -> bool:
    return start.year != end.year


def register_rows(
    queryset: QuerySet[Opinion], *, with_year: bool, with_unit: bool = False
) -> Iterator[list[object]]:
    for opinion in queryset.iterator(chunk_size=CHUNK):
        yield register_row(opinion, with_year=with_year, with_unit=with_unit)


def register_sheet(
    queryset: QuerySet[Opinion], *, start: datetime.date, end: datetime.date, with_unit: bool = False
) -> Sheet:
    rows = register_rows(queryset, with_year=spans_years(start, end), with_unit=with_unit)
    return Sheet("登记簿", REGISTER_COLUMNS, rows)
