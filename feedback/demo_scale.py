"""The feedback app's part of the district-sized data set (`seed_demo --scale district`).

Opinions at about 0.15 a household a year (60,000 in the district), received over the last year,
numbered per organisation and year as the register numbers them, with their 1234 deadlines counted
by the same function the services use. Most are closed on time; a share is closed late, a share is
still being handled, and a share is overdue (the dashboard and `?overdue=1` need them).
"""

from __future__ import annotations

import datetime

from feedback import rules
from feedback.demo import ISSUES
from feedback.models import Opinion, Satisfaction
from feedback.services.common import OPINION_SEQUENCE, compute_deadline
from feedback.states import State
from liaison.demo.scale import OPINIONS_PER_HOUSEHOLD, ScaleContext, batched_create, cached_initials
from liaison.models.sequences import Sequence
from liaison.workcal import StatutoryCalendar

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
    return f"群众意见：{total} 件，其中逾期未反馈 {overdue} 件"
