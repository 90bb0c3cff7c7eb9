"""The feedback app's rules: the secretaries' reception half-days per level (004 三级党组织书记定期接待
群众工作制度 二; the levels and periods of `feedback.reception_rules`, held sessions as
`feedback.reception_selectors.compliance` counts them), and opinions answered by their 1234 deadline
(004 “1234”制度 三; the conditions of `OpinionQuerySet`, as the dashboard's deadline board counts them).
"""

from __future__ import annotations

from fractions import Fraction

from django.db.models import Count, F, Q
from django.urls import reverse

from feedback import reception_rules as rr
from feedback.models import Opinion, ReceptionSession, SessionKind, SessionStatus
from feedback.models.opinions import OpinionQuerySet
from liaison.compliance.core import Context, Counts, Shortfall, Shortfalls
from liaison.compliance.measures import per_period
from liaison.compliance.registry import Rule, register
from liaison.models import Organisation
from liaison.text.numbers import plain_number

LEVEL_LABELS = {
    "reception-district-secretary": ("区委书记每年集中接待群众不少于2次", "年"),
    "reception-township-secretary": ("镇街党委书记每月接待群众不少于1次", "月"),
    "reception-village-secretary": ("村（社区）党组织书记每周接待群众不少于1次", "周"),
}


def _levels(code: str) -> list[str]:
    return [level for level, level_code in rr.QUOTA_OF_LEVEL.items() if level_code == code]


def _reception_rule(code: str) -> Rule:
    label, unit = LEVEL_LABELS[code]

    def measure(ctx: Context) -> dict[int, Counts]:
        period = ctx.rule(code).period
        subjects = {org.pk: org.path for org in ctx.at_levels(_levels(code))}
        if not subjects:
            return {}
        held = ReceptionSession.objects.filter(
            organisation__in=list(subjects),
            kind=SessionKind.SECRETARY,
            status=SessionStatus.HELD,
            date__gte=ctx.start,
            date__lte=ctx.end,
        )
        return per_period(ctx, code, held, "date", subjects, period)

    def shortfalls(ctx: Context, organisation: Organisation) -> Shortfalls:
        """The organisations with a period over short of the quota, each to its compliance page."""

        def rows():
            figures = measure(ctx)
            orgs = Organisation.objects.filter(
                pk__in=[pk for pk, counts in figures.items() if counts.missed],
                path__startswith=organisation.path,
            ).select_related("parent")
            return [(org, figures[org.pk]) for org in orgs.order_by("path")]

        def item(row) -> Shortfall:
            org, counts = row
            rule = ctx.rule_for(code, org.path)
            return Shortfall(
                name=org.display_name,
                organisation=org.parent.display_name if org.parent_id else "",
                achieved=f"{counts.done}/{counts.required} 个{unit}达标",
                minimum=f"每{unit} {plain_number(rule.minimum)} 次",
                url=f"{reverse('session-compliance')}?organisation={org.pk}&year={ctx.year}",
                note=f"{counts.missed} 个{unit}未接待",
            )

        return Shortfalls(rows, item)

    return register(Rule(code, code, label, unit, measure, shortfalls, "feedback"))


for _code in LEVEL_LABELS:
    _reception_rule(_code)


# -- opinions answered on time ------------------------------------------------------------------------------

ON_TIME = "opinions-on-time"


def _opinions(ctx: Context):
    return Opinion.objects.filter(
        ctx.within("organisation"), received_on__gte=ctx.start, received_on__lte=ctx.end
    )


def on_time_measure(ctx: Context) -> dict[int, Counts]:
    """The opinions of the year whose deadline has come: answered by it (done), answered late or still
    open past it (missed: a late answer is never undone). Those still within their time are not counted."""
    answered_on_time = Q(feedback_on__isnull=False, feedback_on__lte=F("due_date"))
    late = Q(feedback_on__gt=F("due_date")) | OpinionQuerySet.is_overdue(ctx.today)
    rows = (
        _opinions(ctx)
        .order_by()
        .values("organisation")
        .annotate(done=Count("pk", filter=answered_on_time), missed=Count("pk", filter=late))
        .values_list("organisation", "done", "missed")
    )
    return {
        org_id: Counts(required=done + missed, done=done, on_pace=done, missed=missed)
        for org_id, done, missed in rows
        if done + missed
    }


def on_time_target(ctx: Context) -> Fraction:
    return Fraction(ctx.rule(ON_TIME).minimum) / 100


def on_time_shortfalls(ctx: Context, organisation: Organisation) -> Shortfalls:
    def rows():
        late = Q(feedback_on__gt=F("due_date")) | OpinionQuerySet.is_overdue(ctx.today)
        return (
            _opinions(ctx)
            .filter(late, organisation__path__startswith=organisation.path)
            .select_related("organisation")
            .order_by("due_date", "id")
        )

    return Shortfalls(
        rows,
        lambda o: Shortfall(
            name=f"{o.year}年第{o.number}号 {o.subject}",
            organisation=o.organisation.display_name,
            achieved=f"{o.feedback_on:%Y-%m-%d} 反馈" if o.feedback_on else "尚未反馈",
            minimum=f"{o.due_date:%Y-%m-%d} 前",
            url=reverse("opinion-detail", args=[o.pk]),
        ),
    )


register(
    Rule(
        "opinions-on-time",
        ON_TIME,
        "群众意见按“1234”时限办结反馈",
        "件",
        on_time_measure,
        on_time_shortfalls,
        "feedback",
        target=on_time_target,
    )
)
