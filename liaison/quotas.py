"""Read a quota by its code, as it stood on a day. The numbers live in the QuotaRule table
(fixtures/quota_rules.json seeds it; the 组织部 edits it at /config/quotas/, every change kept).

    quota_rule("pairing-visits")                       # in force today, the general rule
    quota_rule("pairing-visits", year=2026)            # in force for 2026 (on 31 December 2026)
    quota_rule("days-in-villages", on=day, organisation=township)   # a locality's own rule, if any

A year is judged by the rules in force at its end, so a change the 组织部 makes in 2027 (which can only
apply from 2027 on) never changes a 2026 result. A locality's own rule applies to its organisation's
subtree from the date it was added; before that, and elsewhere, the general rule does.

Each returns QuotaRule objects with `minimum`, `source`, `notes` and `effective_from` as they stood on
that day (never saved back); the query count does not grow with the number of codes.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from liaison.models import Organisation, QuotaRule, QuotaRuleChange
from liaison.models.organisations import PATH_STEP


class QuotaMissing(LookupError):
    pass


def as_of(on: datetime.date | None = None, year: int | None = None) -> datetime.date:
    """The day a rule is read for: `on`, the last day of `year`, or today."""
    if on is not None and year is not None:
        raise TypeError("give on= or year=, not both")
    if year is not None:
        return datetime.date(year, 12, 31)
    return on or timezone.localdate()


def quota_rule(
    code: str,
    *,
    on: datetime.date | None = None,
    year: int | None = None,
    organisation: Organisation | None = None,
) -> QuotaRule:
    return quotas(code, on=on, year=year, organisation=organisation)[code]


def quota(
    code: str,
    *,
    on: datetime.date | None = None,
    year: int | None = None,
    organisation: Organisation | None = None,
) -> Decimal:
    return quota_rule(code, on=on, year=year, organisation=organisation).minimum


def quotas(
    *codes: str,
    on: datetime.date | None = None,
    year: int | None = None,
    organisation: Organisation | None = None,
) -> dict[str, QuotaRule]:
    """Several rules in at most two queries, for pages that show many quotas."""
    day = as_of(on, year)
    scope = Q(organisation__isnull=True)
    if organisation is not None:
        scope |= Q(organisation__path__in=_ancestor_paths(organisation), applies_from__lte=day)
    candidates = QuotaRule.all_rules.filter(scope, code__in=codes).select_related("organisation")
    chosen: dict[str, QuotaRule] = {}
    for rule in candidates:  # the deepest locality wins over the general rule
        current = chosen.get(rule.code)
        if current is None or _depth(rule) > _depth(current):
            chosen[rule.code] = rule
    missing = set(codes) - set(chosen)
    if missing:
        raise QuotaMissing(f"定额规则 {', '.join(sorted(missing))} 不存在：请在“定额规则”中恢复它。")
    return in_force(chosen, day)


def in_force(rules: dict[str, QuotaRule], day: datetime.date) -> dict[str, QuotaRule]:
    """Each rule as it stood on `day`: the row itself from its effective_from on, else the values the
    earliest later change replaced (one query for all the rules that need one)."""
    past = [rule.pk for rule in rules.values() if day < rule.effective_from]
    if not past:
        return dict(rules)
    replaced: dict[int, QuotaRuleChange] = {}
    for change in QuotaRuleChange.objects.filter(rule_id__in=past, effective_from__gt=day).order_by(
        "rule_id", "effective_from", "id"
    ):
        replaced.setdefault(change.rule_id, change)
    result = {}
    for code, rule in rules.items():
        change = replaced.get(rule.pk)
        if change is None:
            result[code] = rule
            continue
        then = copy.copy(rule)
        then.minimum, then.source, then.notes = change.old_minimum, change.old_source, change.old_notes
        then.effective_from = change.old_effective_from
        result[code] = then
    return result


def rules_in_force(day: datetime.date) -> list[QuotaRule]:
    """Every rule (general, then each locality's under it) as it stood on `day`, for /config/quotas/."""
    rules = list(QuotaRule.all_rules.select_related("organisation").order_by("code", "organisation__path"))
    order = {
        code: i for i, code in enumerate(QuotaRule.objects.order_by("id").values_list("code", flat=True))
    }
    by_pk = in_force({str(rule.pk): rule for rule in rules}, day)
    return sorted(
        by_pk.values(), key=lambda r: (order.get(r.code, len(order)), r.organisation is not None, r.pk)
    )


def _ancestor_paths(organisation: Organisation) -> list[str]:
    path = organisation.path
    return [path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)]


def _depth(rule: QuotaRule) -> int:
    return -1 if rule.organisation is None else rule.organisation.depth
