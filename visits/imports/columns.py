"""The visits import template: one sheet, “入户走访”, one row per visit, the boxes of 附件3 in the order
a clerk copies them from the paper 民情日志. The reader (members.imports.reader) refuses a file whose
header row differs, so a column is never silently dropped or read into the wrong field."""

from __future__ import annotations

from members.imports.columns import Col, SheetSpec
from visits.models import Handling

HANDLINGS = tuple(str(label) for label in Handling.labels)
CATEGORIES = ("1", "2", "3", "4")

VISITS = SheetSpec(
    "入户走访",
    (
        Col("家访人", "visitor", required=True, width=10, note="党员姓名"),
        Col(
            "家访人身份证号或电话",
            "visitor_key",
            width=20,
            note="家访人在您的范围内有同名党员时必填：完整的身份证号或手机号",
        ),
        Col("村（社区）", "village", required=True, width=14, note="被访户所在村或社区，如“桂花村”"),
        Col("户主", "head_name", required=True, width=10, note="被访户的户主姓名，与户情登记一致"),
        Col("居住地点", "address", width=26, note="该村（社区）有同名户主时必填，与户情登记的写法一致"),
        Col("走访时间", "visited_on", kind="date", required=True, width=12, note="如 2026-03-03"),
        Col("家访情况", "situation", required=True, width=40),
        Col("要求解决的问题", "problem", width=30),
        Col("办理方式", "handling", kind="choice", width=14, choices=HANDLINGS),
        Col("办理情况", "handling_text", width=30, note="选了办理方式的必填"),
        Col(
            "意见类别（1234）",
            "category",
            kind="choice",
            width=10,
            choices=CATEGORIES,
            note="限期办理、转有关部门办理的必填：登记为群众意见，按类别计算办理时限",
        ),
        Col("被访群众意见", "resident_opinion", width=20),
        Col("签字人", "signed_by", width=10),
        Col("签字日期", "signed_on", kind="date", width=12, note="不能早于走访时间"),
    ),
    "每行一次走访。同一家访人、同一户、同一天只记一条：文件中已导入或已录入的不会重复新增。"
    "户情（八清楚、家庭成员）取导入时该户登记的情况。",
)

SHEETS = (VISITS,)
