"""The 八清楚 of a household copied onto a visit as they stand on the visit's day.

Only copying lives here; the entry service decides when (at the save, after any correction made on the
form has gone through the household's own validation). Reading a 民情日志 never touches the household.
"""

from __future__ import annotations

import datetime

from liaison.models import Household, Resident
from visits import rules
from visits.models import Visit, VisitMember

# Household column → visit column.
HOUSEHOLD_FIELDS: dict[str, str] = {
    "group": "group",
    "address": "address",
    "head_name": "head_name",
    "annual_income": "annual_income",
    "skills": "skills",
    "housing_area": "housing_area",
    "phone": "phone",
    "party_member_info": "party_member_info",
    "problems": "household_problems",
    "requests": "household_requests",
}
AWAY_FIELDS: dict[str, str] = {
    "away_location": "away_location",
    "away_income": "away_income",
    "away_requests": "away_requests",
    "away_party_life": "away_party_life",
    "away_law_record": "away_law_record",
    "away_return": "away_return",
}


def copy_household(visit: Visit, household: Household) -> None:
    visit.household = household
    visit.organisation_id = household.organisation_id
    for source, target in HOUSEHOLD_FIELDS.items():
        setattr(visit, target, getattr(household, source))


def member_rows(visit: Visit, residents: list[Resident], on: datetime.date) -> list[VisitMember]:
    """The family rows, 户主 first then in the household's order; unsaved, for bulk_create."""
    ordered = sorted(residents, key=lambda r: (r.relation != Resident.Relation.HEAD, r.pk or 0))
    rows = []
    for position, resident in enumerate(ordered, start=1):
        row = VisitMember(
            visit=visit,
            position=position,
            resident=resident if resident.pk else None,
            name=resident.name,
            relation=resident.get_relation_display(),
            gender=resident.gender,
            age=rules.age_on(resident.birth_year, on),
            occupation=resident.occupation,
            is_party_member=resident.is_party_member,
            is_away=resident.is_away,
            phone=resident.phone if resident.is_away else "",
        )
        if resident.is_away:
            for source, target in AWAY_FIELDS.items():
                setattr(row, target, getattr(resident, source))
        rows.append(row)
    return rows


def take_snapshot(visit: Visit, household: Household) -> list[VisitMember]:
    """Copy the household onto `visit` (unsaved columns) and return its family rows (unsaved)."""
    copy_household(visit, household)
    residents = list(Resident.objects.filter(household=household).order_by("id"))
    return member_rows(visit, residents, visit.visited_on)


def save_members(visit: Visit, rows: list[VisitMember]) -> None:
    """Replace the visit's family rows (a corrected snapshot replaces the old one, on record)."""
    VisitMember.objects.filter(visit=visit).delete()
    for row in rows:
        row.visit = visit
        row.full_clean(exclude=["visit"])
    VisitMember.objects.bulk_create(rows)
