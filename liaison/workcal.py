"""The statutory work calendar as an object with `is_workday(date)`, read from the table.

`StatutoryCalendar` raises `CalendarYearMissing` for a year the table does not hold: the year is
reported, never counted as ordinary weeks. `StatutoryCalendar(provisional=True)` is the one explicit
exception: it counts a missing year as ordinary weeks and remembers which years it assumed, so the
caller can mark the result as provisional (暂定) and recompute it once the year is entered.

The organisation department keeps the table (config pages, admin). Whoever changes a year sends
`work_calendar_changed`, so apps that stored dates counted on it (feedback's due dates) recompute them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from liaison.models import WorkCalendarDay, WorkCalendarYear
from liaison.models.calendar import is_ordinary_workday

# Sent after a year's days were saved: work_calendar_changed.send(sender=WorkCalendarYear, years=[2027]).
work_calendar_changed = Signal()

YEAR_MISSING = (
    "{year}年的法定节假日安排尚未录入工作日历，无法按法定日历计算期限。请区委组织部在“工作日历”中录入。"
)
# The State Council publishes the next year's holidays in October or November; from October on, a
# missing next year is worth a warning because 40-day periods (category 4) already reach into it.
NEXT_YEAR_WARNING_FROM_MONTH = 10
PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


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


def known_years() -> set[int]:
    return set(WorkCalendarYear.objects.values_list("year", flat=True))


def missing_years_warning(today: datetime.date) -> list[int]:
    """Years a deadline counted today may need and the table lacks: this year, and from October on the next."""
    needed = [today.year]
    if today.month >= NEXT_YEAR_WARNING_FROM_MONTH:
        needed.append(today.year + 1)
    present = set(WorkCalendarYear.objects.filter(year__in=needed).values_list("year", flat=True))
    return [year for year in needed if year not in present]


# --- the chinesecalendar package -------------------------------------------------------------------


def package_years() -> set[int]:
    from chinese_calendar import constants

    return {day.year for day in constants.holidays} | {day.year for day in constants.workdays}


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinesecalendar")
    except PackageNotFoundError:
        return "?"


@dataclass(frozen=True)
class DayEntry:
    date: datetime.date
    is_workday: bool
    name: str = ""


def package_entries(year: int) -> list[DayEntry]:
    """The year's holidays and adjusted working days as the chinesecalendar package lists them."""
    from chinese_calendar import constants

    entries = [
        DayEntry(day, False, PACKAGE_NAMES.get(str(name), str(name)))
        for day, name in constants.holidays.items()
        if day.year == year
    ]
    entries += [
        DayEntry(day, True, f"{PACKAGE_NAMES.get(str(name), str(name))}调休上班")
        for day, name in constants.workdays.items()
        if day.year == year
    ]
    return sorted(entries, key=lambda entry: entry.date)


def package_source(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知（由 chinesecalendar {package_version()} 导入）"


# --- the text form the organisation department edits ------------------------------------------------

LINE = re.compile(
    r"^(?P<start>\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:至|到|~|—|-{1,2})\s*(?P<end>\d{4}-\d{1,2}-\d{1,2}))?"
    r"\s+(?P<kind>休|班)(?:\s+(?P<name>.+))?$"
)
LINE_INVALID = (
    "第{n}行格式不对：“{line}”。应写成“2027-10-01 至 2027-10-07 休 国庆节”或“2027-09-26 班 国庆节调休”。"
)
LINE_DATE_INVALID = "第{n}行的日期不存在：“{line}”。"
LINE_RANGE_BACKWARDS = "第{n}行的结束日期早于开始日期：“{line}”。"
LINE_OTHER_YEAR = "第{n}行不在{year}年内：“{line}”。"
LINE_WORKDAY_WEEKDAY = "第{n}行：{day} 是工作日，调休上班日应是周六或周日。"
LINE_DUPLICATE = "第{n}行：{day} 重复登记。"


def _parse_date(text: str) -> datetime.date:
    year, month, day = (int(part) for part in text.split("-"))
    return datetime.date(year, month, day)


def parse_days(text: str, *, year: int) -> list[DayEntry]:
    """Lines like "2027-10-01 至 2027-10-07 休 国庆节" / "2027-09-26 班 国庆节调休" → entries.

    Raises ValidationError listing every bad line, so the whole text is fixed in one go.
    """
    errors: list[str] = []
    entries: dict[datetime.date, DayEntry] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.replace("\u3000", " ").split())
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        if not match:
            errors.append(LINE_INVALID.format(n=n, line=line))
            continue
        try:
            start = _parse_date(match["start"])
            end = _parse_date(match["end"]) if match["end"] else start
        except ValueError:
            errors.append(LINE_DATE_INVALID.format(n=n, line=line))
            continue
        if end < start:
            errors.append(LINE_RANGE_BACKWARDS.format(n=n, line=line))
            continue
        if start.year != year or end.year != year:
            errors.append(LINE_OTHER_YEAR.format(n=n, year=year, line=line))
            continue
        is_workday = match["kind"] == "班"
        day = start
        while day <= end:
            if is_workday and day.weekday() < 5:
                errors.append(LINE_WORKDAY_WEEKDAY.format(n=n, day=day.isoformat()))
            elif day in entries:
                errors.append(LINE_DUPLICATE.format(n=n, day=day.isoformat()))
            else:
                entries[day] = DayEntry(day, is_workday, (match["name"] or "").strip()[:30])
            day += datetime.timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    return sorted(entries.values(), key=lambda entry: entry.date)


def format_days(entries: Iterable[DayEntry | WorkCalendarDay]) -> str:
    """The inverse of parse_days: consecutive days of the same kind and name become one range."""
    lines: list[str] = []
    run: list = []

    def flush() -> None:
        if run:
            kind = "班" if run[0].is_workday else "休"
            dates = (
                run[0].date.isoformat()
                if len(run) == 1
                else f"{run[0].date.isoformat()} 至 {run[-1].date.isoformat()}"
            )
            lines.append(f"{dates} {kind} {run[0].name}".rstrip())

    for entry in sorted(entries, key=lambda e: e.date):
        if run and (
            entry.date - run[-1].date != datetime.timedelta(days=1)
            or entry.is_workday != run[-1].is_workday
            or entry.name != run[-1].name
        ):
            flush()
            run = []
        run.append(entry)
    flush()
    return "\n".join(lines)


@transaction.atomic
def save_year(*, year: int, source: str, notes: str, entries: list[DayEntry], user=None) -> WorkCalendarYear:
    """Create or replace one year: its days are the year's content, so they are replaced as a whole."""
    calendar_year, _ = WorkCalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": source}
    )
    calendar_year.source = source
    calendar_year.notes = notes
    calendar_year.updated_by = user if user is not None and user.is_authenticated else None
    calendar_year.full_clean()
    calendar_year.save()
    calendar_year.days.all().delete()
    WorkCalendarDay.objects.bulk_create(
        [
            WorkCalendarDay(calendar_year=calendar_year, date=e.date, is_workday=e.is_workday, name=e.name)
            for e in entries
        ]
    )
    transaction.on_commit(lambda: work_calendar_changed.send(sender=WorkCalendarYear, years=[year]))
    return calendar_year


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
