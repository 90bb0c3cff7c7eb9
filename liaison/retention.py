"""Retention: households and residents who move away (迁出) or die (死亡) are archived, not deleted;
after LIAISON_RETENTION_YEARS the 组织部 removes them for good, with a reason that stays on the trail.

《个人信息保护法》第十九条：个人信息的保存期限应当为实现处理目的所必要的最短时间; 第四十七条: the
handler deletes personal information once the retention period has expired. Archiving keeps the record
for the period in which a visit log, a pairing or an opinion may still refer to it; the purge ends it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet
from django.utils import timezone

from liaison import totals
from liaison.access.scoping import scoped
from liaison.audit.registry import parent_key
from liaison.models import ArchiveReason, Household, Resident

REASON_REQUIRED = "请选择归档原因（迁出、死亡或其他）。"
DATE_IN_FUTURE = "归档日期不能晚于今天。"
DATE_TOO_OLD = "归档日期不能早于 1900 年。"
ALREADY_ARCHIVED = "该记录已归档。"
NOT_ARCHIVED = "该记录未归档，不能恢复或永久删除。"
HEAD_CANNOT_BE_ARCHIVED = "户主不能单独归档：请先在编辑页把户主改为其他家庭成员，或将整户归档。"
HOUSEHOLD_ARCHIVED = "所在户已归档：请先恢复该户。"
PURGE_REASON_REQUIRED = "请填写永久删除的理由（将记入操作记录）。"
TOO_YOUNG = "“{name}”归档于 {archived_on:%Y年%m月%d日}，未满 {years} 年保存期限（{due:%Y年%m月%d日} 后方可永久删除）。"
STILL_REFERENCED = "要删除的记录仍被其他记录引用（{what}），没有删除任何记录。请先处理这些记录。"
PURGED_REDACTED = "（保存期满已清除）"

# Other apps say why a household may not be archived yet (members: an active pairing): each function
# takes the household and returns the messages, empty when nothing stands in the way.
ArchiveCheck = Callable[[Household], list[str]]
archive_checks: list[ArchiveCheck] = []


def retention_years() -> int:
    return settings.LIAISON_RETENTION_YEARS


def purge_due(archived_on: datetime.date, years: int | None = None) -> datetime.date:
    """The first day a record archived on `archived_on` may be purged: the same date `years` later
    (29 February → 1 March in a common year)."""
    years = retention_years() if years is None else years
    try:
        return archived_on.replace(year=archived_on.year + years)
    except ValueError:
        return datetime.date(archived_on.year + years, 3, 1)


def may_purge(archived_on: datetime.date | None, today: datetime.date, years: int | None = None) -> bool:
    return archived_on is not None and today >= purge_due(archived_on, years)


def purge_cutoff(today: datetime.date, years: int | None = None) -> datetime.date:
    """Records archived on or before this date are past their retention period on `today`."""
    years = retention_years() if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February: 28 February of the common year
        return datetime.date(today.year - years, 2, 28)


def _check_archive_input(reason: str, on: datetime.date | None) -> None:
    errors = {}
    if reason not in ArchiveReason.values:
        errors["reason"] = REASON_REQUIRED
    if on is not None and on > timezone.localdate():
        errors["archived_on"] = DATE_IN_FUTURE
    elif on is not None and on.year < 1900:
        errors["archived_on"] = DATE_TOO_OLD
    if errors:
        raise ValidationError(errors)


def _mark(record, *, user, reason: str, on: datetime.date | None, note: str) -> None:
    record.archived_on = on or timezone.localdate()
    record.archive_reason = reason
    record.archive_note = note.strip()[:200]
    record.archived_by = user if getattr(user, "is_authenticated", False) else None
    record.save(update_fields=["archived_on", "archive_reason", "archive_note", "archived_by"])


def _unmark(record) -> None:
    record.archived_on = None
    record.archive_reason = ""
    record.archive_note = ""
    record.archived_by = None
    record.save(update_fields=["archived_on", "archive_reason", "archive_note", "archived_by"])


@transaction.atomic
def household_archive(*, user, household: Household, reason: str, on=None, note: str = "") -> Household:
    """The whole household moved away or its last member died: out of every list, kept on record."""
    _check_archive_input(reason, on)
    household = Household.all_objects.select_for_update().get(pk=household.pk)
    if household.is_archived:
        raise ValidationError(ALREADY_ARCHIVED)
    problems = [message for check in archive_checks for message in check(household)]
    if problems:
        raise ValidationError(problems)
    _mark(household, user=user, reason=reason, on=on, note=note)
    return household


@transaction.atomic
def household_restore(*, household: Household) -> Household:
    household = Household.all_objects.select_for_update().get(pk=household.pk)
    if not household.is_archived:
        raise ValidationError(NOT_ARCHIVED)
    _unmark(household)
    return household


@transaction.atomic
def resident_archive(
    *, user, resident: Resident, reason: str, on=None, note: str = "", allow_head: bool = False
) -> Resident:
    """One member of a household moved away or died; the household stays. The 户主 only leaves from the
    household form (allow_head), where a new 户主 is chosen in the same save."""
    _check_archive_input(reason, on)
    resident = Resident.all_objects.select_for_update().select_related("household").get(pk=resident.pk)
    if resident.is_archived:
        raise ValidationError(ALREADY_ARCHIVED)
    if resident.relation == Resident.Relation.HEAD and not allow_head:
        raise ValidationError(HEAD_CANNOT_BE_ARCHIVED)
    _mark(resident, user=user, reason=reason, on=on, note=note)
    return resident


@transaction.atomic
def resident_restore(*, resident: Resident) -> Resident:
    resident = Resident.all_objects.select_for_update().select_related("household").get(pk=resident.pk)
    if not resident.is_archived:
        raise ValidationError(NOT_ARCHIVED)
    if resident.household.is_archived:
        raise ValidationError(HOUSEHOLD_ARCHIVED)
    _unmark(resident)
    return resident


def archived_households(user) -> QuerySet[Household]:
    """The scope's 已归档 list."""
    return (
        scoped(Household.all_objects.filter(archived_on__isnull=False), user)
        .select_related("organisation", "archived_by")
        .order_by("-archived_on", "-id")
    )


