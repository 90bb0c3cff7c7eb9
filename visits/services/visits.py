"""Writes on visits: record one (with its snapshot and, when the problem is not settled on the spot,
its Opinion), edit one. Each is atomic and validated; nothing is half-saved.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from feedback.models import Channel
from feedback.services import opinion_register
from liaison import services as household_services
from liaison.access.scoping import HOUSEHOLD_OUT_OF_SCOPE, MEMBER_OUT_OF_SCOPE, scoped
from liaison.models import Household, Resident
from liaison.safeguards.dates import NOT_IN_FUTURE
from members.models import Pairing, Position
from members.scope import visible_members
from visits.models import CREATES_OPINION, Visit, VisitMember
from visits.services.snapshot import save_members, take_snapshot

BEFORE_HOUSEHOLD = "走访时间早于该户成立：户内成员最早出生于{year}年，请核对日期。"
DUPLICATE_VISIT = "该家访人当天已有一条走访这一户的记录，请核对，或修改那一条。"
EVENT_OTHER_HOUSEHOLD = "所选五必访事项不是这一户的。"
EVENT_AFTER_VISIT = "所选五必访事项发生于{date}，走访时间不能早于它。"
PROBLEM_NEEDED = "限期办理、转有关部门办理的，请填写要求解决的问题：它将登记为群众意见。"
CATEGORY_NEEDED = "请选择意见类别（1234）：决定办理时限。"
RESPONSIBLE_NEEDED = "请选择责任人。"
SUBJECT_LENGTH = 30

# Fields of Visit the entry form writes directly (the snapshot columns come from the household).
VISIT_FIELDS = (
    "situation",
    "problem",
    "handling",
    "handling_text",
    "resident_opinion",
    "signed_by",
    "signed_on",
)


def today_of(now: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(now) if now else timezone.localdate()


def title_on(visitor, day: datetime.date) -> str:
    """家访人的职务 on the day: the posts held then (e.g. “桂花村书记”), else the member's work title."""
    positions = (
        Position.objects.filter(member=visitor, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("organisation")
    )
    return title_from(list(positions), visitor, day)


def title_from(positions, visitor, day: datetime.date) -> str:
    """title_on over the visitor's posts already loaded (the Excel import loads them all at once)."""
    held = sorted(
        (p for p in positions if p.start_date <= day and (p.end_date is None or p.end_date >= day)),
        key=lambda p: (p.start_date, p.id),
    )
    titles = [f"{p.organisation.display_name}{p.get_role_display()}" for p in held]
    if not titles and visitor.title:
        titles = [visitor.title]
    return "、".join(dict.fromkeys(titles))[:100]


def pairing_of(visitor, household: Household, day: datetime.date) -> Pairing | None:
    """The pairing this visit counts for: the visitor paired with the household on that day."""
    return (
        Pairing.objects.filter(household=household, memberships__member=visitor, start_date__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .order_by("-start_date", "-id")
        .first()
    )


def require_date(household: Household, day: datetime.date, today: datetime.date) -> None:
    if day > today:
        raise ValidationError({"visited_on": NOT_IN_FUTURE})
    first_born = Resident.all_objects.filter(household=household).aggregate(first=Min("birth_year"))["first"]
    if first_born and day.year < first_born:
        raise ValidationError({"visited_on": BEFORE_HOUSEHOLD.format(year=first_born)})


def require_scope(user, household: Household, visitor) -> None:
    if not scoped(Household.objects.all(), user).filter(pk=household.pk).exists():
        raise ValidationError({"household": HOUSEHOLD_OUT_OF_SCOPE})
    if not visible_members(user).filter(pk=visitor.pk).exists():
        raise ValidationError({"visitor": MEMBER_OUT_OF_SCOPE})


def require_event(visit: Visit) -> None:
    event = visit.event
    if event is None:
        return
    if event.household_id != visit.household_id:
        raise ValidationError({"event": EVENT_OTHER_HOUSEHOLD})
    if visit.visited_on < event.occurred_on:
        raise ValidationError({"event": EVENT_AFTER_VISIT.format(date=f"{event.occurred_on:%Y-%m-%d}")})


def subject_of(problem: str) -> str:
    """事由 for the 交办单 (“反映的……一事”): the problem's first line, shortened."""
    first = problem.strip().splitlines()[0] if problem.strip() else ""
    return first[:SUBJECT_LENGTH].rstrip("，。；、,.; ")


def _validate(visit: Visit) -> None:
    try:
        visit.full_clean(exclude=["household", "organisation", "visitor"], validate_constraints=True)
    except ValidationError as exc:
        if "visit_unique_visitor_household_day" in str(exc) or "当天已有" in str(exc):
            raise ValidationError({"visited_on": DUPLICATE_VISIT}) from exc
        raise


def _register_opinion(*, user, visit: Visit, category, responsible, subject: str, phone: str, now) -> None:
    errors = {}
    if not visit.problem.strip():
        errors["problem"] = PROBLEM_NEEDED
    if not category:
        errors["opinion_category"] = CATEGORY_NEEDED
    if responsible is None:
        errors["opinion_responsible"] = RESPONSIBLE_NEEDED
    if errors:
        raise ValidationError(errors)
    try:
        visit.opinion = opinion_register(
            user=user,
            organisation=visit.organisation,
            received_on=visit.visited_on,
            channel=Channel.VISIT,
            reporter_name=visit.head_name,
            reporter_address=visit.address,
            reporter_phone=phone,
            subject=(subject or subject_of(visit.problem))[:60],
            content=visit.problem,
            category=int(category),
            responsible=responsible,
            handling_opinion=visit.handling_text,
            remarks=f"入户走访登记（家访人：{visit.visitor.name}）",
            now=now,
        )
    except ValidationError as exc:
        renamed = {"received_on": "visited_on", "responsible": "opinion_responsible"}
        if hasattr(exc, "error_dict"):
            raise ValidationError(
                {
                    renamed.get(key, f"opinion_{key}" if key != "__all__" else key): value
                    for key, value in exc.error_dict.items()
                }
            ) from exc
        raise
    visit.save(update_fields=["opinion"])


def correct_household(*, user, form, formset) -> None:
    """A correction typed over the pre-filled 八清楚 goes through the household's own service."""
    if form is None:
        return
    if not (form.has_changed() or (formset is not None and formset.has_changed())):
        return
    household_services.household_save(user=user, form=form, formset=formset)


@transaction.atomic
def visit_record(
    *,
    user,
    household: Household,
    visitor,
    visited_on: datetime.date,
    situation: str,
    problem: str = "",
    handling: str = "",
    handling_text: str = "",
    resident_opinion: str = "",
    signed_by: str = "",
    signed_on: datetime.date | None = None,
    event=None,
    opinion_category: int | str | None = None,
    opinion_subject: str = "",
    opinion_responsible=None,
    household_form=None,
    resident_formset=None,
    now: datetime.datetime | None = None,
) -> Visit:
    today = today_of(now)
    require_scope(user, household, visitor)
    require_date(household, visited_on, today)
    correct_household(user=user, form=household_form, formset=resident_formset)
    household = Household.objects.get(pk=household.pk)
    visit = Visit(
        visitor=visitor,
        visited_on=visited_on,
        visitor_title=title_on(visitor, visited_on),
        pairing=pairing_of(visitor, household, visited_on),
        event=event,
        situation=situation.strip(),
        problem=problem.strip(),
        handling=handling or "",
        handling_text=handling_text.strip(),
        resident_opinion=resident_opinion.strip(),
        signed_by=signed_by.strip(),
        signed_on=signed_on,
        created_by=user if user.is_authenticated else None,
    )
    rows = take_snapshot(visit, household)
    require_event(visit)
    _validate(visit)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError as exc:
        raise ValidationError({"visited_on": DUPLICATE_VISIT}) from exc
    save_members(visit, rows)
    if visit.handling in CREATES_OPINION:
        _register_opinion(
            user=user,
            visit=visit,
            category=opinion_category,
            responsible=opinion_responsible,
            subject=opinion_subject,
            phone=household.phone,
            now=now,
        )
    return visit


def correct_members(visit: Visit, formset) -> None:
    """Apply a validated family-rows formset to the snapshot, row by row (each change on the audit log
    as an edit of that row, not a delete-and-recreate). Kept rows keep their 序号; new rows follow the
    last one; the 户主's name on the log follows its 户主 row."""
    deleted = [form.instance for form in formset.deleted_forms if form.instance.pk]
    for row in deleted:
        row.delete()
    last = VisitMember.objects.filter(visit=visit).aggregate(last=Max("position"))["last"] or 0
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed():
            continue
        row = form.save(commit=False)
        if row.pk is None:
            last += 1
            row.visit, row.position = visit, last
        row.full_clean(exclude=["visit"])
        row.save()
    head_name = getattr(formset, "head_name", "")
    if head_name and head_name != visit.head_name:
        visit.head_name = head_name
        visit.full_clean(exclude=["household", "organisation", "visitor"], validate_constraints=False)
        visit.save(update_fields=["head_name", "updated_at"])


EDIT_FIELDS = (
    "visited_on",
    *VISIT_FIELDS,
    "event",
    "address",
    "annual_income",
    "skills",
    "housing_area",
    "phone",
    "party_member_info",
)


@transaction.atomic
def visit_update(
    *,
    user,
    visit: Visit,
    opinion_category: int | str | None = None,
    opinion_subject: str = "",
    opinion_responsible=None,
    member_formset=None,
    now: datetime.datetime | None = None,
    **changes: Any,
) -> Visit:
    """Correct a log as it was written on paper. The snapshot columns and the family rows
    (`member_formset`, visits.forms.visit_member_formset_class) are the log's own: editing them never
    touches the household, whose 八清楚 today may already be newer than the day of this log (the entry
    screen is where a correction also updates the household, as of that day). An opinion already
    registered follows its own loop; a visit whose handling changes to 限期办理 or 转有关部门办理
    registers one now."""
    unknown = set(changes) - set(EDIT_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    today = today_of(now)
    for name, value in changes.items():
        setattr(visit, name, value.strip() if isinstance(value, str) and name != "phone" else value)
    require_date(visit.household, visit.visited_on, today)
    require_event(visit)
    _validate(visit)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError as exc:
        raise ValidationError({"visited_on": DUPLICATE_VISIT}) from exc
    if member_formset is not None and member_formset.has_changed():
        correct_members(visit, member_formset)
    if visit.handling in CREATES_OPINION and visit.opinion_id is None:
        _register_opinion(
            user=user,
            visit=visit,
            category=opinion_category,
            responsible=opinion_responsible,
            subject=opinion_subject,
            phone=visit.phone,
            now=now,
        )
    return visit
