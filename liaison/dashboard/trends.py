"""Monthly figures of the user's subtree for one year: visits, receptions, opinions received and
answered (反馈本人), the on-time share and the satisfied share of the answers — four grouped queries.

The shares are of the opinions *answered* in a month (by their 反馈本人时间), so the months add up
to the year's answers; the compliance table's on-time rate (opinions whose deadline has come, late
ones still open included) is a different count and is labelled as such on the page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q

from feedback.models import Opinion, Reception
from feedback.models.opinions import Satisfaction
from liaison.access.scoping import scoped
from liaison.text.numbers import rate
from visits.models import Visit

MONTHS = range(1, 13)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: list  # 12 numbers (None for months still to come)
    unit: str = ""
    share: bool = False  # a percentage (0–100), drawn as a line

    @property
    def total(self):
        known = [v for v in self.values if v is not None]
        return sum(known) if not self.share else None


def _by_month(queryset, field: str, **counts) -> dict[int, dict]:
    """The counts of each month, grouped by day in SQL and added up here (at most 366 rows).

    Grouping by the month itself made SQLite call Django's date-extract function, written in Python,
    once for each row: the district's 1,000,000 visits of a year took 3.5 s (PostgreSQL 0.47 s).
    Grouped by the date column, SQLite counts along the date index."""
    rows = queryset.order_by().values(field).annotate(**counts).values(field, *counts)
    months: dict[int, dict] = {}
    for row in rows:
        month = months.setdefault(row[field].month, dict.fromkeys(counts, 0))
        for name in counts:
            month[name] += row[name]
    return months


def monthly(user, year: int, today: datetime.date) -> list[Series]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    last = 12 if today > end else (today.month if today.year == year else 0)

    def series(found: dict[int, dict], name: str) -> list:
        return [found.get(m, {}).get(name, 0) if m <= last else None for m in MONTHS]

    visits = _by_month(
        scoped(Visit.objects.all(), user, all_placed=True).filter(visited_on__gte=start, visited_on__lte=end),
        "visited_on",
        n=Count("pk"),
    )
    receptions = _by_month(
        scoped(Reception.objects.all(), user, all_placed=True).filter(
            received_on__gte=start, received_on__lte=end
        ),
        "received_on",
        n=Count("pk"),
    )
    opinions = scoped(Opinion.objects.all(), user, all_placed=True)
    received = _by_month(
        opinions.filter(received_on__gte=start, received_on__lte=end), "received_on", n=Count("pk")
    )
    answered = _by_month(
        opinions.filter(feedback_on__gte=start, feedback_on__lte=end),
        "feedback_on",
        n=Count("pk"),
        on_time=Count("pk", filter=Q(feedback_on__lte=F("due_date"))),
        rated=Count("pk", filter=~Q(satisfaction="")),
        satisfied=Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
    )

    def shares(part: str, whole: str) -> list:
        values = []
        for m in MONTHS:
            row = answered.get(m, {})
            values.append(rate(row.get(part, 0), row.get(whole, 0)) if m <= last else None)
        return values

    return [
        Series("visits", "入户走访", series(visits, "n"), "次"),
        Series("receptions", "接待群众", series(receptions, "n"), "人次"),
        Series("received", "受理群众意见", series(received, "n"), "件"),
        Series("answered", "办结反馈（按反馈本人时间）", series(answered, "n"), "件"),
        Series("on_time", "按时反馈率（当月反馈的意见中）", shares("on_time", "n"), "%", share=True),
        Series(
            "satisfied", "满意率（当月反馈中表示“满意”的）", shares("satisfied", "rated"), "%", share=True
        ),
    ]
