"""Writes for the backbone: households with their residents, in one transaction; quota rule changes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from liaison import forms, retention, totals
from liaison.access.scoping import VILLAGE_OUT_OF_SCOPE, in_scope
from liaison.models import Household, QuotaRule, QuotaRuleChange

DUPLICATE_HOUSEHOLD = forms.DUPLICATE_HOUSEHOLD
DUPLICATE_ID_NUMBER = "家庭成员的身份证号已登记在其他户，请核对。"


@transaction.atomic
def household_save(*, user, form, formset) -> Household:
    """Save a household form and its resident formset together; nothing is half-saved.

    Raises ValidationError (with field keys where they apply) when the household would leave the
    user's subtree or duplicate an existing one.
    """
    household: Household = form.save(commit=False)
    if not in_scope(user, household.organisation):
        raise ValidationError({"organisation": VILLAGE_OUT_OF_SCOPE})
    household.head_name = formset.head_name
    if household.pk is None:
        household.created_by = user
    try:
        household.full_clean(validate_constraints=True)
    except ValidationError as exc:
        if any("household_unique_address_head" in str(m) or "同一户主" in str(m) for m in exc.messages):
            raise ValidationError(DUPLICATE_HOUSEHOLD) from exc
        raise
    try:
        # One recount of the village's stored totals for the household and all its residents.
        with transaction.atomic(), totals.deferred():
            household.save()
            form.save_m2m()
            formset.instance = household
            # Residents who moved away or died are archived first, so the new 户主 chosen in the same
            # submit does not meet the old one in the one-head constraint.
            for departed in getattr(formset, "departed_forms", []):
                retention.resident_archive(
                    user=user,
                    resident=departed.instance,
                    reason=departed.cleaned_data["departure"],
                    on=departed.cleaned_data.get("departed_on"),
                    note="在户情编辑页登记",
                    allow_head=True,
                )
            formset.save()
    except IntegrityError as exc:
        # Two submits of the same form racing each other: the database constraint decides.
        message = DUPLICATE_ID_NUMBER if "id_number" in str(exc) else DUPLICATE_HOUSEHOLD
        raise ValidationError(message) from exc
    return household


# --- quota rules (DESIGN.md "Quotas are data"): every change kept, none reaching into a closed year ------

EFFECTIVE_IN_CLOSED_YEAR = "{year}年及以前的考核已按当时的规则进行，修改只能从{this}年1月1日或以后生效。"
EFFECTIVE_BEFORE_CURRENT = "现行数值自 {current} 起生效，新数值的生效日期不能早于这一天。"
NOTHING_CHANGED = "数值、依据和说明都没有变化，没有保存。"
LOCAL_RULE_EXISTS = "{organisation}已有自己的这条规则，请在下方修改它。"
LOCAL_RULE_NOT_BELOW = "地方规则只能为本单位及下级党组织设置。"


def earliest_effective_date(rule: QuotaRule | None = None) -> datetime.date:
    """A change applies from 1 January of the current year at the earliest (never into a closed year),
    and never before the values it replaces took effect."""
    earliest = datetime.date(timezone.localdate().year, 1, 1)
    return max(earliest, rule.effective_from) if rule is not None else earliest


def _check_effective(effective_from: datetime.date, rule: QuotaRule | None = None) -> None:
    this_year = timezone.localdate().year
    if effective_from.year < this_year:
        raise ValidationError(
            {"effective_from": EFFECTIVE_IN_CLOSED_YEAR.format(year=this_year - 1, this=this_year)}
        )
    if rule is not None and effective_from < rule.effective_from:
        raise ValidationError(
            {"effective_from": EFFECTIVE_BEFORE_CURRENT.format(current=rule.effective_from.isoformat())}
        )


@transaction.atomic
def quota_rule_change(
    *, user, rule: int, minimum, source: str, notes: str, effective_from: datetime.date
) -> QuotaRuleChange:
    """Change a rule from `effective_from` on, keeping what it replaces (who, when, old → new)."""
    current = QuotaRule.all_rules.select_for_update().get(pk=rule)
    _check_effective(effective_from, current)
    if (current.minimum, current.source, current.notes) == (minimum, source, notes):
        raise ValidationError(NOTHING_CHANGED)
    change = QuotaRuleChange(
        rule=current,
        changed_by=user,
        effective_from=effective_from,
        old_effective_from=current.effective_from,
        old_minimum=current.minimum,
        new_minimum=minimum,
        old_source=current.source,
        new_source=source,
        old_notes=current.notes,
        new_notes=notes,
    )
    change.full_clean()
    change.save()
    current.minimum, current.source, current.notes, current.effective_from = (
        minimum,
        source,
        notes,
        effective_from,
    )
    current.full_clean(validate_constraints=False)
    current.save()
    return change


@transaction.atomic
def quota_rule_localise(
    *, user, rule: int, organisation, minimum, source: str, notes: str, effective_from: datetime.date
) -> QuotaRule:
    """A locality's own rule (麻塘山乡's 120 days in villages, 002): the general rule's code, name and
    period, its own number and source, for the organisation's subtree from `effective_from` on."""
    general = QuotaRule.objects.get(pk=rule)
    _check_effective(effective_from)
    if not in_scope(user, organisation):
        raise ValidationError({"organisation": LOCAL_RULE_NOT_BELOW})
    if QuotaRule.all_rules.filter(code=general.code, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": LOCAL_RULE_EXISTS.format(organisation=organisation.display_name)}
        )
    local = QuotaRule(
        code=general.code,
        name=general.name,
        subject=general.subject,
        unit=general.unit,
        period=general.period,
        organisation=organisation,
        minimum=minimum,
        source=source,
        notes=notes,
        applies_from=effective_from,
        effective_from=effective_from,
    )
    local.full_clean(validate_constraints=False)
    local.save()
    return local
