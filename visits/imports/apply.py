"""Write a visits plan in the commit's transaction, in bulk: the visitors' posts, the pairings and the
households' residents are read once per chunk, the visits and their family rows go in with bulk_create,
and each gets its audit entry (liaison.audit.bulk, naming the batch).

The snapshot is the household as it stands at import time (its 八清楚 and family rows, ages counted to
the visit's year): a year-old paper log typed up today carries today's household, which is what the
system knows; the clerk corrects an old log's rows on its edit page if the booklet says otherwise.

A row settled other than on the spot (限期办理 / 转有关部门办理) registers its Opinion as the entry screen
does, through feedback.services.opinion_register (visits.services.visits._register_opinion, channel
走访, the importer as 责任人): those rows cost the service's own queries each.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from liaison.audit import bulk as audit
from liaison.models import Resident
from members.imports.plan import chunks
from members.models import Pairing, Position
from visits.imports.plan import VisitPlan
from visits.models import Visit, VisitMember
from visits.services.snapshot import copy_household, member_rows
from visits.services.visits import _register_opinion, title_from

BATCH = 500


def _positions(visitor_ids: list[int]) -> dict[int, list[Position]]:
    found: dict[int, list[Position]] = defaultdict(list)
    for chunk in chunks(visitor_ids):
        for position in Position.objects.filter(member_id__in=chunk).select_related("organisation"):
            found[position.member_id].append(position)
    return found


def _residents(household_ids: list[int]) -> dict[int, list[Resident]]:
    found: dict[int, list[Resident]] = defaultdict(list)
    for chunk in chunks(household_ids):
        for resident in Resident.objects.filter(household_id__in=chunk).order_by("id"):
            found[resident.household_id].append(resident)
    return found


def _pairings(household_ids: list[int], visitor_ids: list[int]) -> dict[tuple[int, int], list[tuple]]:
    """(household, member) → [(start, id, ended_on)] of the pairings joining them."""
    found: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for chunk in chunks(household_ids):
        rows = Pairing.objects.filter(
            household_id__in=chunk, memberships__member_id__in=visitor_ids
        ).values_list("household_id", "memberships__member_id", "start_date", "id", "ended_on")
        for household_id, member_id, start, pk, ended_on in rows:
            found[(household_id, member_id)].append((start, pk, ended_on))
    return found


def _pairing_on(candidates: list[tuple], day: datetime.date) -> int | None:
    """visits.services.visits.pairing_of over loaded rows: the latest pairing running on the day."""
    running = [
        (start, pk) for start, pk, ended in candidates if start <= day and (ended is None or ended >= day)
    ]
    return max(running)[1] if running else None


def apply_plan(plan: VisitPlan, *, user, batch_id: int | None = None, now=None) -> list[Visit]:
    planned = plan.new
    if not planned:
        return []
    visitor_ids = sorted({p.visitor.pk for p in planned})
    household_ids = sorted({p.household.pk for p in planned})
    positions = _positions(visitor_ids)
    residents = _residents(household_ids)
    pairings = _pairings(household_ids, visitor_ids)
    visits, rows = [], []
    for p in planned:
        visit = Visit(
            visitor=p.visitor,
            visited_on=p.visited_on,
            visitor_title=title_from(positions.get(p.visitor.pk, []), p.visitor, p.visited_on),
            pairing_id=_pairing_on(pairings.get((p.household.pk, p.visitor.pk), []), p.visited_on),
            situation=p.situation,
            problem=p.problem,
            handling=p.handling,
            handling_text=p.handling_text,
            resident_opinion=p.resident_opinion,
            signed_by=p.signed_by,
            signed_on=p.signed_on,
            created_by=user if user.is_authenticated else None,
        )
        copy_household(visit, p.household)
        visits.append(visit)
        rows.append(member_rows(visit, residents.get(p.household.pk, []), p.visited_on))
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    members = []
    for visit, family in zip(visits, rows, strict=True):
        for row in family:
            row.visit = visit
            members.append(row)
    VisitMember.objects.bulk_create(members, batch_size=BATCH)
    extra = {"visit_import": batch_id} if batch_id else None
    audit.log_created(visits, additional_data=extra)
    audit.log_created(members, additional_data=extra)
    for p, visit in zip(planned, visits, strict=True):
        if p.creates_opinion:
            _register_opinion(
                user=user,
                visit=visit,
                category=p.category,
                responsible=user,
                subject="",
                phone=p.household.phone,
                now=now,
            )
    return visits
