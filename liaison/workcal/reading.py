"""Reading the statutory work calendar: an object with `is_workday(date)`, read from the table.

`StatutoryCalendar` raises `CalendarYearMissing` for a year the table does not hold: the year is
reported, never counted as ordinary weeks. `StatutoryCalendar(provisional=True)` is the one explicit
exception: it counts a missing year as ordinary weeks and remembers which years it assumed, so the
caller can mark the result as provisional (暂定) and recompute it once the year is entered.
"""

from __future__ import annotations

import datetime

from liaison.models import WorkCalendarDay, WorkCalendarYear
from liaison.models.calendar import is_ordinary_workday

YEAR_MISSING = (
    "{year}年的法定节假日安排尚未录入工作日历，无法按法定日历计算期限。请区委组织部在“工作日历”中录入。"
)
# The State Council publishes the next year's holidays in October or November; from October on, a
# missing next year is worth a warning because 40-day periods (category 4) already reach into it.
NEXT_YEAR_WARNING_FROM_MONTH = 10


class CalendarYearMissing(LookupError):
    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(YEAR_MISSING.format(year=year))

    @property
    def message(self) -> str:
        return str(self)


class StatutoryCalendar:
    """Reads each year's exceptions once (one query per year) and answers from memory after that."""

    def __init__(self, *, provisional: bool = False) -> None:
        self.provisional = provisional
        self.assumed_years: set[int] = set()
        self._years: dict[int, dict[datetime.date, bool] | None] = {}

    def is_workday(self, day: datetime.date) -> bool:
        exceptions = self._exceptions(day.year)
        if exceptions is None:
            if not self.provisional:
                raise CalendarYearMissing(day.year)
            self.assumed_years.add(day.year)
            return is_ordinary_workday(day)
        return exceptions.get(day, is_ordinary_workday(day))

    def _exceptions(self, year: int) -> dict[datetime.date, bool] | None:
        if year not in self._years:
            if WorkCalendarYear.objects.filter(year=year).exists():
                days = WorkCalendarDay.objects.filter(calendar_year__year=year).values_list(
                    "date", "is_workday"
                )
                self._years[year] = dict(days)
            else:
                self._years[year] = None
        return self._years[year]


def missing_years_warning(today: datetime.date) -> list[int]:
    """Years a deadline counted today may need and the table lacks: this year, and from October on the next."""
    needed = [today.year]
    if today.month >= NEXT_YEAR_WARNING_FROM_MONTH:
        needed.append(today.year + 1)
    present = set(WorkCalendarYear.objects.filter(year__in=needed).values_list("year", flat=True))
    return [year for year in needed if year not in present]
