"""The feedback app's part of the district-sized data set (`seed_demo --scale district`).

Opinions at about 0.15 a household a year (60,000 in the district), received over the last year,
numbered per organisation and year as the register numbers them, with their 1234 deadlines counted
by the same function the services use. Most are closed on time; a share is closed late, a share is
still being handled, and a share is overdue (the dashboard and `?overdue=1` need them).

Reception days and receptions (seed_receptions): every township's and village's year as published,
about 15,000 receptions a year on the held half-days.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from feedback import reception_rules as rr
from feedback import rules
from feedback.demo import ISSUES
from feedback.models import (
    Opinion,
    PlaceKind,
    Reception,
    ReceptionSession,
    Satisfaction,
    SessionKind,
    SessionStatus,
)
from feedback.models.receptions import HALF_DAY_HOURS
from feedback.reception_demo import MATTERS
from feedback.services.common import OPINION_SEQUENCE, compute_deadline
from feedback.states import State
from liaison.demo.scale import (
    DISTRICT_HOUSEHOLDS,
    OPINIONS_PER_HOUSEHOLD,
    ScaleContext,
    Village,
    batched_create,
    cached_initials,
)
from liaison.models import Organisation
from liaison.models.sequences import Sequence
from liaison.quotas import quota_rule
from liaison.workcal import StatutoryCalendar
from members.models import Position

# Shares of the stages an opinion has reached, by weight.
STAGES = (
    ("closed", 78),
    ("closed_late", 6),
    ("answered", 4),
    ("in_progress", 7),
    ("registered", 5),
)
OPEN_FOR_DAYS = 45
SATISFACTION = ((Satisfaction.SATISFIED, 85), (Satisfaction.BASICALLY, 12), (Satisfaction.DISSATISFIED, 3))


def seed_scale(ctx: ScaleContext) -> str:
    workcal = StatutoryCalendar()
    today = ctx.today
    stages, stage_weights = zip(*STAGES, strict=True)
    satisfactions, satisfaction_weights = zip(*SATISFACTION, strict=True)
    total = overdue = 0
    numbers: dict[tuple[int, int], int] = {}
    for village in ctx.villages:
        rng = ctx.rng(f"opinions:{village.organisation.code}")
        if not village.reporters:
            continue
        count = round(len(village.household_ids) * OPINIONS_PER_HOUSEHOLD)
        received = sorted(today - datetime.timedelta(days=rng.randrange(365)) for _ in range(count))
        rows = []
        for day in received:
            issue = rng.choice(ISSUES)
            name, address, phone = rng.choice(village.reporters)
            deadline = compute_deadline(day, issue.category, workcal=workcal)
            stage = rng.choices(stages, stage_weights)[0]
            if (
                stage in ("in_progress", "registered")
                and (today - day).days > OPEN_FOR_DAYS
                and rng.random() < 0.9
            ):
                stage = "closed"  # most of what is still open came in lately: a share is overdue
            late = stage == "closed_late"
            done = deadline.due + datetime.timedelta(days=rng.randint(1, 5)) if late else None
            if done is None:
                span = max(0, (deadline.due - day).days - 1)
                done = day + datetime.timedelta(days=rng.randint(0, span))
            finished = stage in ("closed", "closed_late", "answered") and done <= today
            fed_back = (
                min(done + datetime.timedelta(days=1), deadline.due if not late else done)
                if finished
                else None
            )
            state = {
                "closed": State.CLOSED,
                "closed_late": State.CLOSED,
                "answered": State.ANSWERED,
                "in_progress": State.IN_PROGRESS,
                "registered": State.REGISTERED,
            }[stage]
            if not finished and state in (State.CLOSED, State.ANSWERED):
                state = State.IN_PROGRESS
            if stage == "answered" and fed_back and fed_back > today:
                fed_back = None
            closed = state == State.CLOSED
            key = (village.organisation.pk, day.year)
            numbers[key] = numbers.get(key, 0) + 1
            opinion = Opinion(
                organisation=village.organisation,
                year=day.year,
                number=numbers[key],
                received_on=day,
                channel=issue.channel,
                reporter_name=name,
                reporter_initials=cached_initials(name),  # as Opinion.save()
                reporter_address=address,
                reporter_phone=phone,
                subject=issue.subject,
                content=issue.content,
                category=issue.category,
                deadline_mode=deadline.mode,
                original_due_date=deadline.due,
                due_date=deadline.due,
                due_date_provisional=deadline.provisional,
                due_soon_from=rules.due_soon_from(day, deadline.due),
                responsible=village.clerk,
                handler=village.clerk,
                handling_opinion=issue.handling,
                result=issue.result if finished else "",
                result_on=done if finished else None,
                feedback_contact=village.clerk.full_name if finished else "",
                feedback_on=fed_back if closed else None,
                feedback_method="in_person" if closed else "",
                feedback_signer=name if closed else "",
                satisfaction=rng.choices(satisfactions, satisfaction_weights)[0] if closed else "",
                state=state,
                created_by=village.clerk,
            )
            if opinion.feedback_on is None and not closed and opinion.due_date < today:
                overdue += 1
            rows.append(opinion)
        batched_create(Opinion, rows)
        total += len(rows)
    Sequence.objects.bulk_create(
        [
            Sequence(organisation_id=org, year=year, kind=OPINION_SEQUENCE, last=last)
            for (org, year), last in numbers.items()
        ]
    )
    ctx.counts.update(opinions=total, overdue_opinions=overdue)
    return f"群众意见：{total} 件，其中逾期未反馈 {overdue} 件；{seed_receptions(ctx)}"


# DESIGN.md "Scale": 15,000 receptions a year in a district of 400,000 households.
RECEPTIONS_PER_HOUSEHOLD = 15_000 / DISTRICT_HOUSEHOLDS
MISSED_EVERY = 10  # about one published half-day in ten is missed, as in the small demo
MARKET_EVERY = 4  # every fourth village receives on its township's market days (赶场)
MARKETS = ("147", "258", "369")


def _committee(ctx: ScaleContext) -> dict[int, list[tuple[int, str]]]:
    """Each organisation's receivers as (member id, 职务): a village's 书记 and two 委员 from its members,
    a township's from the members of its first village (the members demo places nobody at a township),
    with their Position rows, so the receiver lookups find them as the services would."""
    start = datetime.date(ctx.today.year - 4, 10, 1)
    receivers: dict[int, list[tuple[int, str]]] = {}
    positions = []
    first_village: dict[int, Village] = {}
    for village in ctx.villages:
        first_village.setdefault(village.township.pk, village)
        ids = village.member_ids[:3]
        if not ids:
            continue
        word = "社区" if village.organisation.level == Organisation.Level.COMMUNITY else "村"
        titles = [f"{word}党组织书记"] + [f"{word}党组织委员"] * (len(ids) - 1)
        receivers[village.organisation.pk] = list(zip(ids, titles, strict=True))
        for number, member_id in enumerate(ids):
            role = Position.Role.SECRETARY if number == 0 else Position.Role.COMMITTEE
            positions.append(
                Position(member_id=member_id, organisation=village.organisation, role=role, start_date=start)
            )
    for township in ctx.townships:
        village = first_village.get(township.pk)
        ids = village.member_ids[3:6] if village else []
        if not ids:
            continue
        titles = ["党委书记"] + ["党委委员"] * (len(ids) - 1)
        receivers[township.pk] = list(zip(ids, titles, strict=True))
        for number, member_id in enumerate(ids):
            role = Position.Role.SECRETARY if number == 0 else Position.Role.COMMITTEE
            positions.append(
                Position(member_id=member_id, organisation=township, role=role, start_date=start)
            )
    batched_create(Position, positions)
    return receivers


def seed_receptions(ctx: ScaleContext) -> str:
    """A year of published reception days for every township and village (the quota's pattern and the
    rotation of reception_rules.plan_year, as the generator proposes them), the past ones held or
    missed, and about 15,000 receptions on the held ones, each visitor one of the village's residents."""
    workcal = StatutoryCalendar(provisional=True)
    today = ctx.today
    year = today.year
    published_at = timezone.make_aware(datetime.datetime(year - 1, 12, 20, 9))
    receivers = _committee(ctx)
    villages = {v.organisation.pk: v for v in ctx.villages}
    rules_of = {code: quota_rule(code) for code in set(rr.QUOTA_OF_LEVEL.values())}
    sessions_total = receptions_total = 0
    for index, organisation in enumerate([*ctx.townships, *(v.organisation for v in ctx.villages)]):
        people = receivers.get(organisation.pk)
        if not people:
            continue
        rng = ctx.rng(f"receptions:{organisation.code}")
        rule = rules_of[rr.QUOTA_OF_LEVEL[organisation.level]]
        grassroots = organisation.level in Organisation.GRASSROOTS_LEVELS
        market = MARKETS[index % 3] if grassroots and index % MARKET_EVERY == 0 else ""
        plan = rr.plan_year(
            year,
            period=rule.period,
            per_period=rr.whole(rule.minimum),
            members=len(people) - 1,
            rotation=rr.ROTATE_ONE if grassroots else rr.ROTATE_EACH,
            pattern=rr.Pattern(weekday=index % 5, market=market),
            is_workday=workcal.is_workday,
        )
        phone = f"023-628{index // 100 % 10}{index % 100:02d}{index % 7}"[:13]
        rows = []
        for number, slot in enumerate(plan.slots):
            member_id, title = people[slot.receiver]
            status = SessionStatus.PUBLISHED
            if slot.day < today:
                status = (
                    SessionStatus.MISSED if number % MISSED_EVERY == MISSED_EVERY - 1 else SessionStatus.HELD
                )
            begin, finish = HALF_DAY_HOURS[slot.half]
            at_market = slot.at_market
            rows.append(
                ReceptionSession(
                    organisation=organisation,
                    kind=SessionKind.SECRETARY if slot.receiver == 0 else SessionKind.MEMBER,
                    date=slot.day,
                    half_day=slot.half,
                    start_time=begin,
                    end_time=finish,
                    place_kind=PlaceKind.MARKET
                    if at_market
                    else (PlaceKind.SERVICE_CENTRE if grassroots else PlaceKind.PETITION_OFFICE),
                    place=f"{organisation.short_name or organisation.name}"
                    + ("场镇农贸市场旁" if at_market else ("便民服务中心" if grassroots else "信访接待室")),
                    receiver_id=member_id,
                    receiver_title=title,
                    phone=phone,
                    status=status,
                    published_at=published_at,
                    outcome_note="接待人参加防汛工作会议，未按期接待，已在下周补接待。"
                    if status == SessionStatus.MISSED
                    else "",
                )
            )
        sessions = batched_create(ReceptionSession, rows)
        sessions_total += len(sessions)
        village = villages.get(organisation.pk)
        held = [s for s in sessions if s.status == SessionStatus.HELD]
        if village is None or not village.reporters or not held:
            continue
        # a whole year's share of the district's 15,000, on the half-days held so far
        count = round(
            len(village.household_ids) * RECEPTIONS_PER_HOUSEHOLD * len(held) / max(len(sessions), 1)
        )
        made = []
        for _ in range(count):
            session = rng.choice(held)
            name, address, phone_number = rng.choice(village.reporters)
            subject, cause, request, handling, note, opinion = rng.choice(MATTERS)[:6]
            made.append(
                Reception(
                    organisation=organisation,
                    session=session,
                    received_on=session.date,
                    receiver_id=session.receiver_id,
                    receiver_title=session.receiver_title,
                    visitor_name=name,
                    visitor_initials=cached_initials(name),  # as Reception.save()
                    visitor_gender=rng.choice(("M", "F")),
                    visitor_age=rng.randint(25, 85),
                    visitor_address=address,
                    visitor_phone=phone_number,
                    account=f"{name}到{session.place}反映：{cause}",
                    matter=subject,
                    cause=cause,
                    request=request,
                    handling=handling,
                    handling_note=note,
                    visitor_opinion=opinion,
                    signed_on=session.date,
                    created_by=village.clerk,
                )
            )
        batched_create(Reception, made)
        receptions_total += len(made)
    ctx.counts.update(reception_sessions=sessions_total, receptions=receptions_total)
    return f"接待日：{sessions_total} 个（已公布），接待登记 {receptions_total} 条"
