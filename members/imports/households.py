"""Plan the “户” and “家庭成员” sheets: households matched by village + address + 户主, residents by ID
number (or, without one, by name within their household)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from liaison.models import Household, HouseholdTag, Resident
from members.imports.columns import HOUSEHOLDS, RESIDENTS
from members.imports.plan import (
    UNKNOWN_VILLAGE,
    Change,
    OrganisationIndex,
    Plan,
    RowReader,
    changed_fields,
    chunks,
)
from members.imports.values import Bad, as_text

DUPLICATE_HOUSEHOLD = "与第 {row} 行是同一户（村、居住地点、户主都相同）。"
UNKNOWN_TAG = "没有标签“{tag}”。可用的标签：{tags}。"
NO_HEAD_ROW = "“家庭成员”表中没有该户的户主：请加一行，姓名与户主相同，与户主关系填“户主”。"
HOUSEHOLD_NOT_FOUND = "找不到这一户：请先在“户”表中填写，或核对村（社区）、居住地点、户主是否与“户”表一致。"
HEAD_NAME_MISMATCH = "与户主关系为“户主”的成员，姓名应与“户主”列一致（{head}）。"
SECOND_HEAD = "该户已有户主（{name}），一户只能有一名户主。"
ID_IN_OTHER_HOUSEHOLD = "该身份证号已登记在其他户（{household}）。"
ARCHIVED_HOUSEHOLD = "该户已归档（迁出或死亡）：请先在户情 → 已归档中恢复，再导入。"
ARCHIVED_RESIDENT = "该身份证号属于已归档（迁出或死亡）的家庭成员（{household}）：请先恢复，再导入。"
DUPLICATE_ID = "身份证号与第 {row} 行重复。"
DUPLICATE_RESIDENT = "与第 {row} 行是同一户的同名成员：请填写身份证号以区分。"
AMBIGUOUS_RESIDENT = "该户已有多名叫“{name}”的成员，请填写身份证号以区分。"
ID_CONFLICT = "该户的“{name}”已登记了另一个身份证号（{masked}），请核对。"
BIRTH_YEAR_MISMATCH = "出生年份与身份证号不一致（身份证号显示 {year} 年）。"

RELATIONS = {label: value for value, label in Resident.Relation.choices}
GENDERS = {"男": "M", "女": "F"}
HOUSEHOLD_FIELDS = {c.key: c.key for c in HOUSEHOLDS.columns if c.key not in ("village", "head_name", "tags")}
RESIDENT_FIELDS = {
    "name": "name",
    "relation": "relation",
    "gender": "gender",
    "birth_year": "birth_year",
    "id_number": "id_number",
    "phone": "phone",
    "occupation": "occupation",
    "is_party_member": "is_party_member",
    "is_away": "is_away",
    "away_location": "away_location",
    "away_income": "away_income",
    "away_return": "away_return",
}
TAG_SPLIT = re.compile(r"[、,，;；/\s]+")


@dataclass
class PlannedHousehold:
    obj: Household
    row: int
    is_new: bool
    head_rows: list[int] = field(default_factory=list)
    residents: dict[str, list[Resident]] = field(default_factory=dict)  # existing residents by name


def _key(org_id: int, address: str, head: str) -> tuple[int, str, str]:
    return (org_id, address.strip(), head.strip())


def _village(reader: RowReader, number: int, villages: OrganisationIndex, name: str):
    try:
        return villages.find(name)
    except Bad as exc:
        reader.error(number, "village", str(exc))
    except LookupError:
        reader.error(number, "village", UNKNOWN_VILLAGE.format(name=name))
    return None


def _existing_households(org_ids: set[int]) -> dict[tuple, Household]:
    found: dict[tuple, Household] = {}
    for batch in chunks(sorted(org_ids)):
        for household in Household.objects.filter(organisation_id__in=batch):
            found[_key(household.organisation_id, household.address, household.head_name)] = household
    return found


def _archived_keys(org_ids: set[int]) -> set[tuple]:
    """Archived households (迁出, 死亡): the same row in a file must not type them in again."""
    found: set[tuple] = set()
    for batch in chunks(sorted(org_ids)):
        rows = Household.all_objects.filter(organisation_id__in=batch, archived_on__isnull=False)
        for org_id, address, head_name in rows.values_list("organisation_id", "address", "head_name"):
            found.add(_key(org_id, address, head_name))
    return found


def plan_households(plan: Plan, rows, villages: OrganisationIndex) -> dict[tuple, PlannedHousehold | None]:
    """Returns household key → planned household (None for a row that had errors)."""
    reader = RowReader(plan, HOUSEHOLDS)
    tags = {t.name: t.pk for t in HouseholdTag.objects.all()}
    parsed = []
    for number, raw in rows:
        values = reader.values(number, raw)
        name = as_text(raw.get("village"))
        org = _village(reader, number, villages, name) if name else None
        parsed.append((number, raw, values, org))
    org_ids = {org.pk for *_, org in parsed if org is not None}
    existing = _existing_households(org_ids)
    archived = _archived_keys(org_ids)
    existing_tags = _tag_ids([h.pk for h in existing.values()])
    planned: dict[tuple, PlannedHousehold | None] = {}
    seen: dict[tuple, int] = {}
    for number, raw, values, org in parsed:
        if org is None:
            continue
        key = _key(org.pk, as_text(raw.get("address")), as_text(raw.get("head_name")))
        if key in seen:
            reader.error(number, "address", DUPLICATE_HOUSEHOLD.format(row=seen[key]))
            continue
        seen[key] = number
        if key in archived:
            reader.error(number, "address", ARCHIVED_HOUSEHOLD)
            planned[key] = None
            continue
        file_tags = [t for t in TAG_SPLIT.split(as_text(raw.get("tags"))) if t]
        unknown = [t for t in file_tags if t not in tags]
        if unknown:
            reader.error(number, "tags", UNKNOWN_TAG.format(tag="、".join(unknown), tags="、".join(tags)))
        if values is None or unknown:
            planned[key] = None
            continue
        values.pop("tags")
        planned[key] = _plan_household(
            plan, reader, number, org, values, existing.get(key), existing_tags, [tags[t] for t in file_tags]
        )
    for household in existing.values():
        planned.setdefault(
            _key(household.organisation_id, household.address, household.head_name),
            PlannedHousehold(household, 0, is_new=False),
        )
    return planned


def _tag_ids(household_ids: list[int]) -> dict[int, set[int]]:
    through = Household.tags.through
    found: dict[int, set[int]] = {}
    for batch in chunks(household_ids):
        for household_id, tag_id in through.objects.filter(household_id__in=batch).values_list(
            "household_id", "householdtag_id"
        ):
            found.setdefault(household_id, set()).add(tag_id)
    return found


def _plan_household(
    plan, reader, number, org, values, household, existing_tags, tag_ids
) -> PlannedHousehold | None:
    fields = {k: values[k] for k in HOUSEHOLD_FIELDS}
    if household is None:
        household = Household(
            organisation=org,
            head_name=values["head_name"],
            **{k: v for k, v in fields.items() if v is not None},
        )
        if not reader.validate(number, household, HOUSEHOLD_FIELDS, exclude=["organisation", "created_by"]):
            return None
        plan.new_households.append(household)
        plan.tag_links.extend((household, tag_id) for tag_id in dict.fromkeys(tag_ids))
        return PlannedHousehold(household, number, is_new=True)
    changes = changed_fields(household, fields)
    for name, (_, new) in changes.items():
        setattr(household, name, new)
    if changes and not reader.validate(
        number, household, HOUSEHOLD_FIELDS, exclude=["organisation", "created_by"]
    ):
        return None
    missing_tags = [t for t in dict.fromkeys(tag_ids) if t not in existing_tags.get(household.pk, set())]
    plan.tag_links.extend((household, tag_id) for tag_id in missing_tags)
    if changes or missing_tags:
        plan.changed_households.append(Change(household, changes, number))
    else:
        plan.unchanged_households += 1
    return PlannedHousehold(household, number, is_new=False)


def _residents_of(household_ids: list[int]) -> dict[int, list[Resident]]:
    found: dict[int, list[Resident]] = {}
    for batch in chunks(household_ids):
        for resident in Resident.objects.filter(household_id__in=batch).order_by("id"):
            found.setdefault(resident.household_id, []).append(resident)
    return found


def _residents_by_id_number(id_numbers: list[str]) -> dict[str, Resident]:
    found: dict[str, Resident] = {}
    for batch in chunks(id_numbers):
        # Archived residents too: an ID number is unique across them, and the row must say so.
        for resident in Resident.all_objects.filter(id_number__in=batch).select_related("household"):
            found[resident.id_number] = resident
    return found


class ResidentPlanner:
    def __init__(self, plan: Plan, planned: dict[tuple, PlannedHousehold | None], today_year: int) -> None:
        self.plan = plan
        self.reader = RowReader(plan, RESIDENTS)
        self.planned = planned
        self.today_year = today_year
        self.seen_ids: dict[str, int] = {}
        self.seen_names: dict[tuple, int] = {}

    def load(self, rows: list[tuple[int, dict, dict | None, tuple | None]]) -> None:
        targets = {
            self.planned[key].obj.pk
            for *_, key in rows
            if key and self.planned.get(key) and not self.planned[key].is_new
        }
        self.existing = _residents_of(sorted(targets))
        self.by_id = _residents_by_id_number(
            sorted({v["id_number"] for _, _, v, _ in rows if v and v["id_number"]})
        )

    def row(self, number: int, values: dict, key: tuple) -> None:
        reader, target = self.reader, self.planned[key]
        name, id_number = values["name"], values["id_number"]
        values["relation"], values["gender"] = RELATIONS[values["relation"]], GENDERS[values["gender"]]
        if not self._birth_year(number, values) or self._duplicate(number, key, name, id_number):
            return
        match = self._match(number, target, name, id_number)
        if match is False:
            return
        if values["relation"] == Resident.Relation.HEAD and not self._head(number, target, name, match):
            return
        fields = {k: values[k] for k in RESIDENT_FIELDS}
        if match is None:
            resident = Resident(household=target.obj, **{k: v for k, v in fields.items() if v is not None})
            if reader.validate(number, resident, RESIDENT_FIELDS, exclude=["household"]):
                self.plan.new_residents.append(resident)
            return
        changes = changed_fields(match, fields)
        for field_name, (_, new) in changes.items():
            setattr(match, field_name, new)
        if not changes:
            self.plan.unchanged_residents += 1
        elif reader.validate(number, match, RESIDENT_FIELDS, exclude=["household"]):
            self.plan.changed_residents.append(Change(match, changes, number))

    def _birth_year(self, number: int, values: dict) -> bool:
        id_number, year = values["id_number"], values["birth_year"]
        from_id = int(id_number[6:10]) if len(id_number) == 18 and id_number[6:10].isdigit() else None
        if year is None:
            values["birth_year"] = from_id
        elif from_id is not None and year != from_id:
            self.reader.error(number, "birth_year", BIRTH_YEAR_MISMATCH.format(year=from_id))
            return False
        if values["birth_year"] is not None and values["birth_year"] > self.today_year:
            self.reader.error(number, "birth_year", "出生年份不能晚于今年。")
            return False
        return True

    def _duplicate(self, number: int, key: tuple, name: str, id_number: str) -> bool:
        if id_number:
            if id_number in self.seen_ids:
                self.reader.error(number, "id_number", DUPLICATE_ID.format(row=self.seen_ids[id_number]))
                return True
            self.seen_ids[id_number] = number
            return False
        if (key, name) in self.seen_names:
            self.reader.error(number, "name", DUPLICATE_RESIDENT.format(row=self.seen_names[(key, name)]))
            return True
        self.seen_names[(key, name)] = number
        return False

    def _match(self, number: int, target: PlannedHousehold, name: str, id_number: str):
        """The existing resident this row describes, None for a new one, False for an error."""
        if id_number and id_number in self.by_id:
            resident = self.by_id[id_number]
            if resident.is_archived or resident.household.is_archived:
                self.reader.error(number, "id_number", ARCHIVED_RESIDENT.format(household=resident.household))
                return False
            if target.is_new or resident.household_id != target.obj.pk:
                self.reader.error(
                    number, "id_number", ID_IN_OTHER_HOUSEHOLD.format(household=resident.household)
                )
                return False
            return resident
        if target.is_new:
            return None
        same_name = [r for r in self.existing.get(target.obj.pk, []) if r.name == name]
        if len(same_name) > 1:
            self.reader.error(number, "name", AMBIGUOUS_RESIDENT.format(name=name))
            return False
        if same_name and id_number and same_name[0].id_number and same_name[0].id_number != id_number:
            masked = f"{same_name[0].id_number[:6]}…{same_name[0].id_number[-4:]}"
            self.reader.error(number, "id_number", ID_CONFLICT.format(name=name, masked=masked))
            return False
        return same_name[0] if same_name else None

    def _head(self, number: int, target: PlannedHousehold, name: str, match) -> bool:
        if name != target.obj.head_name:
            self.reader.error(number, "name", HEAD_NAME_MISMATCH.format(head=target.obj.head_name))
            return False
        heads = [r for r in self.existing.get(target.obj.pk, []) if r.relation == Resident.Relation.HEAD]
        if target.head_rows or (heads and (match is None or heads[0].pk != match.pk)):
            existing_name = heads[0].name if heads else name
            self.reader.error(number, "relation", SECOND_HEAD.format(name=existing_name))
            return False
        target.head_rows.append(number)
        return True


def plan_residents(
    plan: Plan, rows, villages: OrganisationIndex, planned: dict[tuple, PlannedHousehold | None]
) -> None:
    planner = ResidentPlanner(plan, planned, datetime.date.today().year)
    reader = planner.reader
    parsed = []
    for number, raw in rows:
        values = reader.values(number, raw)
        name = as_text(raw.get("village"))
        org = _village(reader, number, villages, name) if name else None
        key = _key(org.pk, as_text(raw.get("address")), as_text(raw.get("head_name"))) if org else None
        parsed.append((number, raw, values, key))
    loaded = {key[0] for key in planned}
    for key, household in _existing_households(
        {k[0] for *_, k in parsed if k and k[0] not in loaded}
    ).items():
        planned.setdefault(key, PlannedHousehold(household, 0, is_new=False))
    planner.load(parsed)
    for number, raw, values, key in parsed:
        if key is None:
            continue
        if key not in planned:
            reader.error(number, "head_name", HOUSEHOLD_NOT_FOUND)
        elif planned[key] is not None and values is not None:
            planner.row(number, values, key)
        elif planned[key] is not None and as_text(raw.get("relation")) == "户主":
            planned[key].head_rows.append(number)  # its own errors are reported; do not add "no head"
    households_reader = RowReader(plan, HOUSEHOLDS)
    for household in planned.values():
        if household is not None and household.is_new and not household.head_rows:
            households_reader.error(household.row, "head_name", NO_HEAD_ROW)
