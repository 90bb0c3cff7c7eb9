"""Read a quota by its code. The numbers live in the QuotaRule table (fixtures/quota_rules.json)."""

from __future__ import annotations

from decimal import Decimal

from liaison.models import QuotaRule


class QuotaMissing(LookupError):
    pass


def quota_rule(code: str) -> QuotaRule:
    try:
        return QuotaRule.objects.get(code=code)
    except QuotaRule.DoesNotExist as exc:
        raise QuotaMissing(f"定额规则 {code} 不存在：请在“定额规则”中恢复它。") from exc


def quota(code: str) -> Decimal:
    return quota_rule(code).minimum


def quotas(*codes: str) -> dict[str, QuotaRule]:
    """Several rules in one query, for pages that show many quotas."""
    found = {rule.code: rule for rule in QuotaRule.objects.filter(code__in=codes)}
    missing = set(codes) - set(found)
    if missing:
        raise QuotaMissing(f"定额规则 {', '.join(sorted(missing))} 不存在。")
    return found
