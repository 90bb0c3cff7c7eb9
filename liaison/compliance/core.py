"""The engine's parts: what a rule measures (Counts), the year it is read for (Context), how a rule's
status follows from its counts, and the lazily evaluated list of who falls short (Shortfalls).

A rule's measure returns, per owning organisation id, four counts of its *subjects* (the people,
households, pairings, units or periods the rule holds to a minimum):

- ``required``: the subjects held to the rule this year;
- ``done``: those that reached the minimum (the rule's QuotaRule, as it stood on 31 December of the
  year, a locality's own rule where one applies);
- ``on_pace``: those that reached what is due so far (the minimum pro rata of the year run, rounded
  down, like ``visits.coverage_rules.visits_due``; a period not yet due counts as on pace);
- ``missed``: those that can no longer reach it (their period is over and they fell short).

Status, with ``need = required × target`` (target 100% unless the rule is itself a share, such as
opinions answered on time):

- **met**: ``done ≥ need``, or the period is not over and ``on_pace ≥ need`` (on track);
- **missed**: the period is over short of ``need``, or so many are missed that ``need`` is out of reach;
- **at_risk**: the period is not over and fewer than ``need`` are on pace.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Case, DecimalField, IntegerField, Q, Value, When

from liaison.models import Organisation, QuotaRule
from liaison.quotas import in_force

MET, AT_RISK, MISSED = "met", "at_risk", "missed"
STATUS_LABELS = {MET: "达标", AT_RISK: "进度滞后", MISSED: "未达标"}
ON_PACE_LABEL = "按进度"  # met while the period runs: everyone at what is due so far, not all done yet

# How what is due so far grows through the year.
PRO_RATA = "pro_rata"  # minimum × share of the year run, rounded down (visits, talks, days …)
FROM_START = "from_start"  # due in full from the first day (每年初承诺一次)
AT_END = "at_end"  # due only once the year is over (考核评诺 at the year's end)


@dataclass
class Counts:
    required: int = 0
    done: int = 0
    on_pace: int = 0
    missed: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.required + other.required,
            self.done + other.done,
            self.on_pace + other.on_pace,
            self.missed + other.missed,
        )


def status(counts: Counts, *, over: bool, target: Fraction = Fraction(1)) -> str:
    if counts.required == 0:
        return MET
    need = target * counts.required
    if counts.done >= need:
        return MET
    if over or counts.required - counts.missed < need:
        return MISSED
    return MET if counts.on_pace >= need else AT_RISK


class Context:
    """One year, read as of today, for the subtrees of `roots` (the union; queries are scoped to it)."""

    def __init__(
        self,
        roots: Iterable[Organisation],
        year: int,
        today: datetime.date,
        codes: Iterable[str],
        fixed: dict[str, QuotaRule] | None = None,
    ):
        self.year, self.today = year, today
        self.start, self.end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        self.over = today > self.end
        self.future = today < self.start
        self.as_of = min(today, self.end)
        run = 0 if self.future else (self.as_of - self.start).days + 1
        self.elapsed = Fraction(run, (self.end - self.start).days + 1)
        paths = sorted({org.path for org in roots})
        self.paths = [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]
        self.quotas = load_quotas(codes, self.end)
        self._loaded: list[Organisation] | None = None
        self.cache: dict = {}  # measures that serve several rules in one statement keep it here
        for code, rule in (fixed or {}).items():  # a rules.py constant standing where no QuotaRule exists
            self.quotas.setdefault(code, [rule])

    # -- scope ------------------------------------------------------------------------------------------
    def tree(self, path_field: str = "path") -> Q:
        condition = Q(pk__in=[])
        for path in self.paths:
            condition |= Q(**{f"{path_field}__startswith": path})
        return condition

    def organisations(self):
        return Organisation.objects.filter(self.tree())

    @property
    def loaded(self) -> list[Organisation]:
        """The subtrees' organisations, read once (with their parents) for every rule that needs them."""
        if self._loaded is None:
            self._loaded = list(self.organisations().select_related("parent").order_by("path"))
        return self._loaded

    def at_levels(self, levels, root: Organisation | None = None) -> list[Organisation]:
        return [
            org
            for org in self.loaded
            if org.level in levels and (root is None or org.path.startswith(root.path))
        ]

    def within(self, field: str = "organisation") -> Q:
        """`field` (a lookup to an Organisation) lies in the subtrees: `field_id IN (subtree ids)`."""
        return Q(**{f"{field}__in": self.organisations().values("pk")})

    # -- quotas -----------------------------------------------------------------------------------------
    def rule(self, code: str) -> QuotaRule:
        """The general rule as it stood at the year's end (what the table cites)."""
        return self.quotas[code][-1]

    def localities(self, code: str) -> list[QuotaRule]:
        return self.quotas[code][:-1]

    def rule_for(self, code: str, path: str) -> QuotaRule:
        for rule in self.quotas[code]:
            if rule.organisation is None or path.startswith(rule.organisation.path):
                return rule
        return self.rule(code)

    def due(self, minimum: Decimal, pace: str = PRO_RATA) -> Decimal:
        """What is due of `minimum` by the day the year is read for."""
        if self.over or pace == FROM_START and not self.future:
            return minimum
        if pace == AT_END or self.future:
            return Decimal(0)
        return Decimal(math.floor(Fraction(minimum) * self.elapsed))

    def threshold(self, code: str, path_field: str, *, pace: str | None = None, money: bool = False):
        """The minimum (or what is due of it so far, with `pace`) for each row, by its organisation's path:
        a Case over the localities' own rules, deepest first, then the general rule."""
        output = DecimalField(max_digits=14, decimal_places=2) if money else IntegerField()

        def value(rule: QuotaRule):
            amount = self.due(rule.minimum, pace) if pace else rule.minimum
            return Value(amount if money else int(amount), output_field=output)

        whens = [
            When(**{f"{path_field}__startswith": rule.organisation.path}, then=value(rule))
            for rule in self.localities(code)
        ]
        default = value(self.rule(code))
        return Case(*whens, default=default, output_field=output) if whens else default


