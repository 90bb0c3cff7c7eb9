"""evaluate() and summary_by_organisation(): the registered rules measured once for the subtrees asked
about, then added up per organisation by its path (a loop over organisations and rules, never over
records)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

from liaison.compliance import registry
from liaison.compliance.core import MET, ON_PACE_LABEL, STATUS_LABELS, Context, Counts, Shortfalls, status
from liaison.models import Organisation, QuotaRule
from liaison.text.numbers import rate


@dataclass
class RuleResult:
    code: str  # the QuotaRule code (or the rules.py rule standing in for one)
    key: str  # the registry entry
    label: str
    source: str  # the seed citation, as the rule in force that year has it
    unit: str
    rule: QuotaRule
    required: int
    done: int
    on_pace: int
    missed: int
    rate: Decimal | None  # percent done, half up to 0.1; None when nothing is required
    status: str  # "met", "at_risk", "missed"
    shortfalls: Shortfalls = field(repr=False)
    app: str = ""

    @property
    def status_label(self) -> str:
        """达标 / 按进度 (met, on pace but not all done yet) / 进度滞后 / 未达标."""
        if self.status == MET and not self.complete:
            return ON_PACE_LABEL
        return STATUS_LABELS[self.status]

    @property
    def behind(self) -> int:
        """Subjects below what is due so far (at the year's end: short of the minimum); the shortfalls
        list them (or, for reception days and meetings, the organisations they belong to)."""
        return self.required - self.on_pace

    @property
    def complete(self) -> bool:
        return self.required > 0 and self.done >= self.required


@dataclass(frozen=True)
class Summary:
    met: int
    total: int  # rules evaluated (those holding anyone to them in the subtree)

    @property
    def rate(self) -> Decimal | None:
        return rate(self.met, self.total)


@dataclass
class Evaluation:
    organisation: Organisation
    year: int
    as_of: datetime.date
    results: list[RuleResult]
    # With evaluate(children=True): the organisations directly under it (party organisations that hold
    # anyone to a rule: townships, villages, communities, branches), each with its Summary.
    children: list[tuple[Organisation, Summary]] = field(default_factory=list)
    # The year as it was measured (scope, quotas in force): for a further table of the same year and
    # subtree without reading the rules again (liaison.compliance.unit_kinds).
    context: Context | None = field(default=None, repr=False, compare=False)

    @property
    def summary(self) -> Summary:
        return Summary(sum(1 for r in self.results if r.status == MET), len(self.results))


class Measured:
    """Every rule measured once over the subtrees of `roots`: per rule, owner organisation id → Counts."""

    def __init__(self, roots: list[Organisation], year: int, today: datetime.date):
        self.ctx = Context(roots, year, today, registry.codes(), registry.fixed())
        self.paths = {org.pk: org.path for org in self.ctx.loaded}
        self.by_rule = {rule.key: rule.measure(self.ctx) for rule in registry.RULES}

    def counts(self, rule: registry.Rule, organisation: Organisation) -> Counts:
        total = Counts()
        for org_id, counts in self.by_rule[rule.key].items():
            if self.paths.get(org_id, "").startswith(organisation.path):
                total = total + counts
        return total

    def target(self, rule: registry.Rule) -> Fraction:
        return rule.target(self.ctx) if rule.target else Fraction(1)

    def status(self, rule: registry.Rule, counts: Counts) -> str:
        over = self.ctx.over if rule.yearly else False
        return status(counts, over=over, target=self.target(rule))

    def summary(self, organisation: Organisation) -> Summary:
        met = total = 0
        for rule in registry.RULES:
            counts = self.counts(rule, organisation)
            if counts.required:
                total += 1
                met += self.status(rule, counts) == MET
        return Summary(met, total)


def evaluate(
    organisation: Organisation, year: int, *, today: datetime.date | None = None, children: bool = False
) -> Evaluation:
    """Every rule that holds anyone in `organisation`'s subtree to it in `year`, read as of today; with
    `children`, the summaries of the organisations directly under it too, from the same measurement
    (one more query)."""
    today = today or timezone.localdate()
    measured = Measured([organisation], year, today)
    results = []
    for rule in registry.RULES:
        counts = measured.counts(rule, organisation)
        if counts.required == 0:
            continue
        quota = measured.ctx.rule(rule.code)
        results.append(
            RuleResult(
                code=rule.code,
                key=rule.key,
                label=rule.label,
                source=quota.source,
                unit=rule.unit,
                rule=quota,
                required=counts.required,
                done=counts.done,
                on_pace=counts.on_pace,
                missed=counts.missed,
                rate=rate(counts.done, counts.required),
                status=measured.status(rule, counts),
                shortfalls=rule.shortfalls(measured.ctx, organisation),
                app=rule.app,
            )
        )
    evaluation = Evaluation(organisation, year, measured.ctx.as_of, results, context=measured.ctx)
    if children:
        below = organisation.children.exclude(level=Organisation.Level.UNIT).order_by("path")
        for child in below:
            summary = measured.summary(child)
            if summary.total:
                evaluation.children.append((child, summary))
    return evaluation


def summary_by_organisation(
    organisations: Iterable[Organisation], year: int, *, today: datetime.date | None = None
) -> dict[int, Summary]:
    """{organisation id: Summary} for many organisations at once: the rules are measured once over all
    their subtrees (a fixed number of queries, whatever the number of organisations), then added up
    per organisation."""
    organisations = list(organisations)
    if not organisations:
        return {}
    measured = Measured(organisations, year, today or timezone.localdate())
    return {organisation.pk: measured.summary(organisation) for organisation in organisations}
