"""The visits app's rules (its own figures, put behind the engine's interface):

- every household visited 6 times a term (coverage per term: `visits.compliance.coverage`'s one
  statement, reused);
- the personal yearly quotas of `visits.compliance.quotas` (区级领导 ≥2 visits, 镇街班子成员 ≥4,
  党代会代表 ≥10 households, 谈心 ≥2, 驻村 120 days and 1 report), its post kinds and its correlated
  counts reused; the township leaders' standing pairings (002 二: ≥2 困难群众 households) and the
  delegates' half-days at their 工作室 (002 八: ≥2 a year), with the same machinery;
- 民情分析会 every month;
- 五必访: every event answered by the village secretary's own visit (`MustVisitEventQuerySet`'s
  `secretary_visits`, the one definition the event list and the household page use too).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from feedback.models import ReceptionSession, SessionKind, SessionStatus
from feedback.reception_rules import DELEGATE_QUOTA
from liaison.compliance.core import AT_END, FROM_START, PRO_RATA, Context, Counts, Shortfall, Shortfalls
from liaison.compliance.measures import MONTH, per_period
from liaison.compliance.registry import Rule, register
from liaison.models import Household, Organisation
from liaison.text.numbers import plain_number
from members.models import PairingMember, Position
from visits import coverage_rules
from visits.compliance import coverage
from visits.compliance.quotas import KINDS, _subquery_count, _subquery_sum
from visits.models import AnalysisMeeting, FieldResearch, MustVisitEvent, ResearchReport, Talk, Visit

GRASSROOTS = Organisation.GRASSROOTS_LEVELS
LEADERS = KINDS["district"][1] | KINDS["township"][1]


# -- 每户每届不少于6次 -----------------------------------------------------------------------------------


def _term_figures(ctx: Context, villages: list[Organisation]):
    """Per village: (term, quota, due, histogram rows), from coverage's one statement — once a request for
    the same villages: the district's shortfall page asks for the table's figures and then its list's
    (SQLite ran the 1 s statement twice)."""
    if not villages:
        return {}
    key = ("term-figures", tuple(v.pk for v in villages))
    if key not in ctx.cache:
        ctx.cache[key] = _count_term_figures(ctx, villages)
    return ctx.cache[key]


def _count_term_figures(ctx: Context, villages: list[Organisation]):
    terms = coverage.current_terms(villages, ctx.as_of)
    quotas = {v.pk: int(ctx.rule_for(coverage.TERM_QUOTA, v.path).minimum) for v in villages}
    windows = {pk: (t.elected_on, min(t.ends_on, ctx.as_of)) for pk, t in terms.items()}
    households = Household.objects.order_by().filter(organisation__in=[v.pk for v in villages])
    rows = coverage._histogram(
        households, [v.pk for v in villages], windows, max(quotas.values()), ctx.start, ctx.end
    )
    figures = {
        pk: {
            "term": term,
            "quota": quotas[pk],
            "due": coverage_rules.visits_due(quotas[pk], term.elected_on, term.ends_on, ctx.as_of),
            "ended": term.ends_on < ctx.today,
            "counts": Counts(),
        }
        for pk, term in terms.items()
    }
    for org_id, capped, _seen, count, _visits in rows:  # the histogram: a few rows a village
        figure = figures.get(org_id)
        if figure is None:  # no term entered: coverage per term cannot be counted (as /visits/coverage/)
            continue
        counts = figure["counts"]
        counts.required += count
        counts.done += count if capped >= figure["quota"] else 0
        counts.on_pace += count if capped >= figure["due"] else 0
        counts.missed += count if figure["ended"] and capped < figure["quota"] else 0
    return figures


def _villages(ctx: Context, root: Organisation | None = None) -> list[Organisation]:
    return ctx.at_levels(GRASSROOTS, root)


def term_visits_measure(ctx: Context) -> dict[int, Counts]:
    return {pk: figure["counts"] for pk, figure in _term_figures(ctx, _villages(ctx)).items()}


def term_visits_shortfalls(ctx: Context, organisation: Organisation) -> Shortfalls:
    """A village: its households below the visits due so far (fewest first), each to its page; above a
    village: the villages with such households, each to its coverage page."""
    if organisation.is_grassroots:

        def households():
            figure = _term_figures(ctx, [organisation]).get(organisation.pk)
            if figure is None:
                return Household.objects.none()
            return coverage.households_short(
                organisation, figure["term"], due=figure["due"], today=ctx.as_of
            ).select_related("organisation")

        return Shortfalls(
            households,
            lambda h: Shortfall(
                name=str(h),
                organisation=h.organisation.display_name,
                achieved=h.term_visits,
                minimum=h.term_visits + h.missing,
                url=f"{reverse('visit-list')}?household={h.pk}",
            ),
        )

    def villages():
        found = _term_figures(ctx, _villages(ctx, organisation))
        rows = []
        for village in _villages(ctx, organisation):
            figure = found.get(village.pk)
            if figure is None:
                rows.append((village, None))
            elif figure["counts"].on_pace < figure["counts"].required:
                rows.append((village, figure))
        return rows

    def item(row) -> Shortfall:
        village, figure = row
        url = reverse("visit-coverage-village", args=[village.pk])
        if figure is None:
            return Shortfall(village.display_name, village.parent.display_name, "—", "—", url, "未录入届期")
        counts = figure["counts"]
        return Shortfall(
            name=village.display_name,
            organisation=village.parent.display_name,
            achieved=f"{counts.on_pace}/{counts.required} 户",
            minimum=f"每户 {figure['due']} 次（本届 {figure['quota']} 次）",
            url=url,
            note=f"{counts.required - counts.on_pace} 户未达进度",
        )

    return Shortfalls(villages, item)


register(
    Rule(
        key="visits-household-term",
        code=coverage.TERM_QUOTA,
        label="村（社区）班子入户走访每户每届不少于6次",
        unit="户",
        measure=term_visits_measure,
        shortfalls=term_visits_shortfalls,
        app="visits",
        yearly=False,  # per 届: judged on the term's last day (missed), else by the visits due so far
    )
)


# -- personal yearly quotas -------------------------------------------------------------------------------


def _posts(ctx: Context, condition: Q):
    return Position.objects.filter(condition, ctx.within("organisation"), start_date__lte=ctx.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=ctx.start)
    )


def _visits(ctx: Context):
    from django.db.models import OuterRef

    return Visit.objects.filter(
        visitor=OuterRef("member_id"), visited_on__gte=ctx.start, visited_on__lte=ctx.end
    )


def _achieved(ctx: Context, figure: str):
    from django.db.models import OuterRef

    member = OuterRef("member_id")
    if figure == "visits":
        return _subquery_count(_visits(ctx), "visitor")
    if figure == "households":
        return _subquery_count(_visits(ctx), "visitor", distinct="household")
    if figure == "talks":
        return _subquery_count(
            Talk.objects.filter(leader=member, talked_on__gte=ctx.start, talked_on__lte=ctx.end), "leader"
        )
    if figure == "days":
        return _subquery_sum(
            FieldResearch.objects.filter(leader=member, started_on__gte=ctx.start, started_on__lte=ctx.end),
            "leader",
            "days",
        )
    if figure == "receptions":
        # half-days held at a 党代会代表工作室 (the sessions' unique key leads with receiver: indexed)
        held = ReceptionSession.objects.filter(
            receiver=member,
            kind=SessionKind.DELEGATE,
            status=SessionStatus.HELD,
            date__gte=ctx.start,
            date__lte=ctx.as_of,
        )
        return _subquery_count(held, "receiver")
    if figure == "paired":  # standing: the households the member is paired with on the day read for
        # (ended_on, not status: a pairing ended since then was running on a past year's last day; the
        # pairing_status_matches_end constraint keeps the two in step)
        running = PairingMember.objects.filter(member=member, pairing__start_date__lte=ctx.as_of).filter(
            Q(pairing__ended_on__isnull=True) | Q(pairing__ended_on__gte=ctx.as_of)
        )
        return _subquery_count(running, "member", distinct="pairing__household")
    return _subquery_count(ResearchReport.objects.filter(author=member, year=ctx.year), "author")


RECORDS = {
    "visits": lambda ctx, p: f"{reverse('visit-list')}?visitor={p.member_id}&year={ctx.year}",
    "households": lambda ctx, p: f"{reverse('visit-list')}?visitor={p.member_id}&year={ctx.year}",
    "talks": lambda ctx, p: f"{reverse('talk-list')}?year={ctx.year}&organisation={p.member.organisation_id}",
    "days": lambda ctx, p: (
        f"{reverse('research-list')}?year={ctx.year}&organisation={p.member.organisation_id}"
    ),
    "reports": lambda ctx, p: (
        f"{reverse('research-list')}?year={ctx.year}&organisation={p.member.organisation_id}"
    ),
    "receptions": lambda ctx, p: (
        f"{reverse('session-list')}?"
        + urlencode(
            {
                "organisation": p.organisation_id,
                "kind": SessionKind.DELEGATE,
                "date_from": ctx.start.isoformat(),
                "date_to": ctx.end.isoformat(),
            }
        )
    ),
    "paired": lambda ctx, p: (
        f"{reverse('pairing-list')}?{urlencode({'q': p.member.name, 'status': 'active'})}"
    ),
}


PERSONAL = (
    # key (= QuotaRule code), label, unit, which posts, the figure, how it is due through the year
    ("visits-district-leader", "区级领导每年入户走访不少于2次", KINDS["district"][1], "visits", PRO_RATA),
    (
        "visits-township-member",
        "镇街党委班子成员每年入户走访不少于4次",
        KINDS["township"][1],
        "visits",
        PRO_RATA,
    ),
    ("delegate-visits", "党代会代表每年入户走访不少于10户", KINDS["delegate"][1], "households", PRO_RATA),
    (
        DELEGATE_QUOTA,  # 002 八: 到工作室接待党员和群众每年不少于2次，每次不少于半天
        "党代会代表每年到工作室接待不少于2次",
        KINDS["delegate"][1],
        "receptions",
        PRO_RATA,
    ),
    ("talks-leader", "领导班子成员每年谈心不少于2次", LEADERS, "talks", PRO_RATA),
    (
        "talks-village-secretary",
        "村（社区）党组织书记每年与党员谈心不少于2次",
        KINDS["village"][1],
        "talks",
        PRO_RATA,
    ),
    ("days-in-villages", "乡镇领导班子成员每年驻村调研不少于120天", KINDS["township"][1], "days", PRO_RATA),
    ("research-reports", "乡镇领导班子成员每年撰写调研报告", KINDS["township"][1], "reports", AT_END),
    (
        "households-paired-township-leader",
        "乡镇党政领导班子成员结对联系困难群众不少于2户",
        KINDS["township"][1],
        "paired",
        FROM_START,  # a standing number (002 二): held all year, read on the day
    ),
)


def _alias(code: str, part: str) -> str:
    return f"{code.replace('-', '_')}_{part}"


def _personal_counts(ctx: Context) -> dict[str, dict[int, Counts]]:
    """All nine personal quotas in one statement: each post held in the year with its seven figures
    (correlated counts on indexed columns), counted per organisation against each rule it falls under."""
    if "personal" in ctx.cache:
        return ctx.cache["personal"]
    condition = Q(pk__in=[])
    for _, _, posts, _, _ in PERSONAL:
        condition |= posts
    figures = {figure for *_, figure, _ in PERSONAL}
    annotated = _posts(ctx, condition).annotate(**{f"a_{f}": _achieved(ctx, f) for f in figures})
    aggregates = {}
    for code, _, posts, figure, pace in PERSONAL:
        minimum = ctx.threshold(code, "organisation__path")
        due = ctx.threshold(code, "organisation__path", pace=pace)
        aggregates[_alias(code, "r")] = Count("pk", filter=posts)
        aggregates[_alias(code, "d")] = Count("pk", filter=posts & Q(**{f"a_{figure}__gte": minimum}))
        aggregates[_alias(code, "p")] = Count("pk", filter=posts & Q(**{f"a_{figure}__gte": due}))
    found: dict[str, dict[int, Counts]] = {code: {} for code, *_ in PERSONAL}
    for row in annotated.order_by().values("organisation").annotate(**aggregates):
        for code, *_ in PERSONAL:
            required, done = row[_alias(code, "r")], row[_alias(code, "d")]
            if required:
                missed = required - done if ctx.over else 0
                found[code][row["organisation"]] = Counts(required, done, row[_alias(code, "p")], missed)
    ctx.cache["personal"] = found
    return found


def _personal(code: str, label: str, condition: Q, figure: str, pace: str) -> Rule:
    def subjects(ctx: Context):
        return _posts(ctx, condition).annotate(achieved=_achieved(ctx, figure))

    def measure(ctx: Context) -> dict[int, Counts]:
        return _personal_counts(ctx)[code]

    def shortfalls(ctx: Context, organisation: Organisation) -> Shortfalls:
        def rows():
            due = ctx.threshold(code, "organisation__path", pace=pace)
            return (
                subjects(ctx)
                .filter(organisation__path__startswith=organisation.path)
                .annotate(due=due, minimum=ctx.threshold(code, "organisation__path"))
                .filter(achieved__lt=due)
                .select_related("member", "organisation")
                .order_by("achieved", "organisation__path", "member__name", "id")
            )

        return Shortfalls(
            rows,
            lambda p: Shortfall(
                name=f"{p.member.name}（{p.get_role_display()}）",
                organisation=p.organisation.display_name,
                achieved=p.achieved,
                minimum=p.minimum,
                url=RECORDS[figure](ctx, p),
            ),
        )

    return register(Rule(code, code, label, "人", measure, shortfalls, "visits"))


for _code, _label, _condition, _figure, _pace in PERSONAL:
    _personal(_code, _label, _condition, _figure, _pace)


# -- 民情分析会 ------------------------------------------------------------------------------------------------

MEETING = "analysis-meeting"


def meetings_measure(ctx: Context) -> dict[int, Counts]:
    villages = {org.pk: org.path for org in ctx.at_levels(GRASSROOTS)}
    held = AnalysisMeeting.objects.filter(ctx.within("organisation"), month__year=ctx.year)
    return per_period(ctx, MEETING, held, "month", villages, MONTH)


def meetings_shortfalls(ctx: Context, organisation: Organisation) -> Shortfalls:
    """The villages with a month over and no meeting, each to its year's grid."""

    def rows():
        from visits.compliance.meetings import village_years

        villages = _villages(ctx, organisation)
        years = village_years(villages, ctx.year, ctx.today)  # one grouped query
        return [row for row in years if row.missed]

    return Shortfalls(
        rows,
        lambda row: Shortfall(
            name=row.village.display_name,
            organisation=row.village.parent.display_name if row.village.parent_id else "",
            achieved=f"已开 {row.held} 个月",
            minimum=f"每月 {plain_number(ctx.rule(MEETING).minimum)} 次",
            url=f"{reverse('meeting-year', args=[row.village.pk])}?year={ctx.year}",
            note=f"未开 {row.missed} 个月",
        ),
    )