def archived_residents(user) -> QuerySet[Resident]:
    """Residents archived on their own, in households that are still active."""
    return (
        scoped(
            Resident.all_objects.filter(archived_on__isnull=False, household__archived_on__isnull=True),
            user,
            via="household__organisation",
        )
        .select_related("household__organisation", "archived_by")
        .order_by("-archived_on", "-id")
    )


@dataclass
class PurgeResult:
    households: list[str]
    residents: list[str]

    @property
    def count(self) -> int:
        return len(self.households) + len(self.residents)


def purgeable(user, today: datetime.date | None = None) -> tuple[QuerySet[Household], QuerySet[Resident]]:
    """What the user may purge today: archived at least LIAISON_RETENTION_YEARS ago, in their scope."""
    cutoff = purge_cutoff(today or timezone.localdate())
    return (
        archived_households(user).filter(archived_on__lte=cutoff),
        archived_residents(user).filter(archived_on__lte=cutoff),
    )


def purgeable_under(path: str = "", today: datetime.date | None = None) -> tuple[QuerySet, QuerySet]:
    """The same for an operator's command: everything under an organisation path ("" = everywhere)."""
    cutoff = purge_cutoff(today or timezone.localdate())
    households = Household.all_objects.filter(
        archived_on__lte=cutoff, organisation__path__startswith=path
    ).select_related("organisation")
    residents = Resident.all_objects.filter(
        archived_on__lte=cutoff,
        household__archived_on__isnull=True,
        household__organisation__path__startswith=path,
    ).select_related("household__organisation")
    return households.order_by("archived_on", "id"), residents.order_by("archived_on", "id")


