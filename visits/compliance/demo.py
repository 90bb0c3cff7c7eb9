"""The compliance part of the demo district (called from visits/demo.py, after the visits are drawn).

- each village and community: its current 两委 term, begun about a year ago (so the coverage page
  measures a year of visits against a year's due: ⌊6 × 1/5⌋ = 1 visit a household so far);
- a 民情分析会 most months of the last year (one village skips a few, so missed months show), each
  discussing some of that month's visits that brought a problem and their opinions;
- 谈心谈话 of the township leaders and the village secretaries (some short of 2 a year);
- 驻村调研 stays of the township leaders (one over 120 days last year, one short) and a research report,
  a real PDF stored under a fixed name so a second run writes nothing new.

Idempotent: nothing is added for a district that already has terms.
"""

from __future__ import annotations

import datetime
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape

from liaison.demo import data as demo_data
from liaison.models import Organisation
from members.models import PartyMember, Position
from visits.compliance.meetings import month_bounds
from visits.models import AnalysisMeeting, FieldResearch, ResearchReport, Talk, Term, Visit
from visits.models.meetings import first_of_month

SEED = f"{demo_data.SEED}:visits-compliance"
L = Organisation.Level
LEADERSHIP = [
    Position.Role.SECRETARY,
    Position.Role.DEPUTY_SECRETARY,
    Position.Role.LEADERSHIP,
    Position.Role.COMMITTEE,
]

ANALYSES = (
    "本月走访收集意见{n}条，集中在道路、饮水和医保报销方面；其中{m}条需限期办理。",
    "本月群众反映较多的是产业销路和务工信息，部分留守老人就医不便。",
    "雨季道路、堡坎隐患较多，群众要求尽快排危；低保年审材料准备有困难。",
)
DECISIONS = (
    "一、村委会牵头，对反映的道路问题逐一登记，限期修复；二、联系镇农服中心开展技术培训；三、下月分析会通报办理进度。",
    "一、组织党员干部开展一次集中走访；二、帮助困难户准备低保年审材料；三、对需上级解决的事项报镇党委。",
    "一、排查地质灾害隐患点并落实监测责任人；二、协调供水站检修管网；三、落实专人跟踪反馈。",
)
FOLLOW_UPS = ("已落实，群众满意。", "部分事项已办结，余下事项正在协调。", "")
TALK_TOPICS = (
    ("个别谈话", "individual", "村党支部委员", "了解分管工作和思想状况，鼓励其带头发展产业。"),
    ("集体座谈", "group", "三组党员", "听取党员对村务公开和集体经济发展的意见建议。"),
    ("随机交流", "casual", "返乡创业青年", "交流返乡创业打算，介绍创业贷款政策。"),
    ("个别谈话", "individual", "老党员", "走访谈心，听取对村“两委”班子的意见。"),
)
RESEARCH_TOPICS = (
    "柑橘产业发展调研",
    "农村人居环境整治调研",
    "村级集体经济发展调研",
    "留守老人和儿童关爱服务调研",
)


def seed(district: Organisation) -> str | None:
    subtree = district.subtree()
    villages = list(
        subtree.filter(level__in=Organisation.GRASSROOTS_LEVELS).select_related("parent").order_by("path")
    )
    if not villages or Term.objects.filter(organisation__in=villages).exists():
        return None
    rng = random.Random(SEED)
    today = timezone.localdate()
    terms = _terms(villages, today)
    meetings = _meetings(villages, rng, today)
    talks = _talks(subtree, rng, today)
    days, reports = _research(subtree, villages, rng, today)
    return (
        f"走访落实：两委届期 {terms} 个，民情分析会 {meetings} 次，谈心谈话 {talks} 次，"
        f"驻村调研 {days} 天，调研报告 {reports} 篇"
    )


def _terms(villages: list[Organisation], today: datetime.date) -> int:
    elected = first_of_month(today - datetime.timedelta(days=395))
    ends = elected.replace(year=elected.year + 5) - datetime.timedelta(days=1)
    Term.objects.bulk_create(
        [
            Term(organisation=v, name="第十二届", elected_on=elected, ends_on=ends, notes="演示数据")
            for v in villages
        ]
    )
    return len(villages)


def _secretaries(villages: list[Organisation]) -> dict[int, list[PartyMember]]:
    """The village's branch secretary and committee members (the posts members/demo.py gives them)."""
    people: dict[int, list[PartyMember]] = {}
    for member in (
        PartyMember.objects.filter(
            organisation__parent__in=villages,
            title__in=[demo_data.SECRETARY_TITLE, demo_data.COMMITTEE_TITLE],
        )
        .select_related("organisation")
        .order_by("-title", "id")
    ):
        people.setdefault(member.organisation.parent_id, []).append(member)
    return people


