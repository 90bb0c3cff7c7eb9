"""A year of visits for the district-sized data set (`seed_demo --scale district`).

DESIGN.md "Scale": 1 M visits a year for 400,000 households, i.e. 2.5 a household. Each village's
members visit its households on days spread over the last twelve months; a share of visits bring a
problem. The snapshot columns are copied from the households, and the family rows (VisitMember) are
copied from the residents in one INSERT … SELECT, as the entry screen's snapshot would have them.
"""

from __future__ import annotations

import datetime

from django.db import connection

from liaison.demo.scale import ScaleContext, batched_create
from liaison.models import Household, Resident
from visits.demo import PROBLEMS, RESIDENT_OPINIONS, SITUATIONS
from visits.models import Visit, VisitMember

VISITS_PER_HOUSEHOLD = 2.5
VISITOR_TITLE = "村党组织班子成员"


def seed_visits(ctx: ScaleContext) -> str:
    total = 0
    first_id = None
    for village in ctx.villages:
        if not village.member_ids or not village.household_ids:
            continue
        rng = ctx.rng(f"visits:{village.organisation.code}")
        households = {
            row["pk"]: row
            for row in Household.objects.filter(pk__in=village.household_ids).values(
                "pk",
                "group",
                "address",
                "head_name",
                "phone",
                "housing_area",
                "annual_income",
                "skills",
                "party_member_info",
            )
        }
        wanted = round(len(households) * VISITS_PER_HOUSEHOLD)
        ids = list(households)
        taken: set[tuple[int, int, datetime.date]] = set()
        rows = []
        for _ in range(wanted):
            household = households[rng.choice(ids)]
            visitor = rng.choice(village.member_ids)
            day = ctx.today - datetime.timedelta(days=rng.randint(0, 364))
            if (visitor, household["pk"], day) in taken:
                continue
            taken.add((visitor, household["pk"], day))
            problem, handling, handling_text = rng.choice(PROBLEMS)
            rows.append(
                Visit(
                    organisation_id=village.organisation.pk,
                    household_id=household["pk"],
                    visitor_id=visitor,
                    visitor_title=VISITOR_TITLE,
                    visited_on=day,
                    group=household["group"],
                    address=household["address"],
                    head_name=household["head_name"],
                    phone=household["phone"],
                    housing_area=household["housing_area"],
                    annual_income=household["annual_income"],
                    skills=household["skills"],
                    party_member_info=household["party_member_info"],
                    situation=rng.choice(SITUATIONS),
                    problem=problem,
                    handling=handling,
                    handling_text=handling_text,
                    resident_opinion=rng.choice(RESIDENT_OPINIONS),
                    signed_by=household["head_name"],
                    signed_on=day,
                )
            )
        created = batched_create(Visit, rows)
        if created and first_id is None:
            first_id = created[0].pk
        total += len(created)
    members = _copy_family_rows(first_id) if first_id is not None else 0
    ctx.counts.update(visits=total)
    return f"入户走访：走访 {total} 条（被访家庭成员快照 {members} 行）"


def _copy_family_rows(first_visit_id: int) -> int:
    """Every visit's family rows from its household's residents, 户主 first, in one statement."""
    visit, member, resident = Visit._meta.db_table, VisitMember._meta.db_table, Resident._meta.db_table
    year = (
        "CAST(strftime('%%Y', v.visited_on) AS INTEGER)"
        if connection.vendor == "sqlite"
        else "CAST(EXTRACT(YEAR FROM v.visited_on) AS INTEGER)"
    )
    relation = (
        "CASE r.relation " + " ".join("WHEN %s THEN %s" for _ in Resident.Relation.choices) + " ELSE '' END"
    )
    params: list = [value for pair in Resident.Relation.choices for value in pair]
    sql = f"""
        INSERT INTO {member} (visit_id, position, resident_id, name, relation, gender, age, occupation,
            is_party_member, is_away, away_location, phone, away_income, away_requests, away_party_life,
            away_law_record, away_return)
        SELECT v.id,
            ROW_NUMBER() OVER (PARTITION BY v.id ORDER BY CASE WHEN r.relation = 'head' THEN 0 ELSE 1 END, r.id),
            r.id, r.name, {relation}, r.gender,
            CASE WHEN r.birth_year IS NULL THEN NULL
                 WHEN {year} - r.birth_year < 0 THEN 0 ELSE {year} - r.birth_year END,
            r.occupation, r.is_party_member, r.is_away,
            CASE WHEN r.is_away THEN r.away_location ELSE '' END,
            CASE WHEN r.is_away THEN r.phone ELSE '' END,
            CASE WHEN r.is_away THEN r.away_income ELSE NULL END,
            CASE WHEN r.is_away THEN r.away_requests ELSE '' END,
            CASE WHEN r.is_away THEN r.away_party_life ELSE '' END,
            CASE WHEN r.is_away THEN r.away_law_record ELSE '' END,
            CASE WHEN r.is_away THEN r.away_return ELSE '' END
        FROM {visit} v JOIN {resident} r ON r.household_id = v.household_id AND r.archived_on IS NULL
        WHERE v.id >= %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, first_visit_id])
        return cursor.rowcount
