"""The rule registry: each app's rule is one entry, registered by the module under liaison/compliance/
rules/ that reads that app's tables (the report/dashboard layer, the one place liaison may import the
apps: DESIGN.md "Apps and what each owns")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from liaison.compliance.core import Context, Counts, Shortfalls
from liaison.models import Organisation, QuotaRule


@dataclass(frozen=True)
class Rule:
    key: str  # unique in the registry (several entries may read one QuotaRule code, e.g. per level)
    code: str  # the QuotaRule that holds the minimum
    label: str  # Chinese, as the table shows it
    unit: str  # what one subject is: 人, 户, 周, 月, 件, 个村（社区）…
    measure: Callable[[Context], dict[int, Counts]]  # owning organisation id → counts
    shortfalls: Callable[[Context, Organisation], Shortfalls]
    app: str  # the app whose records it reads (its permission decides who sees the links)
    target: Callable[[Context], Fraction] | None = None  # a share rule (opinions on time); else all
    # Where no QuotaRule row holds the number, an unsaved QuotaRule built from the app's rules.py constant.
    fixed: Callable[[], QuotaRule] | None = None
    # Judged per year (False: coverage per 届, whose term runs on across years; only `missed` decides).
    yearly: bool = True
    # The keyword filters `shortfalls` takes besides (ctx, organisation), by the name the drill-down
    # page reads from its query string (the unit rules: "unit_kind").
    filters: tuple[str, ...] = ()


RULES: list[Rule] = []
# The table's order: by app, each app's rules in the order its module registers them.
APP_ORDER = ("visits", "feedback", "members", "commitments")


def register(rule: Rule) -> Rule:
    if any(existing.key == rule.key for existing in RULES):
        raise ValueError(f"compliance rule {rule.key} registered twice")
    RULES.append(rule)
    RULES.sort(key=lambda r: APP_ORDER.index(r.app))  # stable: keeps each app's own order
    return rule


def codes() -> set[str]:
    return {rule.code for rule in RULES if rule.fixed is None}


def fixed() -> dict[str, QuotaRule]:
    return {rule.code: rule.fixed() for rule in RULES if rule.fixed is not None}
