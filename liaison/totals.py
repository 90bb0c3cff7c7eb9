"""Keeping the stored per-organisation totals (liaison.models.totals) equal to a fresh count.

The totals are never adjusted by +1/−1: whatever changed, the organisations it touched are counted
again from their rows, under a row lock on their totals, in the transaction of the write. So no kind of
write needs its own arithmetic, and two clerks saving in the same village at once cannot lose a count
(the second waits for the first's lock, then counts what the first committed).

What touches an organisation is caught by signals on Household, Resident and the household–tag link,
so every `save()` and `delete()` (services, admin, the shell, cascades) keeps the totals right:

- on its own, each signal recounts its organisation at once;
- inside `deferred()` (the services use it), the organisations are collected and recounted once when
  the block ends, still inside the caller's transaction: a household saved with six residents costs
  one recount, not seven;
- writes that send no signals (`bulk_create`, `bulk_update`, `QuerySet.update`) call `recount()` for
  the organisations they touched: the Excel import and `seed_demo` do.

`manage.py rebuild_totals` recounts everything; `--check` compares without writing. Tests compare the
stored totals with a fresh count after every kind of write (tests/test_totals.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from liaison.models import (
    Household,
    HouseholdTag,
    Organisation,
    OrganisationTagTotal,
    OrganisationTotals,
    Resident,
)

FIELDS = ("households", "households_with_away", "residents", "party_residents")
CHUNK = 200  # organisations recounted per statement (a district has ~300 that hold households)


@dataclass
class _Pending:
    depth: int = 0
    organisations: set[int] = field(default_factory=set)
    households: set[int] = field(default_factory=set)

    def clear(self) -> None:
        self.organisations.clear()
        self.households.clear()


_local = threading.local()


def _pending() -> _Pending:
    if not hasattr(_local, "pending"):
        _local.pending = _Pending()
    return _local.pending


@contextmanager
def deferred() -> Iterator[None]:
    """Recount the organisations touched inside the block once, when it ends (use inside the write's
    transaction). Nested blocks recount when the outermost ends; an exception discards what was noted,
    since the transaction it belongs to is rolled back."""
    pending = _pending()
    pending.depth += 1
    try:
        yield
    except BaseException:
        pending.depth -= 1
        if not pending.depth:
            pending.clear()
        raise
    pending.depth -= 1
    if not pending.depth:
        flush()


def note(*, organisations: Iterable[int | None] = (), households: Iterable[int | None] = ()) -> None:
    """Say that these organisations' (or these households' organisations') totals may have changed."""
    pending = _pending()
    pending.organisations.update(pk for pk in organisations if pk)
    pending.households.update(pk for pk in households if pk)
    if not pending.depth:
        flush()


def flush() -> None:
    pending = _pending()
    organisations, households = set(pending.organisations), set(pending.households)
    pending.clear()
    for chunk in _chunks(sorted(households), 500):
        organisations.update(
            Household.all_objects.filter(pk__in=chunk).values_list("organisation_id", flat=True)
        )
    recount(organisations)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fresh_counts(organisation_ids: list[int]) -> tuple[dict[int, dict[str, int]], dict[tuple[int, int], int]]:
    """Count these organisations' active households and residents, and tagged households, from the rows:
    the same definitions the lists use (archived households and residents are out)."""
    totals: dict[int, dict[str, int]] = {pk: dict.fromkeys(FIELDS, 0) for pk in organisation_ids}
    away = Resident.all_objects.filter(household=OuterRef("pk"), is_away=True, archived_on__isnull=True)
    for row in (
        Household.objects.filter(organisation_id__in=organisation_ids)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("id"), away=Count("id", filter=Q(Exists(away))))
    ):
        totals[row["organisation_id"]].update(households=row["n"], households_with_away=row["away"])
    for row in (
        Resident.all_objects.filter(
            archived_on__isnull=True,
            household__archived_on__isnull=True,
            household__organisation_id__in=organisation_ids,
        )
        .order_by()
        .values("household__organisation_id")
        .annotate(n=Count("id"), party=Count("id", filter=Q(is_party_member=True)))
    ):
        totals[row["household__organisation_id"]].update(residents=row["n"], party_residents=row["party"])
    tags = {
        (row["household__organisation_id"], row["householdtag_id"]): row["n"]
        for row in Household.tags.through.objects.filter(
            household__organisation_id__in=organisation_ids, household__archived_on__isnull=True
        )
        .order_by()
        .values("household__organisation_id", "householdtag_id")
        .annotate(n=Count("id"))
    }
    return totals, tags


def recount(organisation_ids: Iterable[int]) -> None:
    """Count these organisations again and store the result, holding their totals rows locked (in id
    order, so two writers never wait for each other crosswise)."""
    ids = sorted({pk for pk in organisation_ids if pk})
    for chunk in _chunks(ids, CHUNK):
        with transaction.atomic():
            rows = _locked(chunk)
            if len(rows) < len(chunk):
                OrganisationTotals.objects.bulk_create(
                    [OrganisationTotals(organisation_id=pk) for pk in chunk if pk not in rows],
                    ignore_conflicts=True,  # another writer may create it first
                )
                rows = _locked(chunk)
            totals, tags = fresh_counts(chunk)
            for pk, row in rows.items():
                for name, value in totals[pk].items():
                    setattr(row, name, value)
            OrganisationTotals.objects.bulk_update(rows.values(), FIELDS)
            OrganisationTagTotal.objects.filter(organisation_id__in=chunk).delete()
            OrganisationTagTotal.objects.bulk_create(
                OrganisationTagTotal(organisation_id=org, tag_id=tag, households=n)
                for (org, tag), n in tags.items()
            )


