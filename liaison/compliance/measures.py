"""The three shapes a rule's measure takes, each one grouped SQL statement over the domain tables:

- `per_subject`: each subject (a post, a pairing, a unit pairing, a village) has an `achieved` figure
  annotated in SQL (a correlated COUNT or SUM); the subjects are counted per owning organisation
  against the rule's minimum and against what is due so far;
- `per_period`: a village's weeks or months (reception days, 民情分析会): the held records are grouped
  by organisation and period, the periods reaching the minimum counted per organisation;
- a rule of its own (coverage per term, opinions on time) writes its own statement in its module.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from liaison.compliance.core import PRO_RATA, Context, Counts

YEAR, MONTH, WEEK = "year", "month", "week"


def per_subject(
    ctx: Context,
    code: str,
    subjects: QuerySet,
    owner: str,
    *,
    pace: str = PRO_RATA,
    money: bool = False,
    owner_path: str | None = None,
) -> dict[int, Counts]:
    """`subjects` annotated with `achieved`; `owner` the lookup to the Organisation each belongs to
    (`owner_path` the lookup to its path, when the subjects are organisations themselves)."""
    owner_path = owner_path or f"{owner}__path"
    minimum = ctx.threshold(code, owner_path, money=money)
    due = ctx.threshold(code, owner_path, pace=pace, money=money)
    rows = (
        subjects.order_by()
        .values(owner)
        .annotate(
            required=Count("pk"),
            done=Count("pk", filter=Q(achieved__gte=minimum)),
            on_pace=Count("pk", filter=Q(achieved__gte=due)),
        )
        .values_list(owner, "required", "done", "on_pace")
    )
    found = {}
    for org_id, required, done, on_pace in rows:
        missed = required - done if ctx.over else 0
        found[org_id] = Counts(required, done, on_pace, missed)
    return found


def bucket(field: str, period: str, spans: list[tuple[datetime.date, datetime.date]]):
    """The period of the year a date falls in, as a number that grows through the year: 0 for a yearly
    rule, the month, or the week (Monday to Sunday, cut at the year's ends: the days of January in the
    last ISO week of the year before are week 0, the days of December in ISO week 1 are week 54).

    Written as a CASE over the year's periods (`spans`, from `periods`), each numbered by `bucket_of` its
    first day: a period's days share one number. SQLite computed the week with Django's date-extract
    function, which is Python, three times a row: the district's 30,000 reception days, 283-363 ms."""
    if period == YEAR:
        return Value(0, output_field=IntegerField())
    return Case(
        *(When(**{f"{field}__lte": end}, then=Value(bucket_of(start, period))) for start, end in spans),
        default=None,
        output_field=IntegerField(),
    )


def bucket_of(day: datetime.date, period: str) -> int:
    """The same numbering in Python."""
    if period == YEAR:
        return 0
    if period == MONTH:
        return day.month
    week = day.isocalendar().week
    if day.month == 1 and week >= 52:
        return 0
    if day.month == 12 and week == 1:
        return 54
    return week


def periods(year: int, period: str) -> list[tuple[datetime.date, datetime.date]]:
    from feedback.reception_rules import periods as cut  # the one definition of the year's weeks

    return cut(year, period)


def per_period(
    ctx: Context,
    code: str,
    held: QuerySet,
    date_field: str,
    subjects: dict[int, str],
    period: str,
) -> dict[int, Counts]:
    """`held`: the records that count (held sessions, meetings) of the subjects; `subjects`: organisation
    id → path of each organisation held to the rule. A period is done when its records reach the
    minimum; a period over without it is missed; one still to come, or running, is on pace."""
    spans = periods(ctx.year, period)
    ended = [start for start, end in spans if end < ctx.today]
    last_ended = bucket_of(ended[-1], period) if ended else -1
    minimum = ctx.threshold(code, "organisation__path")
    grouped = (
        held.order_by()
        .annotate(owner=F("organisation"), bucket=bucket(date_field, period, spans))
        .values("owner", "organisation__path", "bucket")
        .annotate(n=Count("pk"))
        .filter(n__gte=minimum)
        .values("owner", "bucket")
    )
    inner, params = grouped.query.sql_with_params()
    sql = (
        "SELECT t.owner, COUNT(*), SUM(CASE WHEN t.bucket <= %s THEN 1 ELSE 0 END) "
        f"FROM ({inner}) t GROUP BY t.owner"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [last_ended, *params])
        met = {org_id: (int(done), int(done_ended or 0)) for org_id, done, done_ended in cursor.fetchall()}
    found = {}
    for org_id in subjects:
        done, done_ended = met.get(org_id, (0, 0))
        found[org_id] = Counts(
            required=len(spans),
            done=done,
            on_pace=done_ended + len(spans) - len(ended),
            missed=len(ended) - done_ended,
        )
    return found
