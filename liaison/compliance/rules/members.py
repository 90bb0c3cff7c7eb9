"""The members app's rules: each pairing visited at least twice a year (002 二; the visits counted as
`members.visit_counts` counts them, by the visit's pairing), and each unit pairing's yearly records
(004 联系帮扶制度 三: 联线, 联姻, 牵手 ≥2 实事好事, 党员结对 ≥500 元; `UnitPairing.QUOTA_CODES`), and each
leader's 联系点 contacted on average at least once a month (003 1.; members.rules.months_due's months)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth, Greatest, Least
from django.urls import reverse

from liaison.compliance.core import PRO_RATA, Context, Counts, Shortfall, Shortfalls
from liaison.compliance.measures import per_subject
from liaison.compliance.registry import Rule, register
from liaison.models import Organisation
from members.models import LiaisonContact, LiaisonPoint, Pairing, UnitPairing, UnitPairingRecord
from visits.models import Visit

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _running(queryset, ctx: Context, start: str = "start_date"):
    """Running at some time in the year: begun by its end, not ended before its start."""
    return queryset.filter(**{f"{start}__lte": ctx.end}).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=ctx.start)
    )


# -- 结对帮扶 visits ----------------------------------------------------------------------------------------

PAIRING = "pairing-visits"


def _pairings(ctx: Context):
    visits = (
        Visit.objects.filter(pairing=OuterRef("pk"), visited_on__gte=ctx.start, visited_on__lte=ctx.end)
        .order_by()
        .values("pairing")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return _running(Pairing.objects.filter(ctx.within("household__organisation")), ctx).annotate(
        achieved=Coalesce(Subquery(visits, output_field=IntegerField()), 0)
    )


def pairing_measure(ctx: Context) -> dict[int, Counts]:
    return per_subject(ctx, PAIRING, _pairings(ctx), "household__organisation")


def pairing_shortfalls(ctx: Context, organisation: Organisation) -> Shortfalls:
    def rows():
        due = ctx.threshold(PAIRING, "household__organisation__path", pace=PRO_RATA)
        return (
            _pairings(ctx)
            .filter(household__organisation__path__startswith=organisation.path)
            .annotate(due=due, minimum=ctx.threshold(PAIRING, "household__organisation__path"))
            .filter(achieved__lt=due)
            .select_related("household__organisation")
            .order_by("achieved", "household__organisation__path", "id")
        )

    return Shortfalls(
        rows,
        lambda p: Shortfall(
            name=str(p.household),
            organisation=p.household.organisation.display_name,
            achieved=p.achieved,
            minimum=p.minimum,
            url=reverse("pairing-detail", args=[p.pk]),
        ),
    )


register(
    Rule(
        "pairing-visits",
        PAIRING,
        "结对帮扶每年走访不少于2次",
        "个结对",
        pairing_measure,
        pairing_shortfalls,
        "members",
    )
)


# -- 联系点: 一般平均每月不少于1次 (003 1.) ---------------------------------------------------------------------

POINT = "liaison-point-contacts"


def _months(first, last):
    """Whole months from `first`'s month to `last`'s, both dates in the one year (≤ 0 when last < first)."""
    return ExpressionWrapper(ExtractMonth(last) - ExtractMonth(first) + 1, output_field=IntegerField())


def _points(ctx: Context):
    """The points running in the year, with the year's contacts (to the day read for), the months the
    year holds them to (`months_year`) and the months due so far (`months_due`): members.rules.months_due
    in SQL, so a point set up or ended in the year counts from its first to its last month, and the month
    in progress is not due yet."""
    first = Greatest(F("started_on"), Value(ctx.start), output_field=DateField())
    year_end = Least(Coalesce(F("ended_on"), Value(ctx.end)), Value(ctx.end), output_field=DateField())
    if ctx.over:
        due = _months(first, year_end)
    elif ctx.future or ctx.today.month == 1:
        due = Value(0, output_field=IntegerField())
    else:
        last_over = ctx.today.replace(day=1) - datetime.timedelta(days=1)
        due = _months(first, Least(year_end, Value(last_over), output_field=DateField()))
    contacts = LiaisonContact.objects.filter(point=OuterRef("pk"), date__gte=ctx.start, date__lte=ctx.as_of)
    counted = contacts.order_by().values("point").annotate(n=Count("pk")).values("n")[:1]
    return (
        _running(LiaisonPoint.objects.filter(ctx.within("leader__organisation")), ctx, start="started_on")
        .annotate(
            contacted=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
            months_year=_months(first, year_end),
            months_due=due,
            minimum=ctx.threshold(POINT, "leader__organisation__path"),
        )
        .annotate(
            needed=ExpressionWrapper(F("months_year") * F("minimum"), output_field=IntegerField()),
            needed_now=ExpressionWrapper(F("months_due") * F("minimum"), output_field=IntegerField()),
        )
    )


def point_measure(ctx: Context) -> dict[int, Counts]:
    rows = (
        _points(ctx)
        .order_by()
        .values("leader__organisation")
        .annotate(
            required=Count("pk"),
            done=Count("pk", filter=Q(contacted__gte=F("needed"))),
            on_pace=Count("pk", filter=Q(contacted__gte=F("needed_now"))),
        )
        .values_list("leader__organisation", "required", "done", "on_pace")
    )
    return {
        org_id: Counts(required, done, on_pace, required - done if ctx.over else 0)
        for org_id, required, done, on_pace in rows
    }


def point_shortfalls(ctx: Context, organisation: Organisation) -> Shortfalls:
    def rows():
        return (
            _points(ctx)
            .filter(leader__organisation__path__startswith=organisation.path)
            .filter(contacted__lt=F("needed_now"))
            .select_related("leader__organisation", "organisation")
            .order_by("contacted", "leader__organisation__path", "leader__name", "id")
        )

    return Shortfalls(
        rows,
        lambda point: Shortfall(
            name=f"{point.leader.name}（联系点：{point.organisation.display_name}）",
            organisation=point.leader.organisation.display_name,
            achieved=f"{point.contacted} 次",
            minimum=f"{point.months_due} 个月 × 每月 {point.minimum} 次",
            url=f"{reverse('point-detail', args=[point.pk])}?year={ctx.year}",
        ),
    )


register(
    Rule(
        "liaison-point-contacts",
        POINT,
        "领导干部联系点平均每月联系不少于1次",
        "个联系点",
        point_measure,
        point_shortfalls,
        "members",
    )
)


# -- 联系帮扶 yearly records --------------------------------------------------------------------------------

KIND_LABELS = {
    UnitPairing.Kind.LIAISON_LINE: "支部“联线”每年办实事好事不少于2件",
    UnitPairing.Kind.MEMBER_PAIRING: "党员“结对”每年帮扶资金不少于500元",
    UnitPairing.Kind.WORKER_FARMER: "工农“联姻”每年办实事好事不少于2件",
    UnitPairing.Kind.HAND_IN_HAND: "社团“牵手”每年办实事好事不少于2件",
}


def _records(ctx: Context, money: bool):
    records = UnitPairingRecord.objects.filter(pairing=OuterRef("pk"), date__gte=ctx.start, date__lte=ctx.end)
    grouped = records.order_by().values("pairing")
    if money:
        figure = Subquery(grouped.annotate(n=Sum("money")).values("n")[:1], output_field=MONEY)
        return Coalesce(figure, Value(Decimal(0)), output_field=MONEY)
    figure = Subquery(grouped.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())
    return Coalesce(figure, 0)


def unit_pairings(ctx: Context):
    """The unit pairings held to a rule in the year: helping a village (community) of the subtrees and
    running at some time in the year, each with its records (`n_records`) and money (`n_money`) of the
    year."""
    return _running(UnitPairing.objects.filter(ctx.within("area")), ctx).annotate(
        n_records=_records(ctx, money=False), n_money=_records(ctx, money=True)
    )


def unit_reached(ctx: Context, kind: str, *, pace: str | None = None) -> Q:
    """A pairing of `kind` (among `unit_pairings`) has reached its kind's QuotaRule — the minimum, or with
    `pace` what is due of it so far — as it stood at the year's end, a locality's own where its village
    has one."""
    code = UnitPairing.QUOTA_CODES[kind]
    money = kind in UnitPairing.MONEY_KINDS
    field = "n_money" if money else "n_records"
    return Q(kind=kind) & Q(**{f"{field}__gte": ctx.threshold(code, "area__path", pace=pace, money=money)})


def _unit_counts(ctx: Context) -> dict[str, dict[int, Counts]]:
    """The four kinds in one statement: each unit pairing running in the year with its records (or
    money) of the year, counted per village by kind against its kind's QuotaRule."""
    if "units" in ctx.cache:
        return ctx.cache["units"]
    aggregates = {}
    for kind in UnitPairing.QUOTA_CODES:
        aggregates[f"{kind}_r"] = Count("pk", filter=Q(kind=kind))
        aggregates[f"{kind}_d"] = Count("pk", filter=unit_reached(ctx, kind))
        aggregates[f"{kind}_p"] = Count("pk", filter=unit_reached(ctx, kind, pace=PRO_RATA))
    found: dict[str, dict[int, Counts]] = {kind: {} for kind in UnitPairing.QUOTA_CODES}
    for row in unit_pairings(ctx).order_by().values("area").annotate(**aggregates):
        for kind in UnitPairing.QUOTA_CODES:
            required, done = row[f"{kind}_r"], row[f"{kind}_d"]
            if required:
                missed = required - done if ctx.over else 0
                found[kind][row["area"]] = Counts(required, done, row[f"{kind}_p"], missed)
    ctx.cache["units"] = found
    return found


