"""Exports of a list's current filter: the households (moved here from a refusal above 30,000 rows to a
background job) and the opinion list (/opinions/?… → xlsx). Small ones stream in the request; big ones
run as jobs (liaison.jobs.long_prints.print_or_start) on the same function, as the starting user."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import QueryDict
from django.utils import timezone

from liaison.access.privacy import viewer_for
from liaison.documents.rendering import RenderedFile
from liaison.documents.xlsx import Column, Sheet, write_sheets

CHUNK = 2000

OPINION_COLUMNS = [
    Column("受理单位", 14),
    Column("序号", 10),
    Column("反映时间", 11),
    Column("反映渠道", 10),
    Column("反映人姓名", 10),
    Column("联系电话", 15),
    Column("家庭住址", 24),
    Column("反映问题的主要内容", 40),
    Column("类别", 8),
    Column("办理时限", 11),
    Column("状态", 10),
    Column("责任人", 10),
    Column("经办人", 10),
    Column("办理结果", 30),
    Column("反馈本人时间", 12),
    Column("是否满意", 9),
    Column("是否销号", 8),
]


def household_export_file(*, user, query: QueryDict, progress=None) -> RenderedFile:
    from liaison import selectors
    from liaison.exports import household_sheets

    _, queryset = selectors.household_list(user=user, filters=query)
    total = queryset.count()
    sheets = household_sheets(queryset, user=user)
    if progress is not None:
        sheets[0] = Sheet(sheets[0].title, sheets[0].columns, _counting(sheets[0].rows, total, progress))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return write_sheets(sheets, filename=f"户情信息-{stamp}.xlsx")


def _counting(rows, total: int, progress) -> Iterator:
    for done, row in enumerate(rows, start=1):
        if done % CHUNK == 0:
            progress.step(done, total, start=5, end=60, stage=f"已写入 {done} / {total} 户")
        yield row


def opinion_queryset(*, user, query: QueryDict):
    from feedback.selectors import opinion_list

    _, queryset = opinion_list(user=user, filters=query, today=timezone.localdate())
    return queryset


def opinion_rows(queryset, *, user, progress=None, total: int = 0) -> Iterator[list]:
    show = viewer_for(user).show
    for done, o in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        if progress is not None and done % CHUNK == 0:
            progress.step(done, total, start=5, end=90, stage=f"已写入 {done} / {total} 件")
        yield [
            o.organisation.display_name,
            o.number_display,
            o.received_on,
            o.get_channel_display(),
            o.reporter_name,
            show(o, "reporter_phone"),
            o.reporter_address,
            o.content,
            o.category_short,
            o.due_date,
            o.get_state_display(),
            o.responsible.display_name if o.responsible_id else "",
            o.handler.display_name if o.handler_id else "",
            o.result,
            o.feedback_on,
            o.get_satisfaction_display() if o.satisfaction else "",
            "是" if o.is_closed else "否",
        ]


def opinion_export_file(*, user, query: QueryDict, progress=None) -> RenderedFile:
    queryset = opinion_queryset(user=user, query=query)
    total = queryset.count() if progress is not None else 0
    stamp = timezone.localdate().strftime("%Y%m%d")
    return write_sheets(
        [
            Sheet(
                "群众意见", OPINION_COLUMNS, opinion_rows(queryset, user=user, progress=progress, total=total)
            )
        ],
        filename=f"群众意见-{stamp}.xlsx",
    )