def _meetings(villages: list[Organisation], rng: random.Random, today: datetime.date) -> int:
    people = _secretaries(villages)
    this_month = first_of_month(today)
    months = []
    month = this_month
    for _ in range(12):
        month = first_of_month(month - datetime.timedelta(days=1))
        months.append(month)
    count = 0
    for index, village in enumerate(villages):
        # The last village of the list misses a few months: the grid and the dashboard show them.
        skip = {months[1], months[4], months[7]} if index == len(villages) - 1 else set()
        cadres = people.get(village.pk, [])
        for month in reversed(months):
            if month in skip or rng.random() < 0.06:
                continue
            start, end = month_bounds(month)
            held_on = min(end, start + datetime.timedelta(days=rng.randint(20, 27)))
            visits = list(
                Visit.objects.filter(organisation=village, visited_on__gte=start, visited_on__lte=end)
                .exclude(problem="")
                .order_by("visited_on", "id")[:4]
            )
            meeting = AnalysisMeeting.objects.create(
                organisation=village,
                held_on=held_on,
                place=f"{village.name}便民服务中心会议室",
                host=cadres[0] if cadres else None,
                other_attendees="驻村干部、村民代表 3 人",
                analysis=rng.choice(ANALYSES).format(
                    n=len(visits) + rng.randint(2, 6), m=min(len(visits), 2)
                ),
                decisions=rng.choice(DECISIONS),
                follow_up=rng.choice(FOLLOW_UPS) if month < months[0] else "",
            )
            meeting.attendees.set(cadres[:5])
            meeting.visits.set(visits)
            meeting.opinions.set([v.opinion_id for v in visits if v.opinion_id])
            count += 1
    return count


def _leaders(subtree) -> list[Position]:
    return list(
        Position.objects.filter(organisation__in=subtree, end_date__isnull=True)
        .filter(
            Q(role__in=LEADERSHIP, organisation__level__in=[L.DISTRICT, L.TOWNSHIP])
            | Q(role=Position.Role.SECRETARY, organisation__parent__level__in=Organisation.GRASSROOTS_LEVELS)
        )
        .select_related("member", "organisation")
        .order_by("organisation__path", "member__name", "id")
    )


def _talks(subtree, rng: random.Random, today: datetime.date) -> int:
    rows = []
    seen: set[int] = set()
    for position in _leaders(subtree):
        member = position.member
        if member.pk in seen:
            continue
        seen.add(member.pk)
        # Most hold 2–4 a year; every fifth only one, so the quota page has someone short.
        for year in (today.year - 1, today.year):
            n = 1 if member.pk % 5 == 0 else rng.randint(2, 4)
            last = today if year == today.year else datetime.date(year, 12, 31)
            for _ in range(n):
                day = datetime.date(year, 1, 1) + datetime.timedelta(
                    days=rng.randrange((last - datetime.date(year, 1, 1)).days + 1)
                )
                _, form, counterpart, summary = rng.choice(TALK_TOPICS)
                rows.append(
                    Talk(
                        leader=member,
                        form=form,
                        talked_on=day,
                        counterpart=counterpart,
                        participants=rng.randint(6, 20) if form == "group" else None,
                        summary=summary,
                    )
                )
    Talk.objects.bulk_create(rows)
    return len(rows)


def _research(
    subtree, villages: list[Organisation], rng: random.Random, today: datetime.date
) -> tuple[int, int]:
    township_leaders = []
    for position in _leaders(subtree):
        if position.organisation.level == L.TOWNSHIP and position.member not in township_leaders:
            township_leaders.append(position.member)
    rows, days = [], 0
    for index, leader in enumerate(township_leaders):
        own = [v for v in villages if v.parent_id == leader.organisation.parent_id] or villages
        for year in (today.year - 1, today.year):
            # Last year: the first leader stays 130 days, the others fall short; this year: so far.
            target = (
                (130 if index == 0 else 95)
                if year < today.year
                else min(100, (today - datetime.date(year, 1, 1)).days // 3)
            )
            day = datetime.date(year, 1, 8)
            stayed = 0
            while stayed < target:
                length = min(rng.randint(3, 8), target - stayed)
                end = day + datetime.timedelta(days=length - 1)
                if end.year != year or end > today:
                    break
                rows.append(
                    FieldResearch(
                        leader=leader,
                        village=rng.choice(own),
                        started_on=day,
                        ended_on=end,
                        days=length,
                        topic=rng.choice(RESEARCH_TOPICS),
                        findings="走访农户、召开院坝会，了解产业发展和群众生产生活情况。",
                    )
                )
                stayed += length
                day = end + datetime.timedelta(days=rng.randint(1, 4))
            days += stayed
    FieldResearch.objects.bulk_create(rows)
    reports = 0
    for leader in township_leaders[:2]:
        year = today.year - 1
        title = (
            f"关于{leader.organisation.parent.name}{RESEARCH_TOPICS[reports % len(RESEARCH_TOPICS)]}的报告"
        )
        name = f"research-reports/demo/{leader.pk}-{year}.pdf"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(_report_pdf(title, leader.name)))
        ResearchReport.objects.create(
            author=leader,
            year=year,
            title=title,
            submitted_on=datetime.date(year, 11, 20),
            file=name,
            file_kind=ResearchReport.Kind.PDF,
            file_name=f"{title}.pdf",
            file_size=default_storage.size(name),
        )
        reports += 1
    return days, reports


def _report_pdf(title: str, author: str) -> bytes:
    from liaison.documents.pdf import pdf_bytes

    return pdf_bytes(
        f"<html><body><h1>{escape(title)}</h1><p>{escape(author)}</p>"
        "<p>一、基本情况。二、存在的问题。三、对策建议。（演示数据）</p></body></html>"
    )
