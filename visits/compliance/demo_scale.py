"""The compliance part of the district-sized data set (`seed_demo --scale district`), after the visits.

Per village: its current term (begun a year ago), a 民情分析会 in most of the last twelve months, each
linked to a few of that month's visits that brought a problem. Posts stand in for the leaders the
scale data set does not draw (as members/demo_scale.py does for 联系点): eight of each township's
members sit on its committee, each village's first member is its branch secretary, every third of them
a 党代会代表. Talks for all of them and 驻村 stays for the township committees.
"""

from __future__ import annotations

import datetime

from liaison.demo.scale import ScaleContext, batched_create
from members.models import Position
from visits.compliance.demo import ANALYSES, DECISIONS, RESEARCH_TOPICS, TALK_TOPICS
from visits.compliance.meetings import month_bounds
from visits.models import AnalysisMeeting, FieldResearch, Talk, Term, Visit
from visits.models.meetings import first_of_month

COMMITTEE = 8
MEETING_SHARE = 0.92
VISITS_PER_MEETING = 3


def seed_scale(ctx: ScaleContext) -> str:
    today = ctx.today
    elected = first_of_month(today - datetime.timedelta(days=395))
    ends = elected.replace(year=elected.year + 5) - datetime.timedelta(days=1)
    batched_create(
        Term,
        (
            Term(organisation=v.organisation, name="第十二届", elected_on=elected, ends_on=ends)
            for v in ctx.villages
        ),
    )
    meetings = _meetings(ctx, today)
    positions, committee = _positions(ctx)
    talks = _talks(ctx, positions, today)
    days = _stays(ctx, committee, today)
    ctx.counts.update(meetings=meetings, talks=talks)
    return f"走访落实：两委届期 {len(ctx.villages)} 个，民情分析会 {meetings} 次，任职 {len(positions)} 个，谈心谈话 {talks} 次，驻村 {days} 天"


def _months(today: datetime.date) -> list[datetime.date]:
    months, month = [], first_of_month(today)
    for _ in range(12):
        month = first_of_month(month - datetime.timedelta(days=1))
        months.append(month)
    return months


def _meetings(ctx: ScaleContext, today: datetime.date) -> int:
    months = _months(today)
    start, end = month_bounds(months[-1])[0], month_bounds(months[0])[1]
    # Each village's visits with a problem over the year, in one query per village (ids and dates only).
    total = 0
    for village in ctx.villages:
        rng = ctx.rng(f"meetings:{village.organisation.code}")
        asked: dict[datetime.date, list[int]] = {}
        for pk, day in (
            Visit.objects.filter(
                organisation=village.organisation, visited_on__gte=start, visited_on__lte=end
            )
            .exclude(problem="")
            .values_list("pk", "visited_on")
            .order_by("visited_on", "pk")
        ):
            asked.setdefault(first_of_month(day), []).append(pk)
        rows, picks = [], []
        for month in months:
            if rng.random() > MEETING_SHARE:
                continue
            first, last = month_bounds(month)
            rows.append(
                AnalysisMeeting(
                    organisation=village.organisation,
                    held_on=min(last, first + datetime.timedelta(days=rng.randint(20, 27))),
                    month=month,
                    place="便民服务中心会议室",
                    analysis=rng.choice(ANALYSES).format(n=rng.randint(3, 9), m=rng.randint(0, 3)),
                    decisions=rng.choice(DECISIONS),
                )
            )
            picks.append(asked.get(month, [])[:VISITS_PER_MEETING])
        rows = AnalysisMeeting.objects.bulk_create(rows)
        through = AnalysisMeeting.visits.through
        through.objects.bulk_create(
            [
                through(analysismeeting_id=m.pk, visit_id=v)
                for m, ids in zip(rows, picks, strict=True)
                for v in ids
            ]
        )
        total += len(rows)
    return total


def _positions(ctx: ScaleContext) -> tuple[list[Position], list[int]]:
    rows, committee = [], []
    by_township: dict[int, list[int]] = {}
    for village in ctx.villages:
        if not village.member_ids:
            continue
        by_township.setdefault(village.township.pk, []).extend(village.member_ids[1:3])
        secretary = village.member_ids[0]
        rows.append(
            Position(
                member_id=secretary,
                organisation=village.branches[0],
                role=Position.Role.SECRETARY,
                start_date=datetime.date(2021, 10, 1),
            )
        )
        if len(rows) % 3 == 0:
            rows.append(
                Position(
                    member_id=secretary,
                    organisation=village.township,
                    role=Position.Role.DELEGATE,
                    start_date=datetime.date(2021, 12, 20),
                )
            )
    for township_id, ids in by_township.items():
        for index, member_id in enumerate(ids[:COMMITTEE]):
            committee.append(member_id)
            rows.append(
                Position(
                    member_id=member_id,
                    organisation_id=township_id,
                    role=Position.Role.SECRETARY if index == 0 else Position.Role.LEADERSHIP,
                    start_date=datetime.date(2021, 10, 1),
                )
            )
    return batched_create(Position, rows), committee


def _talks(ctx: ScaleContext, positions: list[Position], today: datetime.date) -> int:
    rng = ctx.rng("talks")
    rows = []
    for member_id in sorted({p.member_id for p in positions}):
        for _ in range(rng.randint(1, 4)):
            _, form, counterpart, summary = rng.choice(TALK_TOPICS)
            rows.append(
                Talk(
                    leader_id=member_id,
                    form=form,
                    talked_on=today - datetime.timedelta(days=rng.randrange(365)),
                    counterpart=counterpart,
                    participants=rng.randint(6, 20) if form == "group" else None,
                    summary=summary,
                )
            )
    return len(batched_create(Talk, rows))


def _stays(ctx: ScaleContext, committee: list[int], today: datetime.date) -> int:
    rng = ctx.rng("stays")
    villages = [v.organisation for v in ctx.villages]
    rows, days = [], 0
    for member_id in committee:
        day = datetime.date(today.year, 1, 6)
        while True:
            length = rng.randint(3, 7)
            end = day + datetime.timedelta(days=length - 1)
            if end >= today or end.year != today.year:
                break
            rows.append(
                FieldResearch(
                    leader_id=member_id,
                    village=rng.choice(villages),
                    started_on=day,
                    ended_on=end,
                    days=length,
                    topic=rng.choice(RESEARCH_TOPICS),
                )
            )
            days += length
            day = end + datetime.timedelta(days=rng.randint(1, 6))
    batched_create(FieldResearch, rows)
    return days
