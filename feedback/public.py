"""The reception days' section of /public/ (the 三公开: time, place and phone, 004 四、接待程序 一是发布公告),
and the monthly notice (公告) for the 党务公开栏.

Only what was published: date, half-day and hours, place, the receiver's name and 职务, and the
public phone. Nothing of any visitor, resident or reception; drafts never show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from feedback import reception_rules as rr
from feedback.models import ReceptionSession
from liaison.models import Organisation

PUBLIC_FIELDS = (
    "id",
    "date",
    "half_day",
    "start_time",
    "end_time",
    "place",
    "receiver_title",
    "phone",
    "kind",
    "organisation__id",
    "organisation__name",
    "organisation__path",
    "receiver__name",
)


@dataclass
class Group:
    organisation: Organisation
    sessions: list[ReceptionSession] = field(default_factory=list)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=6)


def month_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    return rr.periods(day.year, rr.MONTH)[day.month - 1]


def published_sessions(
    organisation: Organisation | None, start: datetime.date, end: datetime.date
) -> QuerySet:
    """Published sessions of an organisation (a township: with its villages), or, with None, the
    district's and the townships' own (the villages are one choice away: a district has hundreds)."""
    queryset = ReceptionSession.objects.published().filter(date__gte=start, date__lte=end)
    if organisation is None:
        queryset = queryset.filter(
            organisation__level__in=[Organisation.Level.DISTRICT, Organisation.Level.TOWNSHIP]
        )
    elif organisation.level == Organisation.Level.TOWNSHIP:
        queryset = queryset.filter(organisation__path__startswith=organisation.path)
    else:
        queryset = queryset.filter(organisation=organisation)
    return (
        queryset.select_related("organisation", "receiver")
        .only(*PUBLIC_FIELDS)
        .order_by("organisation__path", "date", "start_time", "id")
    )


WEEKDAYS = "一二三四五六日"


def with_when(sessions: list[ReceptionSession]) -> list[ReceptionSession]:
    """The time line of each session written once in Python ("12月1日（星期二）上午 09:00—12:00"): a
    township's month lists a few hundred half-days, and the week repeats them; template filters per
    field made the page render in 270 ms at 40,000 households under load."""
    labels = dict(ReceptionSession._meta.get_field("half_day").flatchoices)
    for s in sessions:
        s.when = (
            f"{s.date.month}月{s.date.day}日（星期{WEEKDAYS[s.date.weekday()]}）{labels.get(s.half_day, '')} "
            f"{s.start_time:%H:%M}—{s.end_time:%H:%M}"
        )
    return sessions


def grouped(sessions) -> list[Group]:
    return [
        Group(organisation=rows[0].organisation, sessions=rows)
        for rows in (list(g) for _, g in groupby(sessions, key=lambda s: s.organisation_id))
    ]


def reception_section(request, organisation: Organisation | None = None, **_) -> str:
    today = timezone.localdate()
    week_start, week_end = week_of(today)
    month_start, month_end = month_of(today)
    start, end = min(week_start, month_start), max(week_end, month_end)
    sessions = with_when(list(published_sessions(organisation, start, end)))
    week = [s for s in sessions if week_start <= s.date <= week_end]
    month = [s for s in sessions if month_start <= s.date <= month_end]
    return render_to_string(
        "feedback/public/section.html",
        {
            "organisation": organisation,
            "today": today,
            "week": grouped(week),
            "month": grouped(month),
            "week_start": week_start,
            "week_end": week_end,
            "month_start": month_start,
            "notices": sorted(
                {(g.organisation.pk, g.organisation.name) for g in grouped(month)}, key=lambda x: x[1]
            ),
        },
        request=request,
    )
