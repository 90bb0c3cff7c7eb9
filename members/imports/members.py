"""Plan the “党员” sheet: members matched by ID number, or by name and birth date."""

from __future__ import annotations

import datetime

from members.imports.columns import MEMBERS
from members.imports.plan import (
    UNKNOWN_BRANCH,
    Change,
    OrganisationIndex,
    Plan,
    RowReader,
    changed_fields,
    chunks,
)
from members.imports.values import Bad
from members.models import PartyMember

NEED_ID_OR_BIRTH = "身份证号和出生日期至少填一项（用于识别是否已登记）。"
BIRTH_DATE_MISMATCH = "出生日期与身份证号不一致（身份证号显示 {date}）。"
DUPLICATE_MEMBER = "与第 {row} 行是同一名党员。"
OUT_OF_SCOPE_MEMBER = "该党员已登记在其他党组织（不在您的管辖范围内），不能在这里修改。"
AMBIGUOUS_MEMBER = "已登记了多名同名、同出生日期的党员，请填写身份证号以区分。"
JOIN_BEFORE_BIRTH = "入党时间必须晚于出生日期。"
FUTURE_DATE = "日期不能晚于今天。"

GENDERS = {"男": "M", "女": "F"}
EDUCATIONS = {label: value for value, label in PartyMember.Education.choices}
CATEGORIES = {label: value for value, label in PartyMember.Category.choices}
MEMBER_FIELDS = {
    "name": "name",
    "gender": "gender",
    "birth_date": "birth_date",
    "id_number": "id_number",
    "join_date": "join_date",
    "phone": "phone",
    "education": "education",
    "title": "title",
    "category": "category",
    "is_mobile": "is_mobile",
    "organisation": "organisation",
}


def _birth_from_id(id_number: str) -> datetime.date | None:
    if len(id_number) != 18:
        return None
    try:
        return datetime.datetime.strptime(id_number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def _existing(id_numbers: list[str], names: list[str]) -> tuple[dict, dict]:
    by_id: dict[str, PartyMember] = {}
    by_name_birth: dict[tuple, list[PartyMember]] = {}
    for batch in chunks(id_numbers):
        for member in PartyMember.objects.filter(id_number__in=batch).select_related("organisation"):
            by_id[member.id_number] = member
    for batch in chunks(names):
        for member in PartyMember.objects.filter(name__in=batch, birth_date__isnull=False).select_related(
            "organisation"
        ):
            by_name_birth.setdefault((member.name, member.birth_date), []).append(member)
    return by_id, by_name_birth


def plan_members(plan: Plan, rows, branches: OrganisationIndex, user) -> None:
    reader = RowReader(plan, MEMBERS)
    today = datetime.date.today()
    parsed = []
    for number, raw in rows:
        values = reader.values(number, raw)
        if values is None:
            continue
        try:
            values["organisation"] = branches.find(values["organisation"])
        except Bad as exc:
            reader.error(number, "organisation", str(exc))
            continue
        except LookupError:
            reader.error(number, "organisation", UNKNOWN_BRANCH.format(name=values["organisation"]))
            continue
        if _dates_ok(reader, number, values, today):
            parsed.append((number, values))
    by_id, by_name_birth = _existing(
        sorted({v["id_number"] for _, v in parsed if v["id_number"]}), sorted({v["name"] for _, v in parsed})
    )
    root = getattr(user, "organisation", None)
    seen: dict[object, int] = {}
    for number, values in parsed:
        identity = values["id_number"] or (values["name"], values["birth_date"])
        if identity in seen:
            reader.error(number, "name", DUPLICATE_MEMBER.format(row=seen[identity]))
            continue
        seen[identity] = number
        match = by_id.get(values["id_number"]) if values["id_number"] else None
        if match is None and not values["id_number"]:
            candidates = by_name_birth.get((values["name"], values["birth_date"]), [])
            if len(candidates) > 1:
                reader.error(number, "name", AMBIGUOUS_MEMBER)
                continue
            match = candidates[0] if candidates else None
        if match is not None and root is not None and not match.organisation.path.startswith(root.path):
            reader.error(number, "id_number" if values["id_number"] else "name", OUT_OF_SCOPE_MEMBER)
            continue
        _plan_member(plan, reader, number, values, match)


def _dates_ok(reader: RowReader, number: int, values: dict, today: datetime.date) -> bool:
    values["gender"] = GENDERS[values["gender"]]
    values["education"] = EDUCATIONS.get(values["education"] or "", "")
    values["category"] = CATEGORIES.get(values["category"] or "")
    from_id = _birth_from_id(values["id_number"])
    if values["birth_date"] is None:
        values["birth_date"] = from_id
    elif from_id is not None and values["birth_date"] != from_id:
        reader.error(number, "birth_date", BIRTH_DATE_MISMATCH.format(date=from_id.isoformat()))
        return False
    if not values["id_number"] and values["birth_date"] is None:
        reader.error(number, "id_number", NEED_ID_OR_BIRTH)
        return False
    ok = True
    for key in ("birth_date", "join_date"):
        if values[key] is not None and values[key] > today:
            reader.error(number, key, FUTURE_DATE)
            ok = False
    if ok and values["join_date"] and values["birth_date"] and values["join_date"] <= values["birth_date"]:
        reader.error(number, "join_date", JOIN_BEFORE_BIRTH)
        ok = False
    return ok


def _plan_member(plan: Plan, reader: RowReader, number: int, values: dict, match: PartyMember | None) -> None:
    fields = {k: values[k] for k in MEMBER_FIELDS}
    if match is None:
        member = PartyMember(**{k: v for k, v in fields.items() if v not in (None, "")})
        if reader.validate(number, member, MEMBER_FIELDS, exclude=["organisation", "household", "user"]):
            plan.new_members.append(member)
        return
    changes = changed_fields(match, fields)
    for name, (_, new) in changes.items():
        setattr(match, name, new)
    if not changes:
        plan.unchanged_members += 1
    elif reader.validate(number, match, MEMBER_FIELDS, exclude=["organisation", "household", "user"]):
        plan.changed_members.append(Change(match, changes, number))