register(
    Rule(
        "analysis-meeting",
        MEETING,
        "村（社区）每月召开民情分析会",
        "月",
        meetings_measure,
        meetings_shortfalls,
        "visits",
    )
)


# -- 五必访 ------------------------------------------------------------------------------------------------

MUST_VISIT = "five-must-visit"  # QuotaRule: the 书记's visits per event (004 入户走访制度 三), 1 by default


def _events(ctx: Context):
    """The events of the year so far in the subtrees, each with the 书记's visits that answer it. No
    regulation gives a number of days to answer one, so an open event is at risk until the year ends,
    and missed then."""
    return MustVisitEvent.objects.filter(
        ctx.within("organisation"), occurred_on__gte=ctx.start, occurred_on__lte=ctx.as_of
    ).annotate(answered=MustVisitEvent.objects.secretary_visit_count())


def must_visit_measure(ctx: Context) -> dict[int, Counts]:
    minimum = ctx.threshold(MUST_VISIT, "organisation__path")
    rows = (
        _events(ctx)
        .order_by()
        .values("organisation")
        .annotate(required=Count("pk"), done=Count("pk", filter=Q(answered__gte=minimum)))
    )
    return {
        row["organisation"]: Counts(
            row["required"], row["done"], row["done"], row["required"] - row["done"] if ctx.over else 0
        )
        for row in rows
    }


def must_visit_shortfalls(ctx: Context, organisation: Organisation) -> Shortfalls:
    def rows():
        minimum = ctx.threshold(MUST_VISIT, "organisation__path")
        return (
            _events(ctx)
            .filter(organisation__path__startswith=organisation.path)
            .annotate(minimum=minimum)
            .filter(answered__lt=minimum)
            .select_related("organisation", "household")
            .order_by("occurred_on", "organisation__path", "id")
        )

    return Shortfalls(
        rows,
        lambda event: Shortfall(
            name=f"{event.household.head_name}户：{event.get_kind_display()}",
            organisation=event.organisation.display_name,
            achieved=f"书记走访 {event.answered} 次",
            minimum=f"每件 {event.minimum} 次",
            url=reverse("household-detail", args=[event.household_id]),
            note=f"{event.occurred_on:%Y-%m-%d} 发生，待书记走访",
        ),
    )


register(
    Rule(
        "five-must-visit",
        MUST_VISIT,
        "村（社区）书记“五必访”每件必访",
        "件",
        must_visit_measure,
        must_visit_shortfalls,
        "visits",
    )
)
