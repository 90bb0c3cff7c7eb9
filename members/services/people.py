"""Party members and the posts they hold (任职), saved together."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from liaison.access.scoping import ORGANISATION_OUT_OF_SCOPE, in_scope, visible_with_ancestors
from liaison.models import Organisation
from members.models import PartyMember
from members.services.common import full_clean

NOT_A_BRANCH = "党员应编入党支部：请选择一个党支部。"
DUPLICATE_ID_NUMBER = "该身份证号已登记为党员，请勿重复登记。"
POSITION_ORGANISATION_OUT_OF_SCOPE = "任职党组织不在您的管辖范围内。"


@transaction.atomic
def member_save(*, user, form, positions) -> PartyMember:
    """Save a member form and its positions formset together; nothing is half-saved."""
    member: PartyMember = form.save(commit=False)
    if not in_scope(user, member.organisation):
        raise ValidationError({"organisation": ORGANISATION_OUT_OF_SCOPE})
    if member.organisation.level != Organisation.Level.BRANCH:
        raise ValidationError({"organisation": NOT_A_BRANCH})
    allowed = set(visible_with_ancestors(user).values_list("pk", flat=True))
    for position_form in positions.forms:
        data = getattr(position_form, "cleaned_data", None) or {}
        organisation = data.get("organisation")
        if organisation is not None and not data.get("DELETE") and organisation.pk not in allowed:
            raise ValidationError({"__all__": POSITION_ORGANISATION_OUT_OF_SCOPE})
    full_clean(member)
    try:
        with transaction.atomic():
            member.save()
            positions.instance = member
            for position in positions.save(commit=False):
                full_clean(position)
                position.save()
            for position in positions.deleted_objects:
                position.delete()
    except IntegrityError as exc:
        raise ValidationError({"id_number": DUPLICATE_ID_NUMBER}) from exc
    return member
