"""The "1234" deadlines and the reminders' thresholds: pure functions, every number in one place.

Source: 巴南委办发〔2008〕43号《重庆市巴南区群众意见“1234”定期办理反馈制度（试行）》三、反馈的时限
(seeds/004): 属本级党组织工作职责范围内的事项，应在收到反映问题之日起10天内办结，并反馈反映人；属上一级
党组织工作职责范围解决的问题，上一级党组织应在收到反映问题之日起20天内办结；对确实解决不了的问题，应在
30天内向反映人说明情况；对需要多个单位共同协调解决的问题，由牵头解决的单位党组织在40天内办结.

Days are counted as the Civil Code counts periods (DESIGN.md):
- 民法典 第二百零一条: the day of receipt is not counted (received 1 March, 10 days → 11 March);
- 民法典 第二百零三条: a period whose last day is a statutory rest day or holiday ends on the day after
  it, i.e. the next working day, on the statutory calendar with its adjusted working weekends (调休).
With `calendar="workdays"` (LIAISON_DEADLINE_CALENDAR) the period is N working days after the day
of receipt instead.

No database access here, except the default work calendar (liaison.workcal.StatutoryCalendar) when
no `workcal` is given.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Protocol

from django.db import models


class Category(models.IntegerChoices):
    OWN = 1, "一类：本级职责范围内（10天）"
    UPPER = 2, "二类：上一级职责范围（20天）"
    UNSOLVABLE = 3, "三类：确实解决不了，说明情况（30天）"
    SEVERAL_UNITS = 4, "四类：多个单位协调，牵头办结（40天）"


# 004 “1234”制度 三、反馈的时限: 职责内10天、职责外（上一级）20天、不能解决30天说明情况、牵头解决40天.
PERIOD_DAYS: dict[int, int] = {
    Category.OWN: 10,
    Category.UPPER: 20,
    Category.UNSOLVABLE: 30,
    Category.SEVERAL_UNITS: 40,
}
SHORT_LABELS: dict[int, str] = {
    Category.OWN: "职责内",
    Category.UPPER: "上一级",
    Category.UNSOLVABLE: "不能解决",
    Category.SEVERAL_UNITS: "牵头解决",
}

CALENDAR_DAYS = "calendar"  # statutory calendar days (民法典 第二百零一、二百零三条)
WORKING_DAYS = "workdays"  # N working days after the day of receipt
CALENDAR_MODES = {CALENDAR_DAYS: "按自然日计算（节假日顺延）", WORKING_DAYS: "按工作日计算"}

# DESIGN.md "Urge": an opinion is due soon when 30% or less of its time is left (exactly 30% is due soon).
DUE_SOON_SHARE = Fraction(3, 10)
# DESIGN.md "Management commands": send_reminders covers opinions due within 3 days, and overdue ones.
REMINDER_WITHIN_DAYS = 3
# Safety net for a calendar with no working day at all (a broken table would otherwise loop forever).
MAX_SHIFT_DAYS = 60

CATEGORY_INVALID = "类别只能是 1、2、3、4。"


MODE_INVALID = "期限计算方式只能是 calendar 或 workdays。"
NO_WORKDAY = "工作日历在 {start} 之后 {days} 天内没有一个工作日，请检查工作日历。"


class WorkCalendar(Protocol):
    def is_workday(self, day: datetime.date) -> bool: ...


def period_days(category: int) -> int:
    try:
        return PERIOD_DAYS[int(category)]
    except (KeyError, TypeError, ValueError):
        raise ValueError(CATEGORY_INVALID) from None


def _default_workcal() -> WorkCalendar:
    from liaison.workcal import StatutoryCalendar

    return StatutoryCalendar()


def next_workday(day: datetime.date, workcal: WorkCalendar) -> datetime.date:
    """The day itself when it is a working day, else the first working day after it (第二百零三条)."""
    start = day
    for _ in range(MAX_SHIFT_DAYS):
        if workcal.is_workday(day):
            return day
        day += datetime.timedelta(days=1)
    raise ValueError(NO_WORKDAY.format(start=start.isoformat(), days=MAX_SHIFT_DAYS))


def due_date(
    received_on: datetime.date,
    category: int,
    *,
    calendar: str = CALENDAR_DAYS,
    workcal: WorkCalendar | None = None,
) -> datetime.date:
    """The last day to finish and answer the reporter.

    calendar="calendar": received_on + N days (the day of receipt not counted), moved to the next
    working day when that day is a rest day or holiday. calendar="workdays": the N-th working day
    after received_on. `workcal` is anything with `is_workday(date)`; by default the statutory table,
    which raises liaison.workcal.CalendarYearMissing for a year it does not hold.
    """
    if isinstance(received_on, datetime.datetime) or not isinstance(received_on, datetime.date):
        raise TypeError("received_on must be a date")
    days = period_days(category)
    if calendar not in CALENDAR_MODES:
        raise ValueError(MODE_INVALID)
    workcal = workcal if workcal is not None else _default_workcal()
    if calendar == CALENDAR_DAYS:
        return next_workday(received_on + datetime.timedelta(days=days), workcal)
    day = received_on
    for _ in range(days):
        day = next_workday(day + datetime.timedelta(days=1), workcal)
    return day


def due_soon_from(received_on: datetime.date, due: datetime.date) -> datetime.date:
    """The first day on which 30% or less of the time is left.

    Time is counted in calendar days from the day of receipt to the due date; on day d,
    (due − d) / (due − received_on) ≤ 3/10 ⇔ d ≥ due − ⌊(due − received_on) × 3/10⌋.
    """
    total = max((due - received_on).days, 0)
    return due - datetime.timedelta(days=int(total * DUE_SOON_SHARE))


def is_due_soon(received_on: datetime.date, due: datetime.date, today: datetime.date) -> bool:
    return due_soon_from(received_on, due) <= today <= due


def is_overdue(due: datetime.date, today: datetime.date) -> bool:
    """Overdue the day after the due date: the due date itself is still on time (截止到当日二十四时)."""
    return today > due


def days_left(due: datetime.date, today: datetime.date) -> int:
    """Positive: days left; 0: due today; negative: days late."""
    return (due - today).days


def needs_reminder(due: datetime.date, today: datetime.date) -> bool:
    return days_left(due, today) <= REMINDER_WITHIN_DAYS


def on_time(due: datetime.date, answered_on: datetime.date) -> bool:
    """Answered to the reporter by the due date (the approved, extended one if there is one)."""
    return answered_on <= due
