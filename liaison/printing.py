"""Context for the backbone's printed forms: what each PDF shows, with masking already applied."""

from __future__ import annotations

from liaison.access.privacy import viewer_for
from liaison.documents.printing import printed_meta
from liaison.models import Household


def household_card_context(*, household: Household, user) -> dict:
    show = viewer_for(user).show
    residents = [
        {
            "name": r.name,
            "relation": r.get_relation_display(),
            "gender": r.get_gender_display(),
            "age": r.age,
            "occupation": r.occupation,
            "id_number": show(r, "id_number"),
            "phone": show(r, "phone"),
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
            "phone": show(household, "phone"),
            "residents": residents,
            "away": [r for r in residents if r["is_away"]],
        },
        **printed_meta(user),
    }
