"""Writes on reception sessions (接待日): propose a year's schedule, edit, publish (三公开), held or missed.

The generator proposes drafts; a person edits them, then publishes. Only a published session is on
/public/; a published session is never deleted (it was announced), it is held or missed, and a missed
one counts against the quota (feedback.selectors_receptions.compliance).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from feedback import reception_rules as rr
from feedback.models import HalfDay, PlaceKind, ReceptionSession, SessionKind, SessionStatus
from feedback.models.receptions import HALF_DAY_HOURS
from feedback.services.common import require_org_in_scope, today_of
from liaison.audit import bulk as audit
from liaison.models import Organisation
from liaison.quotas import quota_rule
from liaison.workcal import StatutoryCalendar
from members.models import PartyMember, Position

# Who may receive for which kind of session: the committee (班子成员) for the secretary's and the
# rotation's half-days, a 党代会代表 for the delegates' (002 八).
KIND_ROLES: dict[str, tuple[str, ...]] = {
    SessionKind.SECRETARY: (Position.Role.SECRETARY,),
    SessionKind.MEMBER: tuple(Position.LEADERSHIP_ROLES),
    SessionKind.DELEGATE: (Position.Role.DELEGATE,),
}
LEVELS_WITH_QUOTA = tuple(rr.QUOTA_OF_LEVEL)

NO_POST = "{name}在{org}没有{what}任职，不能安排为接待人。请先在党员的“任职”中登记。"
OVERLAP = "{name}在{day}{half}已安排了接待（{org}，{time}），时间重叠。"
PAST_PUBLISH = "以下接待日已经过去，不能再公布：{days}。请修改日期或删除这些拟定的接待日。"
PAST_EDIT = "接待日期不能早于今天：已经过去的接待日只能登记“已接待”或“未按期接待”。"
NOT_DRAFT_DELETE = "已公布的接待日不能删除（群众已经看到了），请登记为“未按期接待”并说明原因。"
OUTCOME_NOT_PUBLISHED = "只有已公布的接待日才能登记接待情况。"
OUTCOME_FUTURE = "接待日还没到，不能登记接待情况。"
MISSED_REASON = "请说明未按期接待的原因。"
NO_SECRETARY = "{org}目前没有在任的书记，无法生成接待日安排。请先在党员的“任职”中登记书记。"
NO_DELEGATE = "{org}目前没有在任的党代会代表。"
LEVEL_WITHOUT_QUOTA = "只有区、镇街、村（社区）党组织按制度安排书记接待日。"
RANGE_OUTSIDE_YEAR = "生成范围应在同一年内。"
PHONE_REQUIRED = "请填写对外公布的接待电话（如党组织办公电话）。"
RELATIONS = ["organisation", "receiver", "created_by", "published_by"]
EDITABLE = [
    "kind",
    "date",
    "half_day",
    "start_time",
    "end_time",
    "place_kind",
    "place",
    "receiver",
    "receiver_title",
    "phone",
]


def current_posts(organisation: Organisation, roles, day: datetime.date) -> QuerySet[Position]:
    return Position.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        organisation=organisation,
        role__in=roles,
        start_date__lte=day,
    )


def post_title(organisation: Organisation, role: str) -> str:
    """How the 职务 reads on the schedule: 桂花村党委书记, 界石镇党委班子成员, 党代会代表."""
    label = Position.Role(role).label
    if role == Position.Role.DELEGATE:
        return label
    return f"{organisation.display_name}党组织{label}"


def receivers(organisation: Organisation, kind: str, day: datetime.date) -> list[tuple[PartyMember, str]]:
    """The members who may receive for `kind` on `day`, each with the 职务 to publish; secretary first."""
    order = {role: i for i, role in enumerate(Position.Role.values)}
    posts = current_posts(organisation, KIND_ROLES[kind], day).select_related("member")
    best: dict[int, Position] = {}
    for post in posts:
        held = best.get(post.member_id)
        if held is None or order[post.role] < order[held.role]:
            best[post.member_id] = post
    ranked = sorted(best.values(), key=lambda p: (order[p.role], p.member.name_initials, p.member_id))
    return [(p.member, post_title(organisation, p.role)) for p in ranked]


def require_post(session: ReceptionSession) -> None:
    roles = KIND_ROLES[session.kind]
    if not current_posts(session.organisation, roles, session.date).filter(member=session.receiver).exists():
        what = "党代会代表" if session.kind == SessionKind.DELEGATE else "班子成员（书记、副书记、委员）"
        if session.kind == SessionKind.SECRETARY:
            what = "书记"
        raise ValidationError(
            {
                "receiver": NO_POST.format(
                    name=session.receiver.name, org=session.organisation.display_name, what=what
                )
            }
        )


def require_no_overlap(session: ReceptionSession) -> None:
    """Nobody receives in two places at once: any session of the same receiver whose hours cross."""
    clash = (
        ReceptionSession.objects.filter(
            receiver=session.receiver,
            date=session.date,
            start_time__lt=session.end_time,
            end_time__gt=session.start_time,
        )
        .exclude(pk=session.pk)
        .select_related("organisation")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "start_time": OVERLAP.format(
                    name=session.receiver.name,
                    day=f"{session.date:%Y-%m-%d}",
                    half=clash.get_half_day_display(),
                    org=clash.organisation.display_name,
                    time=clash.time_display,
                )
            }
        )


def _validate(session: ReceptionSession, user, today: datetime.date) -> None:
    require_org_in_scope(user, session.organisation, "organisation")
    if not session.phone:
        raise ValidationError({"phone": PHONE_REQUIRED})
    if session.status in (SessionStatus.DRAFT, SessionStatus.PUBLISHED) and session.date < today:
        raise ValidationError({"date": PAST_EDIT})
    require_post(session)
    require_no_overlap(session)
    session.full_clean()


@transaction.atomic
def session_save(
    *,
    user,
    session: ReceptionSession | None = None,
    organisation: Organisation | None = None,
    now: datetime.datetime | None = None,
    **values,
) -> ReceptionSession:
    """Create a draft, or edit a draft or a published session that has not yet come."""
    now, today = today_of(now)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    if session is None:
        session = ReceptionSession(organisation=organisation, created_by=user, status=SessionStatus.DRAFT)
    elif session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED) or session.date < today:
        raise ValidationError(PAST_EDIT)
    changed = session.pk is None
    for name, value in values.items():
        value = value.strip() if isinstance(value, str) else value
        changed = changed or getattr(session, name) != value
        setattr(session, name, value)
    if not changed:
        return session  # nothing to save: the record (and its history) stay as they were
    _validate(session, user, today)
    session.save()
    return session


@dataclass
class Generated:
    created: list[ReceptionSession] = field(default_factory=list)
    replaced: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _place_for(organisation: Organisation, kind: str, market: bool) -> tuple[str, str]:
    name = organisation.display_name
    if kind == SessionKind.DELEGATE:
        return PlaceKind.DELEGATE_STUDIO, f"{name}党代会代表工作室"
    if market:
        return PlaceKind.MARKET, f"{name}场镇集市"
    if organisation.level in (Organisation.Level.DISTRICT, Organisation.Level.TOWNSHIP):
        return PlaceKind.PETITION_OFFICE, f"{name}信访接待室"
    return PlaceKind.SERVICE_CENTRE, f"{name}便民服务中心"


@transaction.atomic
def session_generate(
    *,
    user,
    organisation: Organisation,
    start: datetime.date,
    end: datetime.date,
    kind: str = SessionKind.SECRETARY,
    rotation: str = rr.ROTATE_EACH,
    pattern: rr.Pattern = rr.DEFAULT_PATTERN,
    place: str = "",
    market_place: str = "",
    phone: str = "",
    now: datetime.datetime | None = None,
) -> Generated:
    """Propose drafts for [start, end] (a year or a month of it) from the year's plan.

    The drafts already in the range are replaced (a new proposal); published, held and missed sessions
    stay, and a proposed half-day that would clash with one of them is left out and reported. Days
    before today are not proposed. `kind` is SECRETARY (the secretary and the rotation of the other
    members) or DELEGATE (each delegate's half-days at the 工作室)."""
    now, today = today_of(now)
    require_org_in_scope(user, organisation, "organisation")
    if start.year != end.year or end < start:
        raise ValidationError({"end": RANGE_OUTSIDE_YEAR})
    phone = phone or organisation.phone
    if not phone:
        raise ValidationError({"phone": PHONE_REQUIRED})
    year = start.year
    workcal = StatutoryCalendar(provisional=True)
    if kind == SessionKind.DELEGATE:
        people = receivers(organisation, SessionKind.DELEGATE, max(start, today))
        if not people:
            raise ValidationError(NO_DELEGATE.format(org=organisation.display_name))
        per_year = rr.whole(quota_rule(rr.DELEGATE_QUOTA).minimum)
        plan = rr.plan_delegates(
            year, delegates=len(people), per_year=per_year, pattern=pattern, is_workday=workcal.is_workday
        )
        kinds = [SessionKind.DELEGATE] * len(people)
    else:
        code = rr.QUOTA_OF_LEVEL.get(organisation.level)
        if code is None:
            raise ValidationError({"organisation": LEVEL_WITHOUT_QUOTA})
        rule = quota_rule(code)
        day = max(start, today)
        secretaries = receivers(organisation, SessionKind.SECRETARY, day)
        if not secretaries:
            raise ValidationError(NO_SECRETARY.format(org=organisation.display_name))
        secretary = secretaries[0]
        committee = receivers(organisation, SessionKind.MEMBER, day)
        others = [p for p in committee if p[0].pk != secretary[0].pk]
        people = [secretary, *others]
        plan = rr.plan_year(
            year,
            period=rule.period,
            per_period=rr.whole(rule.minimum),
            members=len(others),
            rotation=rotation,
            pattern=pattern,
            is_workday=workcal.is_workday,
        )
        kinds = [SessionKind.SECRETARY] + [SessionKind.MEMBER] * len(others)
    result = Generated(warnings=list(dict.fromkeys(plan.warnings)))
    first = max(start, today)
    drafts = ReceptionSession.objects.filter(
        organisation=organisation,
        status=SessionStatus.DRAFT,
        date__gte=first,
        date__lte=end,
        kind__in=[SessionKind.DELEGATE]
        if kind == SessionKind.DELEGATE
        else [SessionKind.SECRETARY, SessionKind.MEMBER],
    )
    result.replaced, _ = drafts.delete()
    slots = rr.in_range(plan, first, end)
    busy = set(
        ReceptionSession.objects.filter(
            receiver__in=[p[0] for p in people], date__gte=first, date__lte=end
        ).values_list("receiver_id", "date", "half_day")
    )
    rows = []
    for slot in slots:
        member, title = people[slot.receiver]
        if (member.pk, slot.day, slot.half) in busy:
            result.skipped.append(f"{slot.day:%m-%d}{HalfDay(slot.half).label} {member.name}（已有接待安排）")
            continue
        busy.add((member.pk, slot.day, slot.half))
        place_kind, default_place = _place_for(organisation, kinds[slot.receiver], slot.at_market)
        chosen_place = (market_place if slot.at_market else place) or default_place
        begin, finish = HALF_DAY_HOURS[slot.half]
        session = ReceptionSession(
            organisation=organisation,
            kind=kinds[slot.receiver],
            date=slot.day,
            half_day=slot.half,
            start_time=begin,
            end_time=finish,
            place_kind=place_kind,
            place=chosen_place.strip(),
            receiver=member,
            receiver_title=title,
            phone=phone,
            status=SessionStatus.DRAFT,
            created_by=user if user.is_authenticated else None,
        )
        # The relations were chosen above from the database; the clash check is `busy` (one query).
        session.full_clean(exclude=RELATIONS, validate_constraints=False)
        rows.append(session)
    result.created = ReceptionSession.objects.bulk_create(rows)
    audit.log_created(result.created)  # bulk_create sends no signals
    return result


@transaction.atomic
def session_publish(
    *, user, sessions: QuerySet[ReceptionSession], now: datetime.datetime | None = None
) -> int:
    """Publish drafts (三公开). All or nothing: a draft whose day has passed refuses the whole batch."""
    now, today = today_of(now)
    drafts = list(
        sessions.select_for_update().filter(status=SessionStatus.DRAFT).select_related("organisation")
    )
    for session in drafts:
        require_org_in_scope(user, session.organisation, "organisation")
    past = sorted({s.date for s in drafts if s.date < today})
    if past:
        raise ValidationError(PAST_PUBLISH.format(days="、".join(f"{d:%Y-%m-%d}" for d in past)))
    ids = [s.pk for s in drafts]
    ReceptionSession.objects.filter(pk__in=ids).update(
        status=SessionStatus.PUBLISHED, published_at=now, published_by=user, updated_at=now
    )
    audit.log_updated(
        (
            s,
            {
                "status": (SessionStatus.DRAFT.label, SessionStatus.PUBLISHED.label),
                "published_at": (None, now),
            },
        )
        for s in drafts
    )
    return len(ids)


@transaction.atomic
def session_record_outcome(
    *,
    user,
    session: ReceptionSession,
    held: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ReceptionSession:
    """接待情况: held, or missed with the reason (a missed half-day counts against the quota)."""
    now, today = today_of(now)
    session = ReceptionSession.objects.select_for_update().select_related("organisation").get(pk=session.pk)
    require_org_in_scope(user, session.organisation, "organisation")
    if session.status == SessionStatus.DRAFT:
        raise ValidationError(OUTCOME_NOT_PUBLISHED)
    if session.date > today:
        raise ValidationError(OUTCOME_FUTURE)
    note = (note or "").strip()
    if not held and not note:
        raise ValidationError({"outcome_note": MISSED_REASON})
    session.status = SessionStatus.HELD if held else SessionStatus.MISSED
    session.outcome_note = note
    session.clean_fields(exclude=[f.name for f in ReceptionSession._meta.fields if f.name != "outcome_note"])
    session.save(update_fields=["status", "outcome_note", "updated_at"])
    return session


@transaction.atomic
def session_delete(*, user, session: ReceptionSession) -> None:
    session = ReceptionSession.objects.select_for_update().select_related("organisation").get(pk=session.pk)
    require_org_in_scope(user, session.organisation, "organisation")
    if session.status != SessionStatus.DRAFT:
        raise ValidationError(NOT_DRAFT_DELETE)
    session.delete()


@transaction.atomic
def session_record_outcomes(
    *,
    user,
    sessions: QuerySet[ReceptionSession],
    missed: dict[int, str] | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """接待情况 for many half-days at once (a month's register typed in after the fact): every published
    session of `sessions` whose day has come is held, except those in `missed` (id → the reason)."""
    now, today = today_of(now)
    missed = {pk: (note or "").strip() for pk, note in (missed or {}).items()}
    rows = list(
        sessions.select_for_update()
        .filter(status=SessionStatus.PUBLISHED, date__lte=today)
        .select_related("organisation")
    )
    for organisation in {row.organisation for row in rows}:
        require_org_in_scope(user, organisation, "organisation")
    if any(not note for pk, note in missed.items() if pk in {row.pk for row in rows}):
        raise ValidationError({"outcome_note": MISSED_REASON})
    held = [row for row in rows if row.pk not in missed]
    ReceptionSession.objects.filter(pk__in=[row.pk for row in held]).update(
        status=SessionStatus.HELD, updated_at=now
    )
    for row in rows:
        if row.pk in missed:
            row.outcome_note = missed[row.pk][:300]
            row.status = SessionStatus.MISSED
    absent = [row for row in rows if row.pk in missed]
    ReceptionSession.objects.bulk_update(absent, ["status", "outcome_note"])
    audit.log_updated(
        (
            row,
            {
                "status": (
                    SessionStatus.PUBLISHED.label,
                    SessionStatus.MISSED.label if row.pk in missed else SessionStatus.HELD.label,
                )
            },
        )
        for row in rows
    )
    return len(rows)
