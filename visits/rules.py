"""The numbers of the 入户走访 rules that are not quotas (quotas are QuotaRule rows, liaison/quotas.py).

Each number cites where it comes from; tests/test_rules.py covers each boundary exactly.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

# Issue 12 “Bad input”: a 住房面积 over 10,000 m² is a typing slip (an extra 0 or two), not a farmhouse.
MAX_HOUSING_AREA = Decimal("10000")
# The same issue asks to refuse an absurd 家庭年收入. A rural or community household earning more than
# 10,000,000 元 a year is a slip of three zeros (80,000 → 80,000,000), not a 致富能人: refused, the clerk
# checks the booklet. The database column holds up to 9,999,999,999.99.
MAX_ANNUAL_INCOME = Decimal("10000000")

# 附件3 prints five family-member rows (“被访家庭成员基本情况”); more members continue on a second sheet.
FAMILY_ROWS_PER_SHEET = 5


def housing_area_ok(value: Decimal | None) -> bool:
    return value is None or Decimal(0) <= value <= MAX_HOUSING_AREA


def annual_income_ok(value: Decimal | None) -> bool:
    return value is None or Decimal(0) <= value <= MAX_ANNUAL_INCOME


def age_on(birth_year: int | None, on: datetime.date) -> int | None:
    """The age a 民情日志 records: the years since the birth year, in the year of the visit."""
    if birth_year is None:
        return None
    return max(on.year - birth_year, 0)


def days_open(occurred_on: datetime.date, today: datetime.date) -> int:
    """Days elapsed since a 五必访 event: the day of the event is day 0."""
    return max((today - occurred_on).days, 0)


def family_sheets(member_count: int) -> int:
    """How many 附件3 sheets a visit takes for its family rows: 1 for 0–5 members, 2 for 6–10 …"""
    if member_count <= FAMILY_ROWS_PER_SHEET:
        return 1
    return -(-member_count // FAMILY_ROWS_PER_SHEET)


# 五必访 (004 《班子成员入户走访群众工作制度》 三): “村（社区）党组织书记对重病卧床、住院治疗、红白喜事、意外事故、
# 家庭受灾的群众须做到‘五必访’。” The duty is the 书记's own: a visit by a 副书记, a 委员 or anyone else tagged to
# the event is kept as a visit but does not answer it. The 书记 is the member holding the post 书记 (members
# Position.Role.SECRETARY) in the household's village or community party organisation — the event's
# organisation — on the day of the visit (start ≤ day ≤ end, or no end yet).
MUST_VISIT_ROLE = "secretary"


def closes_must_visit(*, occurred_on: datetime.date, visited_on: datetime.date, by_secretary: bool) -> bool:
    """Whether a visit tagged to a 五必访 event answers it: the village secretary's, on or after the day."""
    return by_secretary and visited_on >= occurred_on
