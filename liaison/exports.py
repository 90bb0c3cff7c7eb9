"""Rows for the households workbook: one sheet of households, one of residents; masking applied."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from liaison.access.privacy import viewer_for
from liaison.documents.xlsx import Column, Sheet
from liaison.models import Household, Resident
from liaison.selectors import with_resident_counts

CHUNK = 2000

HOUSEHOLD_COLUMNS = [
    Column("镇街", 12),
    Column("村（社区）", 14),
    Column("村民小组/网格", 12),
    Column("户主", 10),
    Column("居住地点", 30),
    Column("联系电话", 15),
    Column("家庭人数", 9),
    Column("住房面积（㎡）", 12),
    Column("家庭年收入（元）", 14),
    Column("专长技能", 20),
    Column("存在问题", 30),
    Column("建议要求", 30),
    Column("家庭党员情况", 16),
    Column("标签", 20),
]
RESIDENT_COLUMNS = [
    Column("村（社区）", 14),
    Column("户主", 10),
    Column("居住地点", 30),
    Column("姓名", 10),
    Column("与户主关系", 10),
    Column("性别", 6),
    Column("年龄", 6),
    Column("身份证号", 21),
    Column("联系电话", 15),
    Column("职业", 14),
    Column("党员", 6),
    Column("外出人员", 8),
    Column("流出地点", 16),
    Column("外出收入（元/年）", 14),
    Column("返家情况", 14),
]


def _counted(households: Iterator[Household]) -> Iterator[Household]:
    """The households with `resident_count`, counted per chunk of CHUNK rows (one small query each)."""
    chunk: list[Household] = []
    for household in households:
        chunk.append(household)
        if len(chunk) == CHUNK:
            yield from with_resident_counts(chunk)
            chunk = []
    yield from with_resident_counts(chunk)


def household_rows(queryset: QuerySet[Household], *, user) -> Iterator[list]:
    show = viewer_for(user).show
    queryset = queryset.select_related("organisation__parent")
    for h in _counted(queryset.iterator(chunk_size=CHUNK)):
        org = h.organisation
        yield [
            org.parent.display_name if org.parent_id else "",
            org.display_name,
            h.group,
            h.head_name,
            h.address,
            show(h, "phone"),
            h.resident_count,
            h.housing_area,
            h.annual_income,
            h.skills,
            h.problems,
            h.requests,
            h.party_member_info,
            "、".join(t.name for t in h.tags.all()),
        ]


def resident_rows(queryset: QuerySet[Household], *, user) -> Iterator[list]:
    show = viewer_for(user).show
    residents = (
        Resident.objects.filter(household__in=queryset.values("pk"))
        .select_related("household__organisation")
        .order_by("household__organisation__path", "household__sort_key", "household_id", "id")
    )
    for r in residents.iterator(chunk_size=CHUNK):
        h = r.household
        yield [
            h.organisation.display_name,
            h.head_name,
            h.address,
            r.name,
            r.get_relation_display(),
            r.get_gender_display(),
            r.age,
            show(r, "id_number"),
            show(r, "phone"),
            r.occupation,
            "是" if r.is_party_member else "",
            "是" if r.is_away else "",
            r.away_location,
            r.away_income,
            r.away_return,
        ]


def household_sheets(queryset: QuerySet[Household], *, user) -> list[Sheet]:
    queryset = queryset.prefetch_related(Prefetch("tags"))
    return [
        Sheet("户", HOUSEHOLD_COLUMNS, household_rows(queryset, user=user)),
        Sheet("家庭成员", RESIDENT_COLUMNS, resident_rows(queryset, user=user)),
    ]
