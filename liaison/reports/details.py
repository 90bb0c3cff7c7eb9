"""The detail sheets' rows: the year's 群众意见登记簿 (附件4, feedback's own register columns), visits,
receptions and commitments, read in chunks (`.iterator()`) so that memory stays flat whatever their
number. Residents' phone and ID numbers are in none of them: the workbook is for counting and audit,
and the names and addresses are those the paper registers carry."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from liaison.documents.xlsx import Column

CHUNK = 2000

VISIT_COLUMNS = [
    Column("镇街", 12),
    Column("村（社区）", 14),
    Column("走访时间", 11),
    Column("家访人", 10),
    Column("职务", 14),
    Column("户主", 10),
    Column("村民小组/网格", 12),
    Column("居住地点", 26),
    Column("五必访", 8),
    Column("结对帮扶走访", 10),
    Column("家访情况", 36),
    Column("要求解决的问题", 30),
    Column("办理方式", 12),
    Column("办理情况", 30),
    Column("转为群众意见", 10),
]
RECEPTION_COLUMNS = [
    Column("镇街", 12),
    Column("接待单位", 14),
    Column("接待时间", 11),
    Column("接待人", 10),
    Column("职务", 14),
    Column("来访人", 10),
    Column("性别", 6),
    Column("年龄", 6),
    Column("家庭住址", 24),
    Column("事由", 20),
    Column("原因", 30),
    Column("请求", 30),
    Column("办理情况", 12),
    Column("来访群众意见", 20),
    Column("转为群众意见", 10),
]
COMMITMENT_COLUMNS = [
    Column("镇街", 12),
    Column("村（社区）", 14),
    Column("承诺主体", 12),
    Column("承诺方向", 10),
    Column("承诺类型", 10),
    Column("年度", 7),
    Column("截至年度", 8),
    Column("承诺方面", 14),
    Column("承诺事项", 30),
    Column("量化目标", 26),
    Column("完成时限", 11),
    Column("责任人", 16),
    Column("状态", 16),
    Column("完成情况", 10),
    Column("考察意见", 26),
]


def _year(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _yes(value) -> str:
    return "是" if value else ""


def visit_rows(ids: list[int], year: int, places: dict[int, tuple[str, str]]) -> Iterator[list]:
    from visits.models import Visit
    from visits.models.visit import Handling

    start, end = _year(year)
    handling = dict(Handling.choices)
    rows = (
        Visit.objects.filter(organisation_id__in=ids, visited_on__gte=start, visited_on__lte=end)
        .order_by("organisation_id", "visited_on", "id")
        .values_list(
            "organisation_id",
            "visited_on",
            "visitor__name",
            "visitor_title",
            "head_name",
            "group",
            "address",
            "event_id",
            "pairing_id",
            "situation",
            "problem",
            "handling",
            "handling_text",
            "opinion_id",
        )
    )
    for (
        org_id,
        day,
        visitor,
        title,
        head,
        group,
        address,
        event,
        pairing,
        situation,
        problem,
        how,
        text,
        opinion,
    ) in rows.iterator(chunk_size=CHUNK):
        township, unit = places.get(org_id, ("", ""))
        yield [
            township,
            unit,
            day,
            visitor,
            title,
            head,
            group,
            address,
            _yes(event),
            _yes(pairing),
            situation,
            problem,
            handling.get(how, ""),
            text,
            _yes(opinion),
        ]


def reception_rows(ids: list[int], year: int, places: dict[int, tuple[str, str]]) -> Iterator[list]:
    from feedback.models import Reception

    start, end = _year(year)
    handling = dict(Reception._meta.get_field("handling").choices)
    genders = dict(Reception._meta.get_field("visitor_gender").choices)
    rows = (
        Reception.objects.filter(organisation_id__in=ids, received_on__gte=start, received_on__lte=end)
        .order_by("organisation_id", "received_on", "id")
        .values_list(
            "organisation_id",
            "received_on",
            "receiver__name",
            "receiver_title",
            "visitor_name",
            "visitor_gender",
            "visitor_age",
            "visitor_address",
            "matter",
            "cause",
            "request",
            "handling",
            "visitor_opinion",
            "opinion_id",
        )
    )
    for (
        org_id,
        day,
        receiver,
        title,
        name,
        gender,
        age,
        address,
        matter,
        cause,
        request,
        how,
        said,
        opinion,
    ) in rows.iterator(chunk_size=CHUNK):
        township, unit = places.get(org_id, ("", ""))
        yield [
            township,
            unit,
            day,
            receiver,
            title,
            name,
            genders.get(gender, gender),
            age,
            address,
            matter,
            cause,
            request,
            handling.get(how, ""),
            said,
            _yes(opinion),
        ]


def commitment_rows(ids: list[int], year: int, places: dict[int, tuple[str, str]]) -> Iterator[list]:
    from commitments.models import Commitment

    field = Commitment._meta.get_field
    labels = {name: dict(field(name).choices) for name in ("subject", "direction", "scope", "area", "state")}
    labels["completion"] = dict(field("completion").choices)
    rows = (
        Commitment.objects.filter(organisation_id__in=ids, year__lte=year, end_year__gte=year)
        .order_by("organisation_id", "subject", "year", "id")
        .values_list(
            "organisation_id",
            "subject",
            "direction",
            "scope",
            "year",
            "end_year",
            "area",
            "title",
            "target",
            "deadline",
            "responsible",
            "state",
            "completion",
            "completion_note",
        )
    )
    for (
        org_id,
        subject,
        direction,
        scope,
        first,
        last,
        area,
        title,
        target,
        deadline,
        who,
        state,
        done,
        note,
    ) in rows.iterator(chunk_size=CHUNK):
        township, unit = places.get(org_id, ("", ""))
        yield [
            township,
            unit,
            labels["subject"].get(subject, subject),
            labels["direction"].get(direction, direction),
            labels["scope"].get(scope, scope),
            first,
            last,
            labels["area"].get(area, area),
            title,
            target,
            deadline,
            who,
            labels["state"].get(state, state),
            labels["completion"].get(done, ""),
            note,
        ]
