"""Context for the backbone's printed forms: what each PDF shows, with masking already applied."""

from __future__ import annotations

from django.utils import timezone

from liaison.access.privacy import can_see_personal_data, mask_id_number, mask_phone
from liaison.models import Household


def household_card_context(*, household: Household, user) -> dict:
    full = can_see_personal_data(user)
    phone = (lambda v: v) if full else mask_phone
    id_number = (lambda v: v) if full else mask_id_number
    residents = [
        {
            "name": r.name,
            "relation": r.get_relation_display(),
            "gender": r.get_gender_display(),
            "age": r.age,
            "occupation": r.occupation,
            "id_number": id_number(r.id_number),
            "phone": phone(r.phone),
            "is_party_member": r.is_party_member,
            "is_away": r.is_away,
            "away_location": r.away_location,
            "away_income": r.away_income,
            "away_requests": r.away_requests,
            "away_party_life": r.away_party_life,
            "away_law_record": r.away_law_record,
            "away_return": r.away_return,
        }
        for r in household.residents.all()
    ]
    return {
        "household": household,
        "card": {
            "phone": phone(household.phone),
            "residents": residents,
            "away": [r for r in residents if r["is_away"]],
        },
        "printed_by": getattr(user, "display_name", ""),
        "printed_at": timezone.localtime(),
    }
