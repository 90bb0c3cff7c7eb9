"""Writes of terms, talks, stays and reports: keyword-only, atomic, every rule checked again here
(the forms offer only what is in scope; a tampered id or a script still meets these checks)."""

from __future__ import annotations

import datetime
import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from liaison.access.scoping import LEADER_OUT_OF_SCOPE, VILLAGE_OUT_OF_SCOPE, in_scope
from liaison.models import Organisation
from members.models import PartyMember
from members.services.common import Errors, check_not_future, full_clean, out_of_scope
from visits import coverage_rules as rules
from visits.models import FieldResearch, ResearchReport, Talk, Term
from visits.uploads import check_report_file

NOT_GRASSROOTS = "届期只能为村或社区录入。"
TERM_ENDS_BEFORE = "届满日期必须晚于换届选举日期。"
TERM_OVERLAPS = "与该村（社区）已录入的{name}（{start}—{end}）时间重叠：新一届应从上一届届满之后开始。"
TERM_DUPLICATE_NAME = "该村（社区）已录入过{name}。"
STAY_ENDS_BEFORE = "驻村结束日期不能早于开始日期。"
STAY_CROSSES_YEAR = (
    "驻村天数按年度统计：跨年度的驻村请分两条录入（本条到 12 月 31 日，下一条从 1 月 1 日起）。"
)
STAY_OVERLAPS = "与该调研人 {start}—{end} 在{village}的驻村记录重叠：同一天只能计算一次。"
STAY_NOT_VILLAGE = "驻点应为村或社区。"
REPORT_YEAR_FUTURE = "年度不能晚于今年。"
REPORT_BEFORE_YEAR = "报送日期不能早于报告年度。"
GROUP_NEEDS_COUNT = "集体座谈请填写参加人数。"


def _lock(organisation_or_member) -> None:
    """Serialise the writes that check for overlaps on one village or person (two clerks at once)."""
    type(organisation_or_member).objects.select_for_update().filter(pk=organisation_or_member.pk).first()


# -- terms ---------------------------------------------------------------------------------------------


@transaction.atomic
def term_save(
    *,
    user,
    term: Term | None,
    organisation: Organisation,
    name: str,
    elected_on: datetime.date,
    ends_on: datetime.date,
    notes: str = "",
) -> Term:
    errors = Errors()
    term = term or Term(created_by=user)
    if not in_scope(user, organisation):
        errors.add("organisation", VILLAGE_OUT_OF_SCOPE)
    elif not organisation.is_grassroots:
        errors.add("organisation", NOT_GRASSROOTS)
    check_not_future(errors, "elected_on", elected_on, timezone.localdate())
    if ends_on <= elected_on:
        errors.add("ends_on", TERM_ENDS_BEFORE)
    if not errors:
        _lock(organisation)
        others = Term.objects.filter(organisation=organisation).exclude(pk=term.pk)
        clash = others.filter(elected_on__lte=ends_on, ends_on__gte=elected_on).first()
        if clash:
            errors.add(
                "elected_on",
                TERM_OVERLAPS.format(
                    name=clash.name, start=f"{clash.elected_on:%Y-%m-%d}", end=f"{clash.ends_on:%Y-%m-%d}"
                ),
            )
        elif others.filter(name=name.strip()).exists():
            errors.add("name", TERM_DUPLICATE_NAME.format(name=name.strip()))
    errors.raise_if_any()
    term.organisation, term.name, term.notes = organisation, name.strip(), notes.strip()
    term.elected_on, term.ends_on = elected_on, ends_on
    full_clean(term)
    term.save()
    return term


# -- talks ---------------------------------------------------------------------------------------------


