"""Plan an import without writing anything: every row checked, every record matched to what exists.

The plan lists the records to create and the fields to change; `apply` writes it in one transaction.
The preview shows a plan; the commit builds a fresh one from the stored file (the database may have
changed in between) and writes it only if it has no errors — all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models

from liaison.access.scoping import visible_grassroots, visible_organisations
from liaison.models import Organisation
from members.imports.columns import SheetSpec
from members.imports.values import Bad, parse

L = Organisation.Level
CHUNK = 500

REQUIRED = "必填。"
UNKNOWN_VILLAGE = "“{name}”不是您管辖范围内的村（社区）。"
UNKNOWN_BRANCH = "“{name}”不是您管辖范围内的党支部（请写党支部全称）。"
AMBIGUOUS_ORGANISATION = "有多个名为“{name}”的党组织，请写全称（如“界石镇桂花村”）。"


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class Change:
    """An existing record and the fields the file changes (field name → (old, new))."""

    obj: models.Model
    fields: dict[str, tuple[object, object]]
    row: int = 0

    @property
    def field_labels(self) -> list[str]:
        return [str(self.obj._meta.get_field(name).verbose_name) for name in self.fields]


@dataclass
class Plan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    new_households: list = field(default_factory=list)
    changed_households: list[Change] = field(default_factory=list)
    unchanged_households: int = 0
    tag_links: list[tuple[object, int]] = field(default_factory=list)  # (household, tag id)
    new_residents: list = field(default_factory=list)
    changed_residents: list[Change] = field(default_factory=list)
    unchanged_residents: int = 0
    refused_cells: set[tuple[str, int, str]] = field(default_factory=set)  # formulas: already reported
    new_members: list = field(default_factory=list)
    changed_members: list[Change] = field(default_factory=list)
    unchanged_members: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, Counts]:
        return {
            "households": Counts(
                len(self.new_households), len(self.changed_households), self.unchanged_households
            ),
            "residents": Counts(
                len(self.new_residents), len(self.changed_residents), self.unchanged_residents
            ),
            "members": Counts(len(self.new_members), len(self.changed_members), self.unchanged_members),
        }

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.new_households
            or self.changed_households
            or self.tag_links
            or self.new_residents
            or self.changed_residents
            or self.new_members
            or self.changed_members
        )


class RowReader:
    """Parses one sheet's rows column by column and records errors against the plan."""

    def __init__(self, plan: Plan, spec: SheetSpec) -> None:
        self.plan = plan
        self.spec = spec
        self.columns = {c.key: c for c in spec.columns}

    def error(self, row: int, key: str, message: str) -> None:
        column = self.columns[key].header if key in self.columns else key
        self.plan.errors.append(RowError(self.spec.title, row, column, message))

    def values(self, number: int, raw: dict[str, object]) -> dict[str, object] | None:
        """Typed values of a row, or None when any cell is bad (its errors are recorded)."""
        out: dict[str, object] = {}
        ok = True
        for col in self.spec.columns:
            try:
                value = parse(col, raw.get(col.key))
            except Bad as exc:
                self.error(number, col.key, str(exc))
                ok = False
                continue
            refused = (self.spec.title, number, col.header) in self.plan.refused_cells
            if col.required and value in (None, "") and not refused:
                self.error(number, col.key, REQUIRED)
                ok = False
            if refused:
                ok = False
            out[col.key] = value
        return out if ok else None

    def validate(
        self, number: int, obj: models.Model, field_columns: dict[str, str], exclude: Iterable[str]
    ) -> bool:
        """The model's own field validation (phone, ID number, lengths, ranges), without queries."""
        try:
            obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                key = field_columns.get(name, name)
                for message in messages:
                    self.error(number, key, message)
            return False
        return True


def changed_fields(obj: models.Model, values: dict[str, object]) -> dict[str, tuple[object, object]]:
    """Fields whose file value differs from the record; a blank cell never clears what is there."""
    changes = {}
    for name, new in values.items():
        if new is None or new == "":
            continue
        old = getattr(obj, name)
        if old != new:
            changes[name] = (old, new)
    return changes


class OrganisationIndex:
    """Finds a village/community or a branch in the user's scope by any name a clerk would write."""

    def __init__(self, organisations: Iterable[Organisation]) -> None:
        self.by_name: dict[str, set[Organisation]] = {}
        for org in organisations:
            names = {org.name, org.short_name, org.code}
            if org.parent is not None:
                names |= {org.parent.display_name + org.display_name, org.parent.display_name + org.name}
            for name in names - {""}:
                self.by_name.setdefault(name.strip(), set()).add(org)

    def find(self, name: str) -> Organisation:
        found = self.by_name.get(name.strip(), set())
        if len(found) > 1:
            raise Bad(AMBIGUOUS_ORGANISATION.format(name=name))
        if not found:
            raise LookupError(name)
        return next(iter(found))


def villages_index(user) -> OrganisationIndex:
    return OrganisationIndex(visible_grassroots(user).select_related("parent"))


def branches_index(user) -> OrganisationIndex:
    return OrganisationIndex(visible_organisations(user).filter(level=L.BRANCH).select_related("parent"))


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
