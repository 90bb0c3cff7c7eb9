"""考核评诺 (004 四（六）, 五): 述职 and the anonymous 满意度测评 → the 考察组's field check → the
综合考评 grade → publication; 限期整改 when dissatisfaction exceeds half or the grade is 不合格.

All of it is the township's (scope.is_above): a 两委会 never grades itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from commitments import rules
from commitments.models import Assessment, AssessmentTally, Commitment, Completion, EventKind, VoterGroup
from commitments.services.common import (
    actor,
    log,
    move,
    refuse_unless,
    require_not_future,
    require_township,
    save,
    today_of,
)
from commitments.states import Action, State
from liaison.models import Organisation

NOT_PUBLISHED = "该村（社区）{year}年的承诺尚未公开，不能考核评诺：请先完成民主定诺、镇街批准和公开承诺。"
NOT_GRASSROOTS = "考核评诺的对象是村（社区）“两委会”：请选择村或社区。"
ALREADY_FINAL = "该年度已形成综合考评结果，测评票和考察情况不能再修改。"
TALLIES_EMPTY = "测评票数合计为 0，无法评定等次：请按测评对象填写满意、基本满意、不满意票数。"
TALLY_NEGATIVE = "票数不能为负数。"
NO_TALLIES_YET = "尚未录入满意度测评票，不能形成综合考评结果。"
NO_FIELD_CHECK = "考察组尚未实地考察，不能形成综合考评结果。"
RECTIFY_NEEDS_DEADLINE = "不满意率超过50％或综合考评不合格，须限期整改：请填写整改期限。"
RECTIFY_AFTER_FINAL = "整改期限应晚于评定日期（{date}）。"
DIFFERENT_GRADE_NEEDS_NOTE = "综合考评结果与满意度测评等次（{measured}）不同，请在综合考评意见中说明理由。"
NOT_FINAL = "尚未形成综合考评结果，不能公布。"
PUBLISHED_BEFORE_FINAL = "公布日期不能早于评定日期（{date}）。"
REPORT_BEFORE_YEAR = "述职日期应在{year}年底或次年初。"
CHECK_BEFORE_REPORT = "实地考察日期不能早于述职日期（{date}）。"
FINAL_BEFORE_CHECK = "评定日期不能早于实地考察日期（{date}）。"
YEAR_RANGE = "年度应在2000年至今年之间。"
STALE = "该考核评诺已被他人修改，请刷新页面核对后再提交。"

Tally = tuple[int, int, int]


def published_for(organisation: Organisation, year: int):
    """What the 两委会 publicly promised for `year`: the items an assessment is held on."""
    return Commitment.objects.filter(
        organisation=organisation,
        state__in=[State.PUBLISHED, State.ASSESSED],
        year__lte=year,
        end_year__gte=year,
    )


def _lock(assessment: Assessment | int, version: int | None = None) -> Assessment:
    pk = assessment.pk if isinstance(assessment, Assessment) else assessment
    current = Assessment.objects.select_for_update().select_related("organisation").get(pk=pk)
    if version is not None and int(version) != current.version:
        raise ValidationError(STALE, code="stale")
    return current


def check_tallies(tallies: Mapping[str, Tally]) -> tuple[int, int, int]:
    errors: dict[str, list[str]] = {}
    totals = [0, 0, 0]
    for group, counts in tallies.items():
        VoterGroup(group)
        if any(count is None or count < 0 for count in counts):
            errors.setdefault(f"{group}", []).append(TALLY_NEGATIVE)
            continue
        for index, count in enumerate(counts):
            totals[index] += count
    if errors:
        raise ValidationError(errors)
    if sum(totals) == 0:
        raise ValidationError(TALLIES_EMPTY, code="empty")
    return totals[0], totals[1], totals[2]


@transaction.atomic
def assessment_record(
    *,
    user,
    organisation: Organisation,
    year: int,
    report_on: datetime.date,
    tallies: Mapping[str, Tally],
    meeting: str = "",
    version: int | None = None,
    now: datetime.datetime | None = None,
) -> Assessment:
    """述职 and 满意度测评: the tallies by voter group (counts only), graded by rules.grade."""
    now, today = today_of(now)
    require_township(user, organisation)
    if not organisation.is_grassroots:
        raise ValidationError({"organisation": NOT_GRASSROOTS})
    if not 2000 <= int(year) <= today.year:
        raise ValidationError({"year": YEAR_RANGE})
    if not published_for(organisation, year).exists():
        raise ValidationError(NOT_PUBLISHED.format(year=year), code="not_published")
    require_not_future(report_on, today, "report_on")
    if report_on.year not in (year, year + 1):
        raise ValidationError({"report_on": REPORT_BEFORE_YEAR.format(year=year)})
    satisfied, basically, dissatisfied = check_tallies(tallies)
    existing = Assessment.objects.filter(organisation=organisation, year=year).first()
    assessment = _lock(existing, version) if existing else Assessment(organisation=organisation, year=year)
    if assessment.is_final:
        raise ValidationError(ALREADY_FINAL, code="final")
    assessment.report_on = report_on
    assessment.meeting = meeting.strip()
    assessment.satisfied, assessment.basically_satisfied, assessment.dissatisfied = (
        satisfied,
        basically,
        dissatisfied,
    )
    assessment.measured_grade = rules.grade(satisfied, basically, dissatisfied)
    if assessment.pk is None:
        assessment.created_by = actor(user)
    save(assessment)
    assessment.tallies.all().delete()
    AssessmentTally.objects.bulk_create(
        AssessmentTally(
            assessment=assessment, group=group, satisfied=s, basically_satisfied=b, dissatisfied=d
        )
        for group, (s, b, d) in tallies.items()
        if s or b or d
    )
    return assessment


@transaction.atomic
def assessment_field_check(
    *,
    user,
    assessment: Assessment | int,
    field_check_on: datetime.date,
    field_check_team: str,
    field_check_findings: str,
    completions: Mapping[int, tuple[str, str]],
    version: int | None = None,
    now: datetime.datetime | None = None,
) -> Assessment:
    """The 考察组 checks each published item on the spot (004 四（六）“对照承诺事项，实地考察”)."""
    now, today = today_of(now)
    assessment = _lock(assessment, version)
    require_township(user, assessment.organisation)
    if assessment.is_final:
        raise ValidationError(ALREADY_FINAL, code="final")
    require_not_future(field_check_on, today, "field_check_on")
    if field_check_on < assessment.report_on:
        raise ValidationError(
            {"field_check_on": CHECK_BEFORE_REPORT.format(date=f"{assessment.report_on:%Y-%m-%d}")}
        )
    items = {c.pk: c for c in published_for(assessment.organisation, assessment.year).select_for_update()}
    for pk, (completion, note) in completions.items():
        item = items.get(int(pk))
        if item is None or not completion:
            continue
        Completion(completion)
        refuse_unless(item, Action.CHECK)
        if (item.completion, item.completion_note) != (completion, note.strip()):
            item.completion, item.completion_note = completion, note.strip()
            save(item)
            log(
                item,
                user=user,
                kind=EventKind.CHECK,
                now=now,
                note=f"{Completion(completion).label}{('：' + note.strip()) if note.strip() else ''}",
            )
    assessment.field_check_on = field_check_on
    assessment.field_check_team = field_check_team.strip()
    assessment.field_check_findings = field_check_findings.strip()
    save(assessment)
    return assessment


@transaction.atomic
def assessment_finalise(
    *,
    user,
    assessment: Assessment | int,
    final_grade: str,
    finalised_on: datetime.date,
    final_note: str = "",
    rectification_deadline: datetime.date | None = None,
    rectification_note: str = "",
    version: int | None = None,
    now: datetime.datetime | None = None,
) -> Assessment:
    """综合考评: the township's grade. The year's annual items (and term items in their last year) are
    closed (考核评诺); 限期整改 needs a deadline (004 五)."""
    now, today = today_of(now)
    assessment = _lock(assessment, version)
    require_township(user, assessment.organisation)
    if assessment.is_final:
        raise ValidationError(ALREADY_FINAL, code="final")
    if not assessment.measured_grade:
        raise ValidationError(NO_TALLIES_YET, code="no_tallies")
    if assessment.field_check_on is None:
        raise ValidationError(NO_FIELD_CHECK, code="no_field_check")
    rules.Grade(final_grade)
    require_not_future(finalised_on, today, "finalised_on")
    if finalised_on < assessment.field_check_on:
        raise ValidationError(
            {"finalised_on": FINAL_BEFORE_CHECK.format(date=f"{assessment.field_check_on:%Y-%m-%d}")}
        )
    if final_grade != assessment.measured_grade and not final_note.strip():
        measured = rules.Grade(assessment.measured_grade).label
        raise ValidationError({"final_note": DIFFERENT_GRADE_NEEDS_NOTE.format(measured=measured)})
    flagged = rules.needs_rectification(
        assessment.satisfied, assessment.basically_satisfied, assessment.dissatisfied, final_grade
    )
    if flagged and rectification_deadline is None:
        raise ValidationError({"rectification_deadline": RECTIFY_NEEDS_DEADLINE})
    if rectification_deadline is not None and rectification_deadline <= finalised_on:
        raise ValidationError(
            {"rectification_deadline": RECTIFY_AFTER_FINAL.format(date=f"{finalised_on:%Y-%m-%d}")}
        )
    assessment.final_grade = final_grade
    assessment.final_note = final_note.strip()
    assessment.finalised_on = finalised_on
    assessment.finalised_by = actor(user)
    assessment.rectification_deadline = rectification_deadline
    assessment.rectification_note = rectification_note.strip()
    save(assessment)
    grade_label = rules.Grade(final_grade).label
    for item in (
        published_for(assessment.organisation, assessment.year)
        .filter(state=State.PUBLISHED, end_year=assessment.year)
        .select_for_update()
    ):
        states = move(item, Action.CLOSE)
        save(item)
        log(
            item,
            user=user,
            kind=EventKind.CLOSE,
            now=now,
            states=states,
            note=f"{assessment.year}年综合考评：{grade_label}",
        )
    return assessment


@transaction.atomic
def assessment_publish(
    *,
    user,
    assessment: Assessment | int,
    published_on: datetime.date,
    version: int | None = None,
    now: datetime.datetime | None = None,
) -> Assessment:
    """004 四（六）“并将结果向群众公布，接受监督”: from here it shows on /public/."""
    now, today = today_of(now)
    assessment = _lock(assessment, version)
    require_township(user, assessment.organisation)
    if not assessment.is_final:
        raise ValidationError(NOT_FINAL, code="not_final")
    require_not_future(published_on, today, "published_on")
    if published_on < assessment.finalised_on:
        raise ValidationError(
            {"published_on": PUBLISHED_BEFORE_FINAL.format(date=f"{assessment.finalised_on:%Y-%m-%d}")}
        )
    assessment.published_on = published_on
    save(assessment)
    return assessment