@transaction.atomic
def talk_save(
    *,
    user,
    talk: Talk | None,
    leader: PartyMember,
    form: str,
    talked_on: datetime.date,
    counterpart: str,
    summary: str,
    participants: int | None = None,
    place: str = "",
    follow_up: str = "",
) -> Talk:
    errors = Errors()
    talk = talk or Talk(created_by=user)
    if out_of_scope(user, [leader]) and leader.pk != talk.leader_id:
        errors.add("leader", LEADER_OUT_OF_SCOPE)
    check_not_future(errors, "talked_on", talked_on, timezone.localdate())
    if form == Talk.Form.GROUP and not participants:
        errors.add("participants", GROUP_NEEDS_COUNT)
    errors.raise_if_any()
    talk.leader, talk.form, talk.talked_on = leader, form, talked_on
    talk.counterpart, talk.summary = counterpart.strip(), summary.strip()
    talk.participants, talk.place, talk.follow_up = participants, place.strip(), follow_up.strip()
    full_clean(talk)
    talk.save()
    return talk


# -- field research ------------------------------------------------------------------------------------


@transaction.atomic
def research_save(
    *,
    user,
    research: FieldResearch | None,
    leader: PartyMember,
    village: Organisation,
    started_on: datetime.date,
    ended_on: datetime.date,
    topic: str,
    findings: str = "",
) -> FieldResearch:
    errors = Errors()
    research = research or FieldResearch(created_by=user)
    if out_of_scope(user, [leader]) and leader.pk != research.leader_id:
        errors.add("leader", LEADER_OUT_OF_SCOPE)
    if not village.is_grassroots:
        errors.add("village", STAY_NOT_VILLAGE)
    elif not in_scope(user, village) and village.pk != research.village_id:
        # README “跨范围的记录”: the side that holds both the leader and the village records the stay.
        errors.add("village", VILLAGE_OUT_OF_SCOPE)
    today = timezone.localdate()
    check_not_future(errors, "started_on", started_on, today)
    check_not_future(errors, "ended_on", ended_on, today)
    if ended_on < started_on:
        errors.add("ended_on", STAY_ENDS_BEFORE)
    elif ended_on.year != started_on.year:
        errors.add("ended_on", STAY_CROSSES_YEAR)
    if not errors:
        _lock(leader)
        for other in (
            FieldResearch.objects.filter(leader=leader, started_on__lte=ended_on, ended_on__gte=started_on)
            .exclude(pk=research.pk)
            .select_related("village")[:1]
        ):
            errors.add(
                "started_on",
                STAY_OVERLAPS.format(
                    start=f"{other.started_on:%Y-%m-%d}",
                    end=f"{other.ended_on:%Y-%m-%d}",
                    village=other.village,
                ),
            )
    errors.raise_if_any()
    research.leader, research.village, research.topic = leader, village, topic.strip()
    research.started_on, research.ended_on, research.findings = started_on, ended_on, findings.strip()
    research.days = rules.stay_days(started_on, ended_on)
    full_clean(research)
    research.save()
    return research


@transaction.atomic
def report_upload(
    *,
    user,
    author: PartyMember,
    year: int,
    title: str,
    submitted_on: datetime.date,
    file: UploadedFile,
) -> ResearchReport:
    errors = Errors()
    if out_of_scope(user, [author]):
        errors.add("author", LEADER_OUT_OF_SCOPE)
    today = timezone.localdate()
    if year > today.year:
        errors.add("year", REPORT_YEAR_FUTURE)
    check_not_future(errors, "submitted_on", submitted_on, today)
    if submitted_on.year < year:
        errors.add("submitted_on", REPORT_BEFORE_YEAR)
    try:
        kind = check_report_file(file)
    except ValidationError as exc:
        errors.add("file", exc.messages[0])
        kind = ""
    errors.raise_if_any()
    report = ResearchReport(
        author=author,
        year=year,
        title=title.strip(),
        submitted_on=submitted_on,
        file_kind=kind,
        file_name=os.path.basename(file.name)[:200],
        file_size=file.size,
        created_by=user,
    )
    report.file = file
    full_clean(report, exclude=["file"])
    report.save()
    return report
