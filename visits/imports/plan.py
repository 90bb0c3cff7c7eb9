"""Plan a visits import without writing anything: every row checked, its visitor and household matched in
the importer's scope, its duplicates found. Queries are per chunk of names or households, never per row.

The same checks as the entry screen (visits.services.visits, visits.forms): a date not in the future nor
before the household existed, a signature not before the visit, the 办理情况 text when a way is chosen,
the problem and the 1234 category when the visit becomes an Opinion, and the model's own field checks.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Min
from django.utils import timezone

from liaison.access.scoping import scoped
from liaison.models import Household, Resident
from liaison.safeguards.dates import NOT_IN_FUTURE
from liaison.validators import normalise_phone
from members.imports.plan import UNKNOWN_VILLAGE, RowError, RowReader, chunks, villages_index
from members.imports.reader import Workbook
from members.imports.values import Bad
from members.scope import visible_members
from visits.forms import HANDLING_TEXT_NEEDED, SIGNED_BEFORE_VISIT
from visits.imports.columns import VISITS
from visits.models import CREATES_OPINION, Handling, Visit
from visits.services.visits import BEFORE_HOUSEHOLD, CATEGORY_NEEDED, PROBLEM_NEEDED

NO_VISITOR = "在您的管辖范围内没有名为“{name}”的党员。"
VISITOR_KEY_MISMATCH = "“{name}”的身份证号或电话与所填的不符。"
AMBIGUOUS_VISITOR = "您的管辖范围内有 {count} 名党员叫“{name}”，请在“家访人身份证号或电话”中填写完整号码。"
NO_HOUSEHOLD = "{village}没有户主为“{name}”的户（或不在您的管辖范围内）。"
NO_HOUSEHOLD_AT = "{village}户主为“{name}”的户中，没有居住地点为“{address}”的。"
AMBIGUOUS_HOUSEHOLD = "{village}有 {count} 户户主叫“{name}”，请填写居住地点。"
DUPLICATE_ROW = "与第 {row} 行是同一家访人、同一户、同一天的走访，只能记一条。"

HANDLING_BY_LABEL = {str(label): value for value, label in Handling.choices}
# Visit field → template column, for the model's own validation messages.
FIELD_COLUMNS = {
    "visited_on": "visited_on",
    "situation": "situation",
    "problem": "problem",
    "handling": "handling",
    "handling_text": "handling_text",
    "resident_opinion": "resident_opinion",
    "signed_by": "signed_by",
    "signed_on": "signed_on",
}


@dataclass
class PlannedVisit:
    row: int
    visitor: object
    household: Household
    visited_on: datetime.date
    situation: str
    problem: str
    handling: str
    handling_text: str
    category: int | None
    resident_opinion: str
    signed_by: str
    signed_on: datetime.date | None

    @property
    def creates_opinion(self) -> bool:
        return self.handling in CREATES_OPINION

    @property
    def handling_label(self) -> str:
        return Handling(self.handling).label if self.handling else ""


@dataclass
class VisitPlan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    new: list[PlannedVisit] = field(default_factory=list)
    existing: int = 0  # rows already on record (imported before, or typed in): not created again
    refused_cells: set[tuple[str, int, str]] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def opinions(self) -> int:
        return sum(1 for planned in self.new if planned.creates_opinion)


def _visitors(user, names: set[str]) -> dict[str, list]:
    found: dict[str, list] = defaultdict(list)
    for chunk in chunks(sorted(names)):
        for member in (
            visible_members(user)
            .filter(name__in=chunk)
            .only("id", "name", "phone", "id_number", "title", "organisation_id")
            .order_by("id")
        ):
            found[member.name].append(member)
    return found


def _households(user, wanted: dict[int, set[str]]) -> dict[tuple[int, str], list[Household]]:
    """(village id, 户主) → the households in scope; one query per chunk of names across villages."""
    found: dict[tuple[int, str], list[Household]] = defaultdict(list)
    names = sorted({name for names in wanted.values() for name in names})
    for chunk in chunks(names):
        queryset = scoped(Household.objects.all(), user).filter(
            organisation_id__in=list(wanted), head_name__in=chunk
        )
        for household in queryset.select_related("organisation").order_by("id"):
            if household.head_name in wanted.get(household.organisation_id, ()):
                found[(household.organisation_id, household.head_name)].append(household)
    return found


def _first_born(household_ids: list[int]) -> dict[int, int]:
    born: dict[int, int] = {}
    for chunk in chunks(household_ids):
        rows = (
            Resident.all_objects.filter(household_id__in=chunk, birth_year__isnull=False)
            .values("household_id")
            .annotate(first=Min("birth_year"))
            .values_list("household_id", "first")
        )
        born.update(rows)
    return born


def _existing(keys: set[tuple[int, int, datetime.date]]) -> set[tuple[int, int, datetime.date]]:
    """The (visitor, household, day) of the file already on record (the unique constraint's key)."""
    if not keys:
        return set()
    days = [day for _, _, day in keys]
    visitors = sorted({visitor for visitor, _, _ in keys})
    households = sorted({household for _, household, _ in keys})
    found = set()
    for chunk in chunks(households):
        rows = Visit.objects.filter(
            household_id__in=chunk, visitor_id__in=visitors, visited_on__range=(min(days), max(days))
        ).values_list("visitor_id", "household_id", "visited_on")
        found.update(row for row in rows if row in keys)
    return found


def _pick_visitor(candidates: list, key: str):
    if key:
        number = normalise_phone(key).upper()
        candidates = [m for m in candidates if number and number in (m.phone, (m.id_number or "").upper())]
    return candidates


def build_plan(workbook: Workbook, *, user, today: datetime.date | None = None) -> VisitPlan:
    today = today or timezone.localdate()
    sheet = workbook.sheets[VISITS.title]
    plan = VisitPlan(rows=workbook.data_rows)
    plan.errors.extend(RowError(e.sheet, e.row, e.column, e.message) for e in workbook.errors)
    plan.refused_cells = {(e.sheet, e.row, e.column) for e in workbook.errors}
    reader = RowReader(plan, VISITS)  # duck-typed: it records errors and reads refused_cells

    parsed: list[tuple[int, dict]] = []
    for number, raw in sheet.rows:
        values = reader.values(number, raw)
        if values is not None:
            parsed.append((number, values))

    villages = villages_index(user)
    located: list[tuple[int, dict, object]] = []
    for number, values in parsed:
        try:
            village = villages.find(values["village"])
        except Bad as exc:
            reader.error(number, "village", str(exc))
            continue
        except LookupError:
            reader.error(number, "village", UNKNOWN_VILLAGE.format(name=values["village"]))
            continue
        located.append((number, values, village))

    visitors = _visitors(user, {values["visitor"] for _, values, _ in located})
    wanted: dict[int, set[str]] = defaultdict(set)
    for _, values, village in located:
        wanted[village.pk].add(values["head_name"])
    households = _households(user, wanted)

    matched: list[tuple[int, dict, object, Household]] = []
    for number, values, village in located:
        ok = True
        name = values["visitor"]
        candidates = _pick_visitor(visitors.get(name, []), values.get("visitor_key") or "")
        if not visitors.get(name):
            reader.error(number, "visitor", NO_VISITOR.format(name=name))
            ok = False
        elif not candidates:
            reader.error(number, "visitor_key", VISITOR_KEY_MISMATCH.format(name=name))
            ok = False
        elif len(candidates) > 1:
            reader.error(number, "visitor", AMBIGUOUS_VISITOR.format(count=len(candidates), name=name))
            ok = False
        homes = households.get((village.pk, values["head_name"]), [])
        address = (values.get("address") or "").strip()
        at = [h for h in homes if h.address == address] if address else homes
        place = village.display_name
        if not homes:
            reader.error(number, "head_name", NO_HOUSEHOLD.format(village=place, name=values["head_name"]))
            ok = False
        elif not at:
            reader.error(
                number,
                "address",
                NO_HOUSEHOLD_AT.format(village=place, name=values["head_name"], address=address),
            )
            ok = False
        elif len(at) > 1:
            reader.error(
                number,
                "address",
                AMBIGUOUS_HOUSEHOLD.format(village=place, count=len(at), name=values["head_name"]),
            )
            ok = False
        if ok:
            matched.append((number, values, candidates[0], at[0]))

    first_born = _first_born(sorted({household.pk for *_, household in matched}))
    seen: dict[tuple[int, int, datetime.date], int] = {}
    keys = {(visitor.pk, household.pk, values["visited_on"]) for _, values, visitor, household in matched}
    existing = _existing(keys)
    for number, values, visitor, household in matched:
        planned = _checked(reader, number, values, visitor, household, first_born, today)
        if planned is None:
            continue
        key = (visitor.pk, household.pk, planned.visited_on)
        if key in seen:
            reader.error(number, "visited_on", DUPLICATE_ROW.format(row=seen[key]))
            continue
        seen[key] = number
        if key in existing:
            plan.existing += 1
            continue
        plan.new.append(planned)
    # One message once per cell (a future date is said by the entry rule and by the model's own check).
    plan.errors = list({(e.row, e.column, e.message): e for e in plan.errors}.values())
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _checked(reader, number, values, visitor, household, first_born, today) -> PlannedVisit | None:
    errors_before = len(reader.plan.errors)
    day = values["visited_on"]
    if day > today:
        reader.error(number, "visited_on", NOT_IN_FUTURE)
    born = first_born.get(household.pk)
    if born and day.year < born:
        reader.error(number, "visited_on", BEFORE_HOUSEHOLD.format(year=born))
    handling = HANDLING_BY_LABEL.get(values.get("handling") or "", "")
    planned = PlannedVisit(
        row=number,
        visitor=visitor,
        household=household,
        visited_on=day,
        situation=(values.get("situation") or "").strip(),
        problem=(values.get("problem") or "").strip(),
        handling=handling,
        handling_text=(values.get("handling_text") or "").strip(),
        category=int(values["category"]) if values.get("category") else None,
        resident_opinion=(values.get("resident_opinion") or "").strip(),
        signed_by=(values.get("signed_by") or "").strip(),
        signed_on=values.get("signed_on"),
    )
    if handling and not planned.handling_text:
        reader.error(number, "handling_text", HANDLING_TEXT_NEEDED)
    if planned.signed_on and planned.signed_on < day:
        reader.error(number, "signed_on", SIGNED_BEFORE_VISIT)
    if planned.creates_opinion:
        if not planned.problem:
            reader.error(number, "problem", PROBLEM_NEEDED)
        if planned.category is None:
            reader.error(number, "category", CATEGORY_NEEDED)
    visit = Visit(
        visited_on=day,
        situation=planned.situation,
        problem=planned.problem,
        handling=handling,
        handling_text=planned.handling_text,
        resident_opinion=planned.resident_opinion,
        signed_by=planned.signed_by,
        signed_on=planned.signed_on,
        address=household.address or "-",
        head_name=household.head_name or "-",
    )
    reader.validate(
        number,
        visit,
        FIELD_COLUMNS,
        exclude=[
            "organisation",
            "household",
            "visitor",
            "pairing",
            "event",
            "opinion",
            "created_by",
            # the snapshot columns are the household's, already validated on its own record
            "group",
            "address",
            "head_name",
            "annual_income",
            "skills",
            "housing_area",
            "phone",
            "party_member_info",
            "household_problems",
            "household_requests",
        ],
    )
    return planned if len(reader.plan.errors) == errors_before else None