def _locked(ids: list[int]) -> dict[int, OrganisationTotals]:
    existing = Organisation.objects.filter(pk__in=ids).values("pk")  # an organisation deleted meanwhile
    return {
        row.pk: row
        for row in OrganisationTotals.objects.select_for_update()
        .filter(pk__in=ids, organisation__in=existing)
        .order_by("pk")
    }


def rebuild() -> int:
    """Recount every organisation that holds or held households; drop rows of none. Returns how many."""
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    recount(ids)
    return len(ids)


def drift() -> list[str]:
    """What differs between the stored totals and a fresh count (empty when they agree)."""
    problems = []
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(ids, CHUNK):
        totals, tags = fresh_counts(chunk)
        stored = {
            row["organisation_id"]: row
            for row in OrganisationTotals.objects.filter(organisation_id__in=chunk).values(
                "organisation_id", *FIELDS
            )
        }
        for pk in chunk:
            have = stored.get(pk, dict.fromkeys(FIELDS, 0))
            for name in FIELDS:
                if have[name] != totals[pk][name]:
                    problems.append(f"党组织 {pk} {name}: 存 {have[name]}，实 {totals[pk][name]}")
        stored_tags = {
            (row.organisation_id, row.tag_id): row.households
            for row in OrganisationTagTotal.objects.filter(organisation_id__in=chunk)
        }
        for key in sorted(set(tags) | set(stored_tags)):
            if stored_tags.get(key, 0) != tags.get(key, 0):
                problems.append(
                    f"党组织 {key[0]} 标签 {key[1]}: 存 {stored_tags.get(key, 0)}，实 {tags.get(key, 0)}"
                )
    return problems


# Signals: every save() and delete() of the rows that are counted ------------------------------------


def _household_pre_save(sender, instance: Household, raw=False, **kwargs) -> None:
    if instance.pk and not hasattr(instance, "_loaded_organisation_id"):
        # Not loaded from the database (built with a known pk): ask where it was.
        instance._loaded_organisation_id = (
            Household.all_objects.filter(pk=instance.pk).values_list("organisation_id", flat=True).first()
        )


def _household_saved(sender, instance: Household, raw=False, **kwargs) -> None:
    if raw:  # loaddata: rebuild_totals afterwards
        return
    note(organisations=(instance.organisation_id, getattr(instance, "_loaded_organisation_id", None)))
    instance._loaded_organisation_id = instance.organisation_id


def _household_deleted(sender, instance: Household, **kwargs) -> None:
    note(organisations=(instance.organisation_id,))


def _resident_pre_save(sender, instance: Resident, raw=False, **kwargs) -> None:
    if instance.pk and not hasattr(instance, "_loaded_household_id"):
        instance._loaded_household_id = (
            Resident.all_objects.filter(pk=instance.pk).values_list("household_id", flat=True).first()
        )


def _resident_saved(sender, instance: Resident, raw=False, **kwargs) -> None:
    if raw:
        return
    note(households=(instance.household_id, getattr(instance, "_loaded_household_id", None)))
    instance._loaded_household_id = instance.household_id


def _resident_deleted(sender, instance: Resident, **kwargs) -> None:
    note(households=(instance.household_id,))


def _tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if isinstance(instance, Household):  # household.tags.add/remove/clear/set
        if action in ("post_add", "post_remove", "post_clear"):
            note(organisations=(instance.organisation_id,))
    elif action in ("post_add", "post_remove"):  # tag.households.add/remove
        note(households=pk_set or ())
    elif action == "pre_clear" and isinstance(instance, HouseholdTag):  # tag.households.clear()
        links = Household.tags.through.objects.filter(householdtag=instance)
        instance._totals_cleared = list(links.values_list("household_id", flat=True))
    elif action == "post_clear" and isinstance(instance, HouseholdTag):
        note(households=getattr(instance, "_totals_cleared", ()))


def connect() -> None:
    pre_save.connect(_household_pre_save, sender=Household, dispatch_uid="totals-household-pre")
    post_save.connect(_household_saved, sender=Household, dispatch_uid="totals-household")
    post_delete.connect(_household_deleted, sender=Household, dispatch_uid="totals-household-del")
    pre_save.connect(_resident_pre_save, sender=Resident, dispatch_uid="totals-resident-pre")
    post_save.connect(_resident_saved, sender=Resident, dispatch_uid="totals-resident")
    post_delete.connect(_resident_deleted, sender=Resident, dispatch_uid="totals-resident-del")
    m2m_changed.connect(_tags_changed, sender=Household.tags.through, dispatch_uid="totals-tags")
