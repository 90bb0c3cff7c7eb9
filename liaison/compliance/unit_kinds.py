"""The unit rules counted per kind of unit (issue 14: organisation kinds exist so that "the compliance of
each kind of unit is counted").

The unit pairings the four unit rules hold to a quota (rules/members.py `unit_pairings`: helping a
village of the subtree, running in the year) are grouped by the helper's kind of unit — its own, or a
branch's unit's (`Organisation.kind_of_unit_sql`; none is 未分类, never dropped) — and by pairing kind,
in one grouped statement. Whether a pairing reached its quota is the unit rules' own condition
(`unit_reached`: the QuotaRule as it stood at the year's end, a locality's own where one applies), so
each pairing kind's rows add up to its rule's row of the compliance table.

    rows = by_unit_kind(evaluation.context)      # the same year and subtree the table measured
    rows = unit_kind_table(township, 2025)       # on its own (the annual workbook)
    for row in rows:                             # KindRow, pairing kind then unit kind order
        row.unit_label, row.pairing_label, row.units, row.required, row.done, row.on_pace, row.rate
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Count
from django.utils import timezone

from liaison.compliance.core import PRO_RATA, Context
from liaison.compliance.rules.members import unit_pairings, unit_reached
from liaison.models import Organisation
from liaison.text.numbers import rate
from members.models import UnitPairing

UNCLASSIFIED = "unclassified"  # the query-string value of the 未分类 row (its kind is "")
UNCLASSIFIED_LABEL = "未分类"
UNKNOWN_UNIT_KIND = "没有这个单位类别，下面列出的是全部单位类别的。"
UNIT_KIND_ORDER = [*Organisation.Kind.values, ""]
PAIRING_KIND_ORDER = list(UnitPairing.Kind.values)


def unit_kind_label(unit_kind: str) -> str:
    return Organisation.Kind(unit_kind).label if unit_kind else UNCLASSIFIED_LABEL


def parse_unit_kind(value: str) -> str | None:
    """A query-string value → the kind to filter by ("" for 未分类), or None when it is no kind."""
    if value == UNCLASSIFIED:
        return ""
    return value if value in Organisation.Kind.values else None


@dataclass(frozen=True)
class KindRow:
    """The unit pairings of one pairing kind whose helpers are of one kind of unit; with `unit_kind` None,
    a pairing kind's total over every kind of unit (its rule's row)."""

    pairing_kind: str
    unit_kind: str | None
    units: int  # distinct helper organisations
    required: int  # pairings running in the year
    done: int  # reached their kind's quota
    on_pace: int  # reached what is due of it so far

    @property
    def pairing_label(self) -> str:
        return UnitPairing.Kind(self.pairing_kind).label

    @property
    def unit_label(self) -> str:
        return "合计" if self.unit_kind is None else unit_kind_label(self.unit_kind)

    @property
    def rule_key(self) -> str:
        return f"unit-{self.pairing_kind}"  # rules/members.py registers each kind under this key

    @property
    def query_value(self) -> str:
        """The `unit_kind` of the shortfall list's URL."""
        return self.unit_kind or UNCLASSIFIED

    @property
    def behind(self) -> int:
        """Below what is due so far: the rows of the rule's shortfall list filtered to this kind."""
        return self.required - self.on_pace

    @property
    def rate(self) -> Decimal | None:
        return rate(self.done, self.required)


def by_unit_kind(ctx: Context) -> list[KindRow]:
    """Pairing kind × kind of unit for the context's subtrees and year, in one grouped statement; ordered
    as the pairing kinds and Organisation.Kind are, 未分类 last."""
    kinds = UnitPairing.QUOTA_CODES
    done = reduce(or_, (unit_reached(ctx, kind) for kind in kinds))
    on_pace = reduce(or_, (unit_reached(ctx, kind, pace=PRO_RATA) for kind in kinds))
    grouped = (
        unit_pairings(ctx)
        .order_by()
        .annotate(helper_kind=Organisation.kind_of_unit_sql("helper_organisation"))
        .values("kind", "helper_kind")
        .annotate(
            units=Count("helper_organisation", distinct=True),
            required=Count("pk"),
            done=Count("pk", filter=done),
            on_pace=Count("pk", filter=on_pace),
        )
        .values_list("kind", "helper_kind", "units", "required", "done", "on_pace")
    )
    rows = [KindRow(*values) for values in grouped]
    return sorted(
        rows, key=lambda r: (PAIRING_KIND_ORDER.index(r.pairing_kind), UNIT_KIND_ORDER.index(r.unit_kind))
    )


def totals(rows: list[KindRow]) -> list[KindRow]:
    """Each pairing kind's rows added up (a helper has one kind, so its units add up too): the figures of
    that kind's rule in the compliance table."""
    found: dict[str, KindRow] = {}
    for row in rows:
        before = found.get(row.pairing_kind, KindRow(row.pairing_kind, None, 0, 0, 0, 0))
        found[row.pairing_kind] = KindRow(
            row.pairing_kind,
            None,
            before.units + row.units,
            before.required + row.required,
            before.done + row.done,
            before.on_pace + row.on_pace,
        )
    return list(found.values())


def grouped(rows: list[KindRow]) -> list[tuple[KindRow, list[KindRow]]]:
    """(the pairing kind's total, its rows) for each pairing kind, in the rows' order."""
    return [(total, [r for r in rows if r.pairing_kind == total.pairing_kind]) for total in totals(rows)]


def unit_kind_table(
    organisation: Organisation, year: int, *, today: datetime.date | None = None
) -> list[KindRow]:
    """by_unit_kind for one subtree and year, reading only the unit rules' quotas."""
    ctx = Context([organisation], year, today or timezone.localdate(), UnitPairing.QUOTA_CODES.values())
    return by_unit_kind(ctx)