def _unit_rule(kind: str) -> Rule:
    code = UnitPairing.QUOTA_CODES[kind]
    money = kind in UnitPairing.MONEY_KINDS

    def subjects(ctx: Context):
        queryset = UnitPairing.objects.filter(ctx.within("area"), kind=kind)
        return _running(queryset, ctx).annotate(achieved=_records(ctx, money))

    def measure(ctx: Context) -> dict[int, Counts]:
        return _unit_counts(ctx)[kind]

    def shortfalls(ctx: Context, organisation: Organisation, *, unit_kind: str | None = None) -> Shortfalls:
        """`unit_kind`: only the helpers of that kind (Organisation.kind_of_unit; "" the unclassified)."""

        def rows():
            due = ctx.threshold(code, "area__path", pace=PRO_RATA, money=money)
            found = subjects(ctx).filter(area__path__startswith=organisation.path)
            if unit_kind is not None:
                found = found.alias(helper_kind=Organisation.kind_of_unit_sql("helper_organisation")).filter(
                    helper_kind=unit_kind
                )
            return (
                found.annotate(due=due, minimum=ctx.threshold(code, "area__path", money=money))
                .filter(achieved__lt=due)
                .select_related("helper_organisation", "area")
                .order_by("achieved", "area__path", "id")
            )

        return Shortfalls(
            rows,
            lambda u: Shortfall(
                name=f"{u.get_kind_display()}：{u.helper_organisation.display_name}",
                organisation=u.area.display_name,
                achieved=u.achieved,
                minimum=u.minimum,
                url=reverse("unitpairing-detail", args=[u.pk]),
            ),
        )

    unit = "个结对" if kind == UnitPairing.Kind.MEMBER_PAIRING else "个单位"
    return register(
        Rule(
            f"unit-{kind}",
            code,
            KIND_LABELS[kind],
            unit,
            measure,
            shortfalls,
            "members",
            filters=("unit_kind",),
        )
    )


for _kind in UnitPairing.Kind.values:
    _unit_rule(_kind)
