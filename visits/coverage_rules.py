"""The rules of coverage, meetings and personal quotas, as pure functions (no ORM, no clock).

The numbers themselves are QuotaRule rows (liaison/quotas.py), read by the selectors and passed in:

- "visits-village-committee-household": 004 入户走访制度 二 “村（社区）党组织班子成员每届入户走访辖区每户
  群众家庭不少于6次” — counted over the village's current 届 (Term);
- "visits-district-leader" (≥2 a year), "visits-township-member" (≥4 a year): 004 同上;
- "delegate-visits": 002 八 “党代会代表……入户走访每年不少于10户” — households, not visits;
- "analysis-meeting": 004 四、三 “基层党组织每月召开一次民情分析会”;
- "talks-leader", "talks-village-secretary": 002 四 (≥2 a year);
- "days-in-villages" (≥120 a year), "research-reports" (1—2 a year): 002 一, township leadership.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from liaison.rules import quota_met

# Position roles (members.Position.Role values) and organisation levels, as plain strings: rules import
# no models.
LEADERSHIP_ROLES = ("secretary", "deputy", "leadership", "committee")
DELEGATE_ROLE = "delegate"
SECRETARY_ROLE = "secretary"
DISTRICT, TOWNSHIP, VILLAGE, COMMUNITY = "district", "township", "village", "community"


def visits_due(minimum: int, elected_on: datetime.date, ends_on: datetime.date, today: datetime.date) -> int:
    """Visits each household should have had by `today` for the term to reach `minimum` by its end.

    The quota is per term (“每届……不少于6次”); part-way through, what is due is the share of the term
    already run, rounded down, so a household is not called short before its visit is due: with 6 a
    five-year term, the first visit is due once a sixth of the term has run. On and after the last day
    of the term the whole quota is due. Both ends of the term are counted as days of it."""
    if today < elected_on:
        return 0
    if today >= ends_on:
        return minimum
    run = (today - elected_on).days + 1
    length = (ends_on - elected_on).days + 1
    return int(Fraction(minimum * run, length))


class MonthState(Enum):
    HELD = "held"  # at least one meeting
    MISSED = "missed"  # a month that is over without one
    PENDING = "pending"  # the month in progress, none yet
    FUTURE = "future"
    NOT_DUE = "not_due"  # before the organisation's first term was entered (nothing to hold it to)

    @property
    def label(self) -> str:
        return {
            "held": "已开",
            "missed": "未开",
            "pending": "本月未开",
            "future": "",
            "not_due": "—",
        }[self.value]


def month_states(
    year: int, held: dict[int, int], today: datetime.date, *, since: datetime.date | None = None
) -> list[tuple[int, int, MonthState]]:
    """(month, meetings, state) for each month of `year`, against “每月召开一次”.

    `held` maps a month to its number of meetings. A month is missed once it is over with none; the
    month in progress is pending, not missed; months before `since` (when there is nothing yet to hold
    the organisation to) are not due."""
    rows = []
    for month in range(1, 13):
        count = held.get(month, 0)
        if count:
            state = MonthState.HELD
        elif (year, month) > (today.year, today.month):
            state = MonthState.FUTURE
        elif since is not None and (year, month) < (since.year, since.month):
            state = MonthState.NOT_DUE
        elif (year, month) == (today.year, today.month):
            state = MonthState.PENDING
        else:
            state = MonthState.MISSED
        rows.append((month, count, state))
    return rows


def missed_months(states: list[tuple[int, int, MonthState]]) -> int:
    return sum(1 for _, _, state in states if state is MonthState.MISSED)


@dataclass(frozen=True)
class Quota:
    """One person's yearly figure against one QuotaRule minimum."""

    code: str
    achieved: int
    minimum: int

    @property
    def met(self) -> bool:
        return quota_met(self.achieved, self.minimum)

    @property
    def shortfall(self) -> int:
        return max(self.minimum - self.achieved, 0)


def visit_quota_code(role: str, level: str) -> str | None:
    """The yearly home-visit quota of a post, by its role and the level of its organisation.

    区级领导 (leadership at the district) ≥2 visits, 镇街党委班子成员 ≥4 visits, 党代会代表 ≥10
    households. Village and community committees are held to the per-household term quota instead
    (see `visits_due`), so their posts have no personal yearly quota."""
    if role == DELEGATE_ROLE:
        return "delegate-visits"
    if role in LEADERSHIP_ROLES and level == DISTRICT:
        return "visits-district-leader"
    if role in LEADERSHIP_ROLES and level == TOWNSHIP:
        return "visits-township-member"
    return None


def talk_quota_code(role: str, level: str) -> str | None:
    """002 四: leaders (district and township leadership) ≥2 talks a year; 村党组织负责人 (a village's or
    community's secretary; a post on a village's branch counts as the village's) ≥2 talks with members."""
    if role in LEADERSHIP_ROLES and level in (DISTRICT, TOWNSHIP):
        return "talks-leader"
    if role == SECRETARY_ROLE and level in (VILLAGE, COMMUNITY):
        return "talks-village-secretary"
    return None


def research_applies(role: str, level: str) -> bool:
    """002 一: the days in villages and the reports are asked of 乡领导班子成员 (township leadership)."""
    return role in LEADERSHIP_ROLES and level == TOWNSHIP


def stay_days(started_on: datetime.date, ended_on: datetime.date) -> int:
    """Days of a stay, both ends counted: arriving on the 1st and leaving on the 3rd is 3 days."""
    return (ended_on - started_on).days + 1


def stays_overlap(a: tuple[datetime.date, datetime.date], b: tuple[datetime.date, datetime.date]) -> bool:
    """Two stays of one person share a day (a day is counted once, whichever village it was spent in)."""
    return a[0] <= b[1] and b[0] <= a[1]
