"""Writes for the backbone: households with their residents, in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from liaison import forms, retention
from liaison.access.scoping import VILLAGE_OUT_OF_SCOPE, in_scope
from liaison.models import Household

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
        with transaction.atomic():
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