def load_quotas(codes: Iterable[str], day: datetime.date) -> dict[str, list[QuotaRule]]:
    """Every rule of `codes`, general and local, as it stood on `day`: code → localities deepest first,
    then the general rule (two queries at most, whatever the number of codes)."""
    codes = sorted(set(codes))
    candidates = (
        QuotaRule.all_rules.filter(code__in=codes)
        .filter(Q(organisation__isnull=True) | Q(applies_from__lte=day))
        .select_related("organisation")
    )
    rules = in_force({str(rule.pk): rule for rule in candidates}, day)
    grouped: dict[str, list[QuotaRule]] = {}
    for rule in sorted(
        rules.values(), key=lambda r: -1 if r.organisation is None else r.organisation.depth, reverse=True
    ):
        grouped.setdefault(rule.code, []).append(rule)
    return grouped


# -- who falls short ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shortfall:
    """One person, household, pairing, unit or period short of a rule, and where its records are."""

    name: str
    organisation: str
    achieved: Decimal | int | str
    minimum: Decimal | int | str
    url: str
    note: str = ""


class Shortfalls:
    """A lazily evaluated, paginatable sequence: nothing is read until it is counted, sliced or iterated.
    `source()` gives a queryset (or a list); `to_item` turns one of its rows into a Shortfall."""

    def __init__(self, source: Callable[[], Iterable], to_item: Callable[[object], Shortfall]):
        self._source, self._to_item = source, to_item
        self._rows = None

    @property
    def rows(self):
        if self._rows is None:
            self._rows = self._source()
        return self._rows

    def count(self) -> int:
        rows = self.rows
        return rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        found = self.rows[index]
        if isinstance(index, slice):
            return [self._to_item(row) for row in found]
        return self._to_item(found)

    def __iter__(self) -> Iterator[Shortfall]:
        return (self._to_item(row) for row in self.rows)


NO_SHORTFALLS = Shortfalls(list, lambda row: row)
