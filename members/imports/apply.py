"""Write a plan in one transaction with bulk queries: 10,000 rows in a few seconds, all or nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from liaison import totals
from liaison.audit import bulk as audit
from liaison.models import Household, HouseholdTag, Resident
from liaison.text.pinyin import initials
from liaison.text.sorting import household_sort_key
from members.imports.plan import Change, Plan
from members.models import PartyMember
from members.pairing_place import follow_households

BATCH = 500
CONFLICT = (
    "导入时与已有数据冲突（可能有人同时录入了同一户或同一人），没有保存任何数据。请重新上传预览后再导入。"
)
HAS_ERRORS = "文件中有错误，没有导入任何数据。"


def _update(model, changes: list[Change], extra: tuple[str, ...] = ()) -> None:
    if not changes:
        return
    fields = sorted({name for change in changes for name in change.fields} | set(extra))
    model.objects.bulk_update([c.obj for c in changes], fields, batch_size=BATCH)


@transaction.atomic
def apply_plan(plan: Plan, *, user, batch_id: int | None = None) -> None:
    """Write the plan; every record it creates or changes gets its own audit entry naming the batch."""
    if not plan.ok:
        raise ValidationError(HAS_ERRORS)
    now = timezone.now()
    try:
        with transaction.atomic():
            for household in plan.new_households:
                household.head_initials = initials(household.head_name)
                household.sort_key = household_sort_key(household.group, household.address)
                household.created_by = user
            Household.objects.bulk_create(plan.new_households, batch_size=BATCH)
            for change in plan.changed_households:
                change.obj.sort_key = household_sort_key(change.obj.group, change.obj.address)
                change.obj.updated_at = now
            changed = [c for c in plan.changed_households if c.fields]
            _update(Household, changed, extra=("sort_key", "updated_at"))
            follow_households([c.obj.pk for c in changed])  # bulk_update sends no post_save
            through = Household.tags.through
            through.objects.bulk_create(
                [
                    through(household_id=household.pk, householdtag_id=tag_id)
                    for household, tag_id in plan.tag_links
                ],
                batch_size=BATCH,
            )
            for resident in plan.new_residents:
                resident.name_initials = initials(resident.name)
                resident.household_id = resident.household.pk
            Resident.objects.bulk_create(plan.new_residents, batch_size=BATCH)
            for change in plan.changed_residents:
                change.obj.name_initials = initials(change.obj.name)
            _update(Resident, plan.changed_residents, extra=("name_initials",))
            for member in plan.new_members:
                member.name_initials = initials(member.name)
            PartyMember.objects.bulk_create(plan.new_members, batch_size=BATCH)
            for change in plan.changed_members:
                change.obj.name_initials = initials(change.obj.name)
            _update(PartyMember, plan.changed_members, extra=("name_initials",))
            # Bulk writes send no signals: recount the stored totals (the dashboard's) of every village
            # a household or resident was written in, and of any a changed household left.
            totals.recount(_villages_touched(plan))
    except IntegrityError as exc:
        raise ValidationError(CONFLICT) from exc
    _log(plan, {"import_batch": batch_id} if batch_id else None)


def _villages_touched(plan: Plan) -> set[int]:
    households = [
        *plan.new_households,
        *(c.obj for c in plan.changed_households),
        *(household for household, _ in plan.tag_links),
    ]
    villages = {h.organisation_id for h in households}
    villages |= {getattr(h, "_loaded_organisation_id", None) for h in households}
    resident_households = {r.household_id for r in plan.new_residents}
    resident_households |= {c.obj.household_id for c in plan.changed_residents}
    villages |= set(
        Household.all_objects.filter(pk__in=resident_households).values_list("organisation_id", flat=True)
    )
    villages.discard(None)
    return villages


def _log(plan: Plan, extra: dict | None) -> None:
    """bulk_create and bulk_update send no signals: put each imported record on the trail here."""
    audit.log_created(plan.new_households, additional_data=extra)
    audit.log_updated(((c.obj, c.fields) for c in plan.changed_households), additional_data=extra)
    names = dict(HouseholdTag.objects.values_list("pk", "name"))
    added: dict[int, tuple[Household, list[str]]] = {}
    for household, tag_id in plan.tag_links:
        added.setdefault(household.pk, (household, []))[1].append(names.get(tag_id, str(tag_id)))
    audit.log_m2m_added(((h, "tags", tags) for h, tags in added.values()), additional_data=extra)
    audit.log_created(plan.new_residents, additional_data=extra)
    audit.log_updated(((c.obj, c.fields) for c in plan.changed_residents), additional_data=extra)
    audit.log_created(plan.new_members, additional_data=extra)
    audit.log_updated(((c.obj, c.fields) for c in plan.changed_members), additional_data=extra)
