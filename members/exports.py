"""Rows for the members workbooks (streamed by liaison.documents.xlsx); phones and ID numbers masked for roles
without liaison.view_personal_data."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from liaison.access.privacy import viewer_for
from liaison.documents.xlsx import Column, Sheet
from liaison.text.numbers import plain_number
from members.models import Pairing, PartyMember
from members.selectors.pairings import Flags, pairing_flags

CHUNK = 2000

MEMBER_COLUMNS = [
    Column("党组织", 24),
    Column("姓名", 10),
    Column("性别", 6),
    Column("出生日期", 12),
    Column("入党时间", 12),
    Column("党员类别", 10),
    Column("流动党员", 8),
    Column("学历", 10),
    Column("职务", 14),
    Column("党内职务", 24),
    Column("身份证号", 21),
    Column("联系电话", 15),
    Column("结对户数", 9),
]


def pairing_columns(duration_years) -> list[Column]:
    """The 不足N年 column is named from the pairing-duration quota, as the flag in it is computed."""
    return [
        Column("镇街", 12),
        Column("村（社区）", 12),
        Column("户主", 10),
        Column("居住地点", 28),
        Column("帮扶党员", 20),
        Column("党员联系电话", 26),
        Column("结对时间", 12),
        Column("计划结束", 12),
        Column(f"不足{plain_number(duration_years)}年", 8),
        Column("帮扶内容", 30),
        Column("状态", 8),
        Column("实际结束", 12),
    ]


def member_rows(queryset: QuerySet[PartyMember], *, user) -> Iterator[list]:
    """`queryset` is selectors.people.member_list's: positions prefetched, pairings counted."""
    show = viewer_for(user).show
    for m in queryset.iterator(chunk_size=CHUNK):
        positions = "、".join(
            f"{p.organisation.display_name}{p.get_role_display()}" for p in m.current_positions
        )
        yield [
            m.organisation.name,
            m.name,
            m.get_gender_display(),
            m.birth_date,
            m.join_date,
            m.get_category_display(),
            "是" if m.is_mobile else "",
            m.get_education_display(),
            m.title,
            positions,
            show(m, "id_number"),
            show(m, "phone"),
            m.pairing_count,
        ]


def member_filename() -> str:
    return f"党员信息-{timezone.localdate():%Y%m%d}.xlsx"


def member_sheets(queryset: QuerySet[PartyMember], *, user) -> list[Sheet]:
    return [Sheet("党员", MEMBER_COLUMNS, member_rows(queryset, user=user))]


def pairing_rows(queryset: QuerySet[Pairing], *, user, flags: Flags) -> Iterator[list]:
    """`queryset` is selectors.pairings.pairing_list's: households and members already joined."""
    show = viewer_for(user).show
    for p in queryset.iterator(chunk_size=CHUNK):
        village = p.household.organisation
        members = list(p.members.all())
        yield [
            village.parent.display_name if village.parent_id else "",
            village.display_name,
            p.household.head_name,
            p.household.address,
            "、".join(m.name for m in members),
            "、".join(show(m, "phone") for m in members if m.phone),
            p.start_date,
            p.planned_end,
            "是" if flags.short(p) else "",
            p.help_content,
            p.get_status_display(),
            p.ended_on,
        ]


def pairing_sheets(queryset: QuerySet[Pairing], *, user) -> list[Sheet]:
    flags = pairing_flags()
    columns = pairing_columns(flags.duration_years)
    return [Sheet("结对帮扶", columns, pairing_rows(queryset, user=user, flags=flags))]
