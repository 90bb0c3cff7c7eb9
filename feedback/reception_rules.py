"""The reception schedule (接待日安排): pure functions, no database.

Source: 巴南委办发〔2008〕43号《三级党组织书记定期接待群众工作制度（试行）》(seeds/004):
- 二、接待时间: 区委书记每年集中接待群众不少于2次，镇街党委（党工委）书记每月不少于1次，村（社区）党组织
  书记每周不少于1次，每次不少于半天. The numbers are QuotaRule rows (QUOTA_OF_LEVEL), read by the caller
  and passed in as `per_period` and `period`.
- 同条: 班子其他成员由党委（党工委）统筹，定期安排1名成员接待。区委常委班子成员在1年内轮流接待；镇街党委
  （党工委）班子成员在1月内轮流接待；村（社区）党组织班子成员在1周内轮流接待 — so the rotation runs in the
  same period as the secretary's quota, one member at a time (ROTATE_EACH: every member once in each
  period, the document's words; ROTATE_ONE: one member a period, in turn, for a committee that cannot
  spare more).
- 三、接待方式: 逢集赶场的当天在场镇集市 — market days (赶场日) are dates whose last digit is in the
  pattern (MARKET_PATTERNS: 1/4/7, 2/5/8, 3/6/9; the 31st ends in 1).
- Seed 002 八、县党代会代表直接联系群众制度: 党代会代表到工作室接待党员和群众每年不少于2次，每次不少于半天
  (QuotaRule "delegate-receptions").

Weeks run Monday to Sunday and are cut at the year's ends (2026 starts on a Thursday: its first week is
1–4 January), so a year's plan never holds a date of another year and a week that spans two months is
planned once, whichever month is printed.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

WEEK, MONTH, YEAR = "week", "month", "year"
PERIODS = (WEEK, MONTH, YEAR)
PERIOD_LABELS = {WEEK: "每周", MONTH: "每月", YEAR: "每年"}

# Organisation level → the QuotaRule of its secretary's reception half-days (fixtures/quota_rules.json).
QUOTA_OF_LEVEL: dict[str, str] = {
    "district": "reception-district-secretary",
    "township": "reception-township-secretary",
    "village": "reception-village-secretary",
    "community": "reception-village-secretary",
}
DELEGATE_QUOTA = "delegate-receptions"

MARKET_PATTERNS: dict[str, tuple[int, ...]] = {
    "147": (1, 4, 7),
    "258": (2, 5, 8),
    "369": (3, 6, 9),
}
MARKET_LABELS = {"147": "逢1、4、7赶场", "258": "逢2、5、8赶场", "369": "逢3、6、9赶场"}

ROTATE_EACH = "each"
ROTATE_ONE = "one"
ROTATE_NONE = "none"
ROTATIONS = {
    ROTATE_EACH: "每名班子成员每个周期轮流接待一次（文件原文）",
    ROTATE_ONE: "每个周期安排1名班子成员，依次轮换",
    ROTATE_NONE: "只安排书记接待",
}

AM, PM = "am", "pm"

PERIOD_UNKNOWN = "周期只能是每周、每月或每年。"
QUOTA_NOT_WHOLE = "定额规则的最低次数应为正整数。"
NO_DAY = "{start}至{end}没有可安排的日子，请手工安排。"
DOUBLED = "{start}至{end}可安排的日子不够，部分接待安排在同一天的上午和下午。"


def is_market_day(day: datetime.date, pattern: str) -> bool:
    """逢1、4、7 (or 2/5/8, 3/6/9): the date's last digit is in the pattern."""
    return day.day % 10 in MARKET_PATTERNS[pattern]


