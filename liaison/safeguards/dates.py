"""The plausible range of every date in the system, in one table.

A date outside its range is a typing slip (0001-01-01, 9999-12-31, 2100 for 2010), refused next to the
field by the forms (`GuardedForm`) and by the models (`PlausibleDate` validators, run by full_clean),
so a service or an import is held to the same range. Where a regulation narrows a range further (an
extension within the 1234 period, an opinion not received in the future) the app's rules say so.

- BIRTH: nobody alive was born before 1900, nobody is born tomorrow.
- PARTY_JOIN: the Communist Party of China was founded on 1 July 1921; nobody joins tomorrow.
- EVENT: what has happened (a receipt, a visit, a contact, a record, a result, a signature): the
  liaison system's paper books (seeds 000–004) go back to the 2000s, so not before 2000. "Not after
  today" is each service's own rule, on the clock it is given (so a test or a back-dated import can
  pin "now"); the range itself stops a year ahead, which no clock skew reaches and every slip
  (9999, 2100) exceeds.
- START: the start of a pairing, a 联系点, a post or a position: from 2000, and may be planned up to
  a year ahead.
- PLAN: a planned end or a due date: from 2000, and no further than ten years ahead (a 村(居)委会 term
  is five years; two terms is the longest plan anyone makes).
- ANY: a date with no narrower rule (a filter's start or end): 1900 to ten years ahead.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

OUT_OF_RANGE = "请输入{earliest}至{latest}之间的日期（{why}）。"
TOO_EARLY = "日期不能早于{earliest}（{why}）。"
TOO_LATE = "日期不能晚于{latest}（{why}）。"
NOT_IN_FUTURE = "日期不能晚于今天。"  # the services' own words for the same rule


def _years_ahead(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


@dataclass(frozen=True)
class DateRange:
    earliest: datetime.date
    years_ahead: int  # 0: not after today
    why: str
    future_is_today: bool = False  # the users' rule is "not after today" (held by the services)

    def latest(self, today: datetime.date | None = None) -> datetime.date:
        return _years_ahead(today or timezone.localdate(), self.years_ahead)

    def contains(self, day: datetime.date, today: datetime.date | None = None) -> bool:
        return self.earliest <= day <= self.latest(today)

    def refusal(self, day: datetime.date, today: datetime.date | None = None) -> str:
        """What the user reads next to the field, for a date outside the range."""
        if day < self.earliest:
            return TOO_EARLY.format(earliest=f"{self.earliest:%Y-%m-%d}", why=self.why)
        if self.years_ahead == 0 or self.future_is_today:
            return NOT_IN_FUTURE
        return TOO_LATE.format(latest=f"{self.latest(today):%Y-%m-%d}", why=self.why)

    def message(self, today: datetime.date | None = None) -> str:
        latest = self.latest(today)
        latest_text = "今天" if self.years_ahead == 0 else f"{latest:%Y-%m-%d}"
        return OUT_OF_RANGE.format(earliest=f"{self.earliest:%Y-%m-%d}", latest=latest_text, why=self.why)


RANGES: dict[str, DateRange] = {
    "birth": DateRange(datetime.date(1900, 1, 1), 0, "出生日期不早于1900年，不晚于今天"),
    # 中国共产党成立于1921年7月1日.
    "party_join": DateRange(datetime.date(1921, 7, 1), 0, "入党时间不早于建党，不晚于今天"),
    "event": DateRange(datetime.date(2000, 1, 1), 1, "已发生的事", future_is_today=True),
    "start": DateRange(datetime.date(2000, 1, 1), 1, "开始时间最多提前一年"),
    "plan": DateRange(datetime.date(2000, 1, 1), 10, "计划日期最远十年"),
    "any": DateRange(datetime.date(1900, 1, 1), 10, "日期不合常理"),
}


@deconstructible
class PlausibleDate:
    """Model and form field validator: the date lies in its named range (see RANGES)."""

    code = "implausible_date"

    def __init__(self, kind: str) -> None:
        if kind not in RANGES:
            raise ValueError(f"unknown date range {kind!r}")
        self.kind = kind

    @property
    def range(self) -> DateRange:
        return RANGES[self.kind]

    def __call__(self, value: object) -> None:
        if isinstance(value, datetime.datetime):
            value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
        if isinstance(value, datetime.date) and not self.range.contains(value):
            raise ValidationError(self.range.refusal(value), code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleDate) and other.kind == self.kind


def plausible(kind: str) -> PlausibleDate:
    return PlausibleDate(kind)


def parse_plausible(value: str | None, kind: str = "any") -> datetime.date | None:
    """A date from a query string, or None when it is not one or not plausible (9999-12-31)."""
    try:
        day = datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if RANGES[kind].contains(day) else None
