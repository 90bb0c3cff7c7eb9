"""Build import workbooks from the real template, the way a clerk fills it in."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from members.imports.template import build_template
from members.tests.factories import id_number

HOUSEHOLDS = [
    # 村（社区）, 小组, 居住地点, 户主, 电话, 面积, 收入, 专长, 问题, 要求, 家庭党员情况, 标签
    [
        "桂花村",
        "三组",
        "桂花村三组21号",
        "周瑄",
        "13987654321",
        140,
        36000,
        "柑橘种植",
        "房屋漏雨",
        "危房改造",
        "",
        "低保户",
    ],
    ["桂花村", "四组", "桂花村四组2号", "吴祎", "", "96.5", "", "", "", "", "", ""],
    [
        "桂花村",
        "五组",
        "桂花村五组8号",
        "郑喆",
        "023-66231234",
        120,
        52000,
        "电焊",
        "",
        "",
        "户主为党员",
        "老党员、空巢老人",
    ],
]
RESIDENTS = [
    # 村, 地址, 户主, 姓名, 关系, 性别, 出生年份, 身份证号, 电话, 职业, 党员, 外出, 流出地点, 外出收入, 返家情况
    [
        "桂花村",
        "桂花村三组21号",
        "周瑄",
        "周瑄",
        "户主",
        "男",
        1979,
        "",
        "13987654321",
        "务农",
        "否",
        "否",
        "",
        "",
        "",
    ],
    [
        "桂花村",
        "桂花村三组21号",
        "周瑄",
        "李秀英",
        "配偶",
        "女",
        1981,
        "",
        "",
        "务农",
        "否",
        "否",
        "",
        "",
        "",
    ],
    [
        "桂花村",
        "桂花村三组21号",
        "周瑄",
        "周浩然",
        "子女",
        "男",
        2005,
        "",
        "18612345678",
        "电子厂普工",
        "否",
        "是",
        "广东省东莞市",
        48000,
        "春节返乡",
    ],
    ["桂花村", "桂花村四组2号", "吴祎", "吴祎", "户主", "女", "", "", "", "在家养老", "否", "否", "", "", ""],
    ["桂花村", "桂花村五组8号", "郑喆", "郑喆", "户主", "男", 1958, "", "", "务农", "是", "否", "", "", ""],
    ["桂花村", "桂花村五组8号", "郑喆", "王桂兰", "配偶", "女", 1960, "", "", "务农", "否", "否", "", "", ""],
]
MEMBER_ID = id_number(__import__("datetime").date(1958, 4, 12), 531)
MEMBERS = [
    # 所在党支部, 姓名, 性别, 出生日期, 身份证号, 入党时间, 电话, 学历, 职务, 类别, 流动党员
    [
        "桂花村第一党支部",
        "郑喆",
        "男",
        "",
        MEMBER_ID,
        "1986-07-01",
        "13508312345",
        "初中及以下",
        "",
        "正式党员",
        "否",
    ],
    [
        "桂花村第一党支部",
        "周浩然",
        "男",
        "2005-08-09",
        "",
        "2025-06-30",
        "18612345678",
        "大学专科",
        "",
        "预备党员",
        "是",
    ],
]
SHEETS = {"户": HOUSEHOLDS, "家庭成员": RESIDENTS, "党员": MEMBERS}


def workbook_bytes(sheets: dict[str, list[list]] | None = None, *, edit=None) -> bytes:
    """The downloaded template with rows appended; `edit(workbook)` may change anything before saving."""
    workbook = load_workbook(io.BytesIO(build_template().content))
    for title, rows in (sheets if sheets is not None else SHEETS).items():
        for row in rows:
            workbook[title].append(row)
    if edit is not None:
        edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "导入.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
