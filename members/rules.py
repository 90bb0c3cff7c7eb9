"""The members' rules as pure functions: no ORM, no clock. Callers pass the quota numbers read from the
QuotaRule table (liaison.quotas) and "today"; these functions only decide.

- met/unmet per calendar year against a minimum ("不少于": reaching it exactly is enough);
- the pairing plan shorter than its intended length (002 二 “结对帮扶的时间原则上不少于2年”);
- coverage shares as exact Fractions (004 联系帮扶制度 一 “党组织100%覆盖、贫困群众100%覆盖”);
- the 联系点 frequency (003 “与定点联系单位的联系一般平均每月不少于1次”: an average, not every month);
- a post belongs to the member's own organisation or one above it (000 第十四条 “所在党组织设立的岗位”).
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from liaison.rules import quota_met
from liaison.text.numbers import percent

Number = int | Decimal

# 003: “院级领导干部每人联系2~3个”, “确定1-2个基层单位作为联系点”; the widest reading is 1–3 points.
MAX_LIAISON_POINTS = 3


@dataclass(frozen=True)
class YearResult:
    year: int
    achieved: Number
    minimum: Number
    in_progress: bool = False  # the current year: not met yet is not a failure yet

    @property
    def met(self) -> bool:
        return quota_met(self.achieved, self.minimum)

    @property
    def state(self) -> str:
        """ "met", "pending" (this year, not there yet) or "unmet" (a year that is over)."""
        if self.met:
            return "met"
        return "pending" if self.in_progress else "unmet"

    @property
    def shortfall(self) -> Number:
        return max(self.minimum - self.achieved, 0)


def totals_by_year(entries: Iterable[tuple[datetime.date, Number]]) -> dict[int, Number]:
    """Sum amounts per calendar year of their date: 31 Dec belongs to its year, 1 Jan to the next."""
    totals: dict[int, Number] = {}
    for day, amount in entries:
        totals[day.year] = totals.get(day.year, 0) + amount
    return totals


def years_between(start: datetime.date, end: datetime.date | None, today: datetime.date) -> list[int]:
    """The calendar years a pairing has run so far: from its start to its end or today, whichever is first."""
    last = min(end, today) if end else today
    if start > last:
        return []
    return list(range(start.year, last.year + 1))


def yearly_results(
    totals: Mapping[int, Number], years: Iterable[int], minimum: Number, current_year: int | None = None
) -> list[YearResult]:
    return [
        YearResult(year=year, achieved=totals.get(year, 0), minimum=minimum, in_progress=year == current_year)
        for year in years
    ]


def anniversary(day: datetime.date, months: int) -> datetime.date:
    """The day `months` later on which a period begun on `day` has run in full.

    The same day of the month when it exists; otherwise the first of the following month, so a pairing
    begun on 29 Feb 2024 has run two full years at the start of 1 Mar 2026 (and 31 Jan + 1 month → 1 Mar).
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if day.day <= calendar.monthrange(year, month)[1]:
        return datetime.date(year, month, day.day)
    return datetime.date(year + month // 12, month % 12 + 1, 1)


def plan_is_short(start: datetime.date, planned_end: datetime.date | None, minimum_years: Number) -> bool:
    """True when the planned period, counting both its first and last day, is shorter than `minimum_years`.

    1 Jan 2025 – 31 Dec 2026 is exactly 2 years (not short); ending 30 Dec 2026 is short. No planned end
    means 长期联系 (“可长期联系”), never short.
    """
    if planned_end is None:
        return False
    months = int(Decimal(minimum_years) * 12)
    last_day_of_full_period = anniversary(start, months) - datetime.timedelta(days=1)
    return planned_end < last_day_of_full_period


@dataclass(frozen=True)
class Coverage:
    covered: int
    total: int

    def __post_init__(self) -> None:
        if self.covered < 0 or self.total < 0 or self.covered > self.total:
            raise ValueError(f"覆盖数 {self.covered} 与总数 {self.total} 不合理。")

    @property
    def share(self) -> Fraction | None:
        """None when there is nothing to cover (no villages, no poor households)."""
        return Fraction(self.covered, self.total) if self.total else None

    @property
    def complete(self) -> bool:
        """The documents ask for 100%: every one covered. Nothing to cover counts as complete."""
        return self.covered == self.total

    @property
    def uncovered(self) -> int:
        return self.total - self.covered

    @property
    def percent(self) -> str:
        """For display only: one decimal, rounded; 99.96% still shows as 99.9%, never as 100.0%."""
        return percent(self.share)


def months_due(
    year: int, today: datetime.date, since: datetime.date | None = None, until: datetime.date | None = None
) -> int:
    """How many whole months of `year` count towards the monthly average.

    A past year counts all twelve; the current year counts the months already over; a point set up (or
    ended) during the year counts from its first (to its last) month. The month in progress is not
    counted, so January 5th with no contact yet is not a failure.
    """
    first = 1
    if since is not None:
        if since.year > year:
            return 0
        if since.year == year:
            first = since.month
    last = 12
    if today.year < year:
        return 0
    if today.year == year:
        last = today.month - 1
    if until is not None:
        if until.year < year:
            return 0
        if until.year == year:
            last = min(last, until.month)
    return max(last - first + 1, 0)


def contacts_by_month(dates: Iterable[datetime.date], year: int) -> dict[int, int]:
    counts = Counter(day.month for day in dates if day.year == year)
    return {month: counts.get(month, 0) for month in range(1, 13)}


def average_frequency_met(contacts: int, months: int, per_month: Number) -> bool | None:
    """003 asks for an average of at least `per_month` a month; None when no whole month is due yet."""
    if months <= 0:
        return None
    return quota_met(Fraction(contacts) / months, Fraction(Decimal(per_month)))


def post_within(member_organisation_path: str, post_organisation_path: str) -> bool:
    """A member takes a post set up by their own organisation or one above it (paths are materialised)."""
    return member_organisation_path.startswith(post_organisation_path)


def liaison_points_full(active_points: int) -> bool:
    return active_points >= MAX_LIAISON_POINTS
