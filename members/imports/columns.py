"""The import template: three sheets, their columns, and how each cell is read.

The headers are the contract with the clerk's spreadsheet; the reader refuses a file whose header row
differs, so a column can never be silently dropped or read into the wrong field.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    kind: str = "text"  # text, decimal, year, date, bool, choice, id_number, phone
    required: bool = False
    width: float = 12
    note: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetSpec:
    title: str
    columns: tuple[Col, ...]
    note: str

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


YES_NO = ("是", "否")
RELATIONS = ("户主", "配偶", "子女", "儿媳/女婿", "孙子女", "父母", "祖父母", "兄弟姐妹", "其他")
GENDERS = ("男", "女")
EDUCATIONS = ("研究生", "大学本科", "大学专科", "中专/高中", "初中及以下")
CATEGORIES = ("正式党员", "预备党员")

HOUSEHOLDS = SheetSpec(
    "户",
    (
        Col(
            "村（社区）",
            "village",
            required=True,
            width=14,
            note="村或社区名称，如“桂花村”；同名时写“界石镇桂花村”",
        ),
        Col("村民小组/网格", "group", width=12, note="如“三组”“第2网格”"),
        Col(
            "居住地点", "address", required=True, width=30, note="与户主一起识别同一户，请与已登记的写法一致"
        ),
        Col("户主", "head_name", required=True, width=10, note="须在“家庭成员”表中有一行与户主关系为“户主”"),
        Col("联系电话", "phone", kind="phone", width=15, note="手机号或带区号的座机号"),
        Col("住房面积（㎡）", "housing_area", kind="decimal", width=12, note="数字，不能为负"),
        Col("家庭年收入（元）", "annual_income", kind="decimal", width=14, note="数字，不能为负"),
        Col("专长技能", "skills", width=20),
        Col("存在问题", "problems", width=30),
        Col("建议要求", "requests", width=30),
        Col("家庭党员情况", "party_member_info", width=16),
        Col("标签", "tags", width=20, note="多个用顿号分隔，如“低保户、空巢老人”；只能用系统里已有的标签"),
    ),
    "每行一户。同一村（社区）里“居住地点 + 户主”相同的视为同一户：已登记的会被更新，未登记的新增。",
)

RESIDENTS = SheetSpec(
    "家庭成员",
    (
        Col("村（社区）", "village", required=True, width=14, note="与“户”表相同"),
        Col("居住地点", "address", required=True, width=30, note="与“户”表相同"),
        Col("户主", "head_name", required=True, width=10, note="与“户”表相同"),
        Col("姓名", "name", required=True, width=10),
        Col("与户主关系", "relation", kind="choice", required=True, width=11, choices=RELATIONS),
        Col("性别", "gender", kind="choice", required=True, width=6, choices=GENDERS),
        Col("出生年份", "birth_year", kind="year", width=9, note="四位年份，如 1970；填了身份证号可不填"),
        Col("身份证号", "id_number", kind="id_number", width=21, note="18位，请保持文本格式"),
        Col("联系电话", "phone", kind="phone", width=15),
        Col("职业", "occupation", width=14),
        Col("党员", "is_party_member", kind="bool", width=6, choices=YES_NO),
        Col("外出人员", "is_away", kind="bool", width=8, choices=YES_NO),
        Col("流出地点", "away_location", width=16),
        Col("外出收入（元/年）", "away_income", kind="decimal", width=14),
        Col("返家情况", "away_return", width=14),
    ),
    "每行一人。同一户中身份证号相同（或无身份证号时姓名相同）的视为同一人。",
)

MEMBERS = SheetSpec(
    "党员",
    (
        Col("所在党支部", "organisation", required=True, width=24, note="党支部全称，如“桂花村第一党支部”"),
        Col("姓名", "name", required=True, width=10),
        Col("性别", "gender", kind="choice", required=True, width=6, choices=GENDERS),
        Col("出生日期", "birth_date", kind="date", width=12, note="如 1970-01-02；填了身份证号可不填"),
        Col("身份证号", "id_number", kind="id_number", width=21, note="身份证号或出生日期至少填一项"),
        Col("入党时间", "join_date", kind="date", width=12),
        Col("联系电话", "phone", kind="phone", width=15),
        Col("学历", "education", kind="choice", width=11, choices=EDUCATIONS),
        Col("职务", "title", width=14),
        Col("党员类别", "category", kind="choice", width=10, choices=CATEGORIES),
        Col("流动党员", "is_mobile", kind="bool", width=8, choices=YES_NO),
    ),
    "每行一名党员。身份证号相同（或无身份证号时姓名和出生日期相同）的视为同一人。",
)

SHEETS = (HOUSEHOLDS, RESIDENTS, MEMBERS)
