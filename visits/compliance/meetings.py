"""民情分析会: saving one (service), the month's opinions and visits it may discuss, and the months held
or missed per village (004 “每月召开一次”; QuotaRule "analysis-meeting")."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from feedback.models import Opinion
from liaison.access.scoping import VILLAGE_OUT_OF_SCOPE, in_scope, scoped, visible_grassroots
from liaison.models import Organisation
from liaison.quotas import quota_rule
from members.models import PartyMember
from members.services.common import Errors, check_not_future, full_clean, out_of_scope
from visits import coverage_rules as rules
from visits.models import AnalysisMeeting, Visit
from visits.models.meetings import first_of_month

NOT_GRASSROOTS = "民情分析会由村或社区党组织召开，请选择村（社区）。"
OUTSIDE_MONTH = "会议日期应在所选月份（{month}）内；如要改到其他月份，请先在上方重新选择月份。"
NOT_THAT_MONTHS_OPINIONS = "所选群众意见不是本村（社区）{month}受理的：{names}。"
NOT_THAT_MONTHS_VISITS = "所选走访记录不是本村（社区）{month}的：{names}。"
ATTENDEES_OUT_OF_SCOPE = "所选党员不在您的管辖范围内：{names}。"
QUOTA = "analysis-meeting"


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def month_label(month: datetime.date) -> str:
    return f"{month.year} 年 {month.month} 月"


def months_opinions(organisation: Organisation, month: datetime.date) -> QuerySet[Opinion]:
    start, end = month_bounds(month)
    return Opinion.objects.filter(
        organisation=organisation, received_on__gte=start, received_on__lte=end
    ).order_by("received_on", "number")


def months_visits(organisation: Organisation, month: datetime.date) -> QuerySet[Visit]:
    """The month's visits that brought a problem (要求解决的问题): what a 民情分析会 studies."""
    start, end = month_bounds(month)
    return (
        Visit.objects.filter(organisation=organisation, visited_on__gte=start, visited_on__lte=end)
        .exclude(problem="")
        .select_related("visitor")
        .order_by("visited_on", "id")
    )


@transaction.atomic
def meeting_save(
    *,
    user,
    meeting: AnalysisMeeting | None,
    organisation: Organisation,
    month: datetime.date,
    held_on: datetime.date,
    analysis: str,
    decisions: str,
    place: str = "",
    host: PartyMember | None = None,
    attendees=(),
    other_attendees: str = "",
    opinions=(),
    visits=(),
    follow_up: str = "",
) -> AnalysisMeeting:
    errors = Errors()
    meeting = meeting or AnalysisMeeting(created_by=user)
    if not organisation.is_grassroots:
        errors.add("organisation", NOT_GRASSROOTS)
    elif not in_scope(user, organisation):
        errors.add("organisation", VILLAGE_OUT_OF_SCOPE)
    month = first_of_month(month)
    check_not_future(errors, "held_on", held_on, timezone.localdate())
    if first_of_month(held_on) != month:
        errors.add("held_on", OUTSIDE_MONTH.format(month=month_label(month)))
    people = [p for p in [host, *attendees] if p is not None]
    kept = set(meeting.attendees.values_list("pk", flat=True)) if meeting.pk else set()
    if host is not None and meeting.host_id == host.pk:
        kept.add(host.pk)
    if strangers := [p for p in out_of_scope(user, people) if p.pk not in kept]:
        errors.add("attendees", ATTENDEES_OUT_OF_SCOPE.format(names="、".join(p.name for p in strangers)))
    allowed_opinions = set(months_opinions(organisation, month).values_list("pk", flat=True))
    if wrong := [o for o in opinions if o.pk not in allowed_opinions]:
        errors.add(
            "opinions",
            NOT_THAT_MONTHS_OPINIONS.format(
                month=month_label(month), names="、".join(o.subject for o in wrong)
            ),
        )
    allowed_visits = set(months_visits(organisation, month).values_list("pk", flat=True))
    if wrong := [v for v in visits if v.pk not in allowed_visits]:
        errors.add(
            "visits",
            NOT_THAT_MONTHS_VISITS.format(month=month_label(month), names="、".join(str(v) for v in wrong)),
        )
    errors.raise_if_any()
    meeting.organisation, meeting.held_on, meeting.place, meeting.host = (
        organisation,
        held_on,
        place.strip(),
        host,
    )
    meeting.other_attendees, meeting.analysis = other_attendees.strip(), analysis.strip()
    meeting.decisions, meeting.follow_up = decisions.strip(), follow_up.strip()
    full_clean(meeting, exclude=["month"])
    meeting.save()
    meeting.attendees.set(attendees)
    meeting.opinions.set(opinions)
    meeting.visits.set(visits)
    return meeting


# -- held and missed months ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageYear:
    village: Organisation
    months: list[tuple[int, int, rules.MonthState]]

    @property
    def held(self) -> int:
        return sum(1 for _, _, state in self.months if state is rules.MonthState.HELD)

    @property
    def missed(self) -> int:
        return rules.missed_months(self.months)


def held_by_month(villages: list[Organisation], year: int) -> dict[int, dict[int, int]]:
    """{village id: {month: meetings}} for the year: one grouped query."""
    counts: dict[int, dict[int, int]] = {}
    rows = (
        AnalysisMeeting.objects.filter(organisation__in=[v.pk for v in villages], month__year=year)
        .values("organisation", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["organisation"], {})[row["month"].month] = row["n"]
    return counts


def village_years(villages: list[Organisation], year: int, today: datetime.date) -> list[VillageYear]:
    held = held_by_month(villages, year)
    return [VillageYear(v, rules.month_states(year, held.get(v.pk, {}), today)) for v in villages]


def grassroots(user, township: Organisation | None = None) -> QuerySet[Organisation]:
    queryset = visible_grassroots(user).select_related("parent").order_by("path")
    return queryset.filter(parent=township) if township else queryset


def visible_meetings(user) -> QuerySet[AnalysisMeeting]:
    return scoped(AnalysisMeeting.objects.all(), user)


def last_month_missed(user, today: datetime.date) -> tuple[list[Organisation], int, datetime.date]:
    """The villages in scope that held no meeting in the month just over (the dashboard's list, first 10),
    and how many they are: two queries."""
    month = first_of_month(first_of_month(today) - datetime.timedelta(days=1))
    missing = grassroots(user).exclude(
        pk__in=AnalysisMeeting.objects.filter(month=month).values("organisation")
    )
    return list(missing[:10]), missing.count(), month


def rule():
    return quota_rule(QUOTA)