@transaction.atomic
def purge(
    *,
    user,
    reason: str,
    households: QuerySet[Household] | list[Household] = (),
    residents: QuerySet[Resident] | list[Resident] = (),
    today: datetime.date | None = None,
) -> PurgeResult:
    """Remove archived records for good. Refuses, with nothing removed, when the reason is empty, a record
    is not archived or younger than the retention period, or another record still points to it.

    Each removal is a delete entry on the audit trail carrying the reason and the retention period; the
    personal values in the trail of the removed records are cleared, since keeping them would defeat the
    purge, while who did what and when stays.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": PURGE_REASON_REQUIRED})
    today = today or timezone.localdate()
    years = retention_years()
    households, residents = list(households), list(residents)
    errors = []
    for record in [*households, *residents]:
        if not record.is_archived:
            errors.append(f"“{record}”：{NOT_ARCHIVED}")
        elif not may_purge(record.archived_on, today, years):
            errors.append(
                TOO_YOUNG.format(
                    name=record,
                    archived_on=record.archived_on,
                    years=years,
                    due=purge_due(record.archived_on),
                )
            )
    if errors:
        raise ValidationError(errors)
    extra = {"reason": f"保存期满永久删除：{reason}", "retention_years": years}
    result = PurgeResult(households=[str(h) for h in households], residents=[str(r) for r in residents])
    household_pks = [h.pk for h in households]
    resident_pks = [r.pk for r in residents]
    resident_pks += Resident.all_objects.filter(household__in=household_pks).values_list("pk", flat=True)
    try:
        with transaction.atomic(), totals.deferred():  # one recount per village, not one per record
            for resident in Resident.all_objects.filter(pk__in=resident_pks).order_by("pk"):
                _delete(resident, extra)
            for household in households:
                _delete(household, extra)
    except ProtectedError as exc:
        what = "、".join(sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects}))
        raise ValidationError(STILL_REFERENCED.format(what=what)) from exc
    _redact(household_pks=household_pks, resident_pks=resident_pks)
    return result


def _delete(record, extra: dict) -> None:
    """Delete one record; its delete entry (written by auditlog's signal) carries the purge's reason."""
    base = record.get_additional_data() if hasattr(record, "get_additional_data") else None
    record.get_additional_data = lambda: {**(base or {}), **extra}
    record.delete()


def _redact(*, household_pks: list[int], resident_pks: list[int]) -> None:
    """Clear the values, keep the entries: the purged records' create, update and delete entries keep who,
    when, from where and which fields changed, with each value and the record's name replaced."""
    from django.contrib.contenttypes.models import ContentType

    household_type = ContentType.objects.get_for_model(Household)
    resident_type = ContentType.objects.get_for_model(Resident)
    entries = list(
        LogEntry.objects.filter(
            Q(content_type=household_type, object_id__in=household_pks)
            | Q(content_type=resident_type, object_id__in=resident_pks)
            # residents removed from these households earlier (a typo row) carry the household as parent
            | Q(additional_data__parent__in=[parent_key("liaison.household", pk) for pk in household_pks])
        )
    )
    for entry in entries:
        entry.changes = {name: _cleared(values) for name, values in (entry.changes or {}).items()}
        entry.changes_text = ""
        entry.serialized_data = None
        label = "户" if entry.content_type_id == household_type.pk else "家庭成员"
        entry.object_repr = f"{label} #{entry.object_pk}{PURGED_REDACTED}"
    LogEntry.objects.bulk_update(
        entries, ["changes", "changes_text", "serialized_data", "object_repr"], batch_size=500
    )


def _cleared(values):
    if isinstance(values, dict):  # many-to-many: {"type": "m2m", "objects": [...]}
        return {**values, "objects": [PURGED_REDACTED]}
    if isinstance(values, list):
        return [value if value in (None, "None", "") else PURGED_REDACTED for value in values]
    return PURGED_REDACTED