def periods(year: int, period: str) -> list[tuple[datetime.date, datetime.date]]:
    """The year's periods, first and last day each; weeks (Monday–Sunday) cut at the year's ends."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if period == YEAR:
        return [(first, last)]
    if period == MONTH:
        return [
            (datetime.date(year, m, 1), datetime.date(year, m, calendar.monthrange(year, m)[1]))
            for m in range(1, 13)
        ]
    if period == WEEK:
        spans = []
        start = first
        while start <= last:
            end = min(start + datetime.timedelta(days=6 - start.weekday()), last)
            spans.append((start, end))
            start = end + datetime.timedelta(days=1)
        return spans
    raise ValueError(PERIOD_UNKNOWN)


def required_count(year: int, period: str, per_period: int) -> int:
    """Half-days the secretary owes in a year: the periods times the quota per period."""
    return len(periods(year, period)) * per_period


def whole(minimum) -> int:
    """A quota's minimum as a count of half-days (a rule edited to 1.5 is refused, not rounded)."""
    if minimum is None or int(minimum) != minimum or minimum < 1:
        raise ValueError(QUOTA_NOT_WHOLE)
    return int(minimum)


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def spread(days: Sequence[datetime.date], count: int) -> list[datetime.date]:
    """`count` days spread evenly over `days` (the first day first); fewer days than needed repeat."""
    if count <= 0 or not days:
        return []
    if len(days) >= count:
        return [days[(i * len(days)) // count] for i in range(count)]
    return [days[i % len(days)] for i in range(count)]


@dataclass(frozen=True)
class Slot:
    day: datetime.date
    half: str  # AM / PM
    receiver: int  # index into the receivers the caller passed: 0 is the secretary (or the delegate)
    at_market: bool


@dataclass
class Plan:
    slots: list[Slot] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Pattern:
    """Where and when: a weekday (0 = Monday) at the usual place, or the market days of a pattern."""

    weekday: int = 0
    market: str = ""  # "" or a key of MARKET_PATTERNS
    half: str = AM


DEFAULT_PATTERN = Pattern()


def _candidates(
    start: datetime.date, end: datetime.date, pattern: Pattern, is_workday: Callable[[datetime.date], bool]
) -> tuple[list[datetime.date], list[datetime.date]]:
    """(preferred days, all usable days) of one period."""
    days = _days(start, end)
    if pattern.market:
        market = [d for d in days if is_market_day(d, pattern.market)]
        return market, market
    working = [d for d in days if is_workday(d)]
    preferred = [d for d in working if d.weekday() == pattern.weekday]
    return preferred or working, working


def _halves(days: list[datetime.date], first: str, taken: dict[datetime.date, int]) -> list[tuple]:
    """Give each chosen day a half-day: the pattern's own first, the other one when a day repeats."""
    other = PM if first == AM else AM
    out = []
    for day in days:
        count = taken.get(day, 0)
        taken[day] = count + 1
        out.append((day, first if count % 2 == 0 else other))
    return out


def plan_year(
    year: int,
    *,
    period: str,
    per_period: int,
    members: int,
    rotation: str = ROTATE_EACH,
    pattern: Pattern = DEFAULT_PATTERN,
    is_workday: Callable[[datetime.date], bool] = lambda d: d.weekday() < 5,
) -> Plan:
    """A year's sessions: `per_period` for the secretary (receiver 0) in every period, and the
    `members` other committee members (receivers 1…members) in rotation.

    ROTATE_EACH gives every member one half-day in each period, starting one further along the list each
    period so nobody always has the same weekday; ROTATE_ONE gives one member a period, round the list.
    The counts of any two members differ by at most one either way."""
    plan = Plan()
    turn = 0  # where the rotation stands, carried across periods
    for index, (start, end) in enumerate(periods(year, period)):
        preferred, usable = _candidates(start, end, pattern, is_workday)
        if not usable:
            usable = preferred = [d for d in _days(start, end) if d.weekday() < 5] or _days(start, end)
            plan.warnings.append(NO_DAY.format(start=f"{start:%m-%d}", end=f"{end:%m-%d}"))
        secretary_days = spread(preferred, per_period)
        if rotation == ROTATE_EACH:
            order = [1 + (index + i) % members for i in range(members)] if members else []
        elif rotation == ROTATE_ONE and members:
            order = [1 + turn % members]
            turn += 1
        else:
            order = []
        rest = [d for d in usable if d not in secretary_days] or usable
        member_days = spread(rest, len(order))
        taken: dict[datetime.date, int] = {}
        chosen = _halves(secretary_days, pattern.half, taken) + _halves(member_days, pattern.half, taken)
        if any(count > 1 for count in taken.values()):
            plan.warnings.append(DOUBLED.format(start=f"{start:%m-%d}", end=f"{end:%m-%d}"))
        receivers = [0] * len(secretary_days) + order
        for (day, half), receiver in zip(chosen, receivers, strict=True):
            plan.slots.append(Slot(day, half, receiver, bool(pattern.market)))
    plan.slots.sort(key=lambda s: (s.day, s.half, s.receiver))
    return plan


def plan_delegates(
    year: int,
    *,
    delegates: int,
    per_year: int,
    pattern: Pattern = DEFAULT_PATTERN,
    is_workday: Callable[[datetime.date], bool] = lambda d: d.weekday() < 5,
) -> Plan:
    """Each delegate's `per_year` half-days at the 工作室 (002 八), spread over the year and staggered so
    the delegates do not all come on the same day (receiver i is the i-th delegate)."""
    plan = Plan()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    preferred, usable = _candidates(start, end, pattern, is_workday)
    days = preferred or usable or _days(start, end)
    for delegate in range(delegates):
        offset = (delegate * len(days)) // max(delegates * per_year, 1)
        shifted = days[offset:] + days[:offset]
        for day in sorted(spread(shifted, per_year)):
            plan.slots.append(Slot(day, pattern.half, delegate, bool(pattern.market)))
    plan.slots.sort(key=lambda s: (s.day, s.half, s.receiver))
    return plan


def in_range(plan: Plan, start: datetime.date, end: datetime.date) -> list[Slot]:
    """The part of a year's plan that falls in [start, end] (a month of it, say)."""
    return [slot for slot in plan.slots if start <= slot.day <= end]
