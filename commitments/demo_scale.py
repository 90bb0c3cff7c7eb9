"""The commitments app's part of the district-sized data set (`seed_demo --scale district`).

Per village or community: last year's four annual items, voted, published and closed by a graded,
published assessment (tallies by the six voter groups); this year's four annual items and the new
term's two three-year items, published; an inspection; the year before last graded too, so that a
few committees are 不合格 two years running. About 70% of the party members have a personal promise
this year. Rows go in by bulk_create (no history events: the services write those one by one, and
the benchmark pages do not read them).
"""

from __future__ import annotations

import datetime

from commitments import rules
from commitments.demo import COMMITTEE_ITEMS, PARTY_ITEMS, TALLIES, TERM_ITEMS, _split
from commitments.models import (
    Assessment,
    AssessmentTally,
    Commitment,
    Completion,
    Inspection,
    PersonalCommitment,
    Scope,
    Subject,
    Vote,
)
from commitments.rules import Grade, VoteResult
from commitments.states import State
from liaison.demo.scale import ScaleContext, batched_create

GRADES = ((Grade.EXCELLENT, 25), (Grade.PASS, 50), (Grade.BASIC, 15), (Grade.FAIL, 10))
PERSONAL_SHARE = 0.7


def _item(village, subject, item, year, scope, state, today) -> Commitment:
    end = year if scope == Scope.ANNUAL else rules.term_end_year(year)
    return Commitment(
        organisation=village.organisation,
        subject=subject,
        direction=item.direction,
        scope=scope,
        year=year,
        end_year=end,
        area=item.area,
        title=item.title,
        content=item.content,
        target=item.target,
        deadline=datetime.date(end, 11, 30),
        responsible="村（居）委会主任" if subject == Subject.COMMITTEE else "党组织书记",
        state=state,
        completion=Completion.DONE if state == State.ASSESSED else "",
        approved_on=datetime.date(year, 1, 27),
        published_on=datetime.date(year, 2, 3),
    )


def seed_scale(ctx: ScaleContext) -> str:
    today = ctx.today
    year, last = today.year, today.year - 1
    rng = ctx.rng("commitments")
    grades, weights = zip(*GRADES, strict=True)
    items: list[Commitment] = []
    for index, village in enumerate(ctx.villages):
        for subject, library in ((Subject.PARTY, PARTY_ITEMS), (Subject.COMMITTEE, COMMITTEE_ITEMS)):
            for n in range(2):
                items.append(
                    _item(
                        village,
                        subject,
                        library[(index + n * 3) % 6],
                        last,
                        Scope.ANNUAL,
                        State.ASSESSED,
                        today,
                    )
                )
                if datetime.date(year, 2, 3) <= today:
                    items.append(
                        _item(
                            village,
                            subject,
                            library[(index + 2 + n * 3) % 6],
                            year,
                            Scope.ANNUAL,
                            State.PUBLISHED,
                            today,
                        )
                    )
            if datetime.date(year, 2, 3) <= today:
                items.append(
                    _item(village, subject, TERM_ITEMS[subject], year, Scope.TERM, State.PUBLISHED, today)
                )
    made = batched_create(Commitment, items)
    votes = []
    for commitment in made:
        cast = rng.randint(60, 100)
        reject = rng.randint(0, cast // 10)
        votes.append(
            Vote(
                commitment=commitment,
                held_on=datetime.date(commitment.year, 1, 18),
                body="joint",
                eligible=cast + rng.randint(0, 8),
                approve=cast - reject,
                reject=reject,
                abstain=0,
                result=VoteResult.ADOPTED,
            )
        )
    batched_create(Vote, votes)
    assessments, tally_rows = [], []
    for village in ctx.villages:
        before = rng.choices(grades, weights)[0]
        for assessed_year, grade in ((last - 1, before), (last, rng.choices(grades, weights)[0])):
            counts = TALLIES[grade]
            assessments.append(
                Assessment(
                    organisation=village.organisation,
                    year=assessed_year,
                    report_on=datetime.date(assessed_year, 12, 20),
                    satisfied=counts[0],
                    basically_satisfied=counts[1],
                    dissatisfied=counts[2],
                    measured_grade=grade,
                    field_check_on=datetime.date(assessed_year, 12, 23),
                    field_check_team="镇干部、党员代表、村（居）民代表",
                    field_check_findings="对照承诺逐项实地查看。",
                    final_grade=grade,
                    finalised_on=datetime.date(assessed_year, 12, 28),
                    rectification_deadline=datetime.date(assessed_year + 1, 3, 31)
                    if grade == Grade.FAIL
                    else None,
                    published_on=datetime.date(assessed_year, 12, 30),
                )
            )
    saved = batched_create(Assessment, assessments)
    for assessment in saved:
        counts = (assessment.satisfied, assessment.basically_satisfied, assessment.dissatisfied)
        for group, (s, b, d) in _split(counts, 1).items():
            tally_rows.append(
                AssessmentTally(
                    assessment=assessment, group=group, satisfied=s, basically_satisfied=b, dissatisfied=d
                )
            )
    batched_create(AssessmentTally, tally_rows)
    inspections = [
        Inspection(
            organisation=village.organisation,
            year=year,
            date=min(datetime.date(year, 5, 20), today),
            inspectors="镇组织办工作人员，党员代表、群众代表",
            findings="对照承诺查看台账和现场，进度符合计划。",
        )
        for village in ctx.villages
    ]
    batched_create(Inspection, inspections)
    personal = []
    start = datetime.date(year, 2, 15)
    if start <= today:
        for village in ctx.villages:
            for member_id in village.member_ids:
                if rng.random() < PERSONAL_SHARE:
                    personal.append(
                        PersonalCommitment(
                            member_id=member_id,
                            year=year,
                            slot=1,
                            content="为群众办一件实事",
                            deadline=datetime.date(year, 10, 31),
                            publicised_on=start,
                        )
                    )
    batched_create(PersonalCommitment, personal)
    return (
        f"承诺践诺：承诺 {len(made)} 项，表决 {len(votes)} 次，考核评诺 {len(saved)} 次，"
        f"党员承诺 {len(personal)} 件"
    )
