"""The text form of a year's days that the organisation department edits, one line per day or range:
"2027-10-01 至 2027-10-07 休 国庆节", "2027-09-26 班 国庆节调休"."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from liaison.models import WorkCalendarDay


@dataclass(frozen=True)
class DayEntry:
    date: datetime.date
    is_workday: bool
    name: str = ""


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
