"""The calendar page's layout: a month as weeks of days, Monday first."""

from __future__ import annotations

import datetime

from liaison.models import WorkCalendarDay
from liaison.models.calendar import is_ordinary_workday


def month_grid(
    year: int, month: int, exceptions: dict[datetime.date, WorkCalendarDay]
) -> list[list[dict | None]]:
    """Weeks (Monday first) of one month for the config page: each day with its kind and name."""
    first = datetime.date(year, month, 1)
    weeks: list[list[dict | None]] = []
    week: list[dict | None] = [None] * first.weekday()
    day = first
    while day.month == month:
        entry = exceptions.get(day)
        workday = entry.is_workday if entry else is_ordinary_workday(day)
        week.append(
            {
                "date": day,
                "workday": workday,
                "exception": entry is not None,
                "name": entry.name if entry else "",
            }
        )
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += datetime.timedelta(days=1)
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks
