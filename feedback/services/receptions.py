"""Writes on receptions (附件1): register and edit; an unsettled one enters the 1234 loop as an Opinion.

DESIGN.md "Apps": a reception that does not settle a problem on the spot (限期办理, 转有关部门办理)
creates an Opinion — in the same transaction, through feedback's own opinion_register, channel 接待,
with the category chosen on the reception form. The two link to each other (Reception.opinion).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from feedback.models import Channel, Reception, ReceptionSession, SessionKind, SessionStatus
from feedback.models.receptions import UNSETTLED
from feedback.services.common import require_not_future, require_org_in_scope, today_of
from feedback.services.opinions import opinion_register
from feedback.services.sessions import KIND_ROLES, current_posts

FIELDS = [
    "received_on",
    "receiver",
    "receiver_title",
    "visitor_name",
    "visitor_gender",
    "visitor_age",
    "visitor_address",
    "visitor_phone",
    "account",
    "matter",
    "cause",
    "request",
    "handling",
    "handling_note",
    "visitor_opinion",
    "signed_on",
]

CATEGORY_REQUIRED = "限期办理、转有关部门办理的问题要转为群众意见，请选择“1234”类别。"
RESPONSIBLE_REQUIRED = "请选择群众意见的责任人。"
SESSION_OTHER_ORG = "所选接待日不属于该党组织。"
SESSION_DATE = "接待时间应是所选接待日的日期（{date}）。"
SESSION_NOT_PUBLISHED = "所选接待日尚未公布。"
RECEIVER_NO_POST = "{name}在{org}没有书记、班子成员或党代会代表任职，不能作为接待人。"
SETTLED_AFTER_OPINION = (
    "这次接待已转为群众意见（{number}），不能再改为现场办理或解释说明；请在意见中登记办理结果。"
)


def _check(reception: Reception, user, today: datetime.date) -> None:
    require_org_in_scope(user, reception.organisation, "organisation")
    require_not_future(reception.received_on, today, "received_on")
    session = reception.session
    if session is not None:
        if session.organisation_id != reception.organisation_id:
            raise ValidationError({"session": SESSION_OTHER_ORG})
        if session.status == SessionStatus.DRAFT:
            raise ValidationError({"session": SESSION_NOT_PUBLISHED})
        if session.date != reception.received_on:
            raise ValidationError({"received_on": SESSION_DATE.format(date=f"{session.date:%Y-%m-%d}")})
    roles = {*KIND_ROLES[SessionKind.MEMBER], *KIND_ROLES[SessionKind.DELEGATE]}
    posts = current_posts(reception.organisation, roles, reception.received_on)
    if not posts.filter(member=reception.receiver).exists():
        raise ValidationError(
            {
                "receiver": RECEIVER_NO_POST.format(
                    name=reception.receiver.name, org=reception.organisation.display_name
                )
            }
        )
    reception.full_clean(exclude=["opinion"])


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _open_opinion(reception: Reception, *, user, category, responsible, now) -> None:
    if not category:
        raise ValidationError({"category": CATEGORY_REQUIRED})
    if responsible is None:
        raise ValidationError({"responsible": RESPONSIBLE_REQUIRED})
    opinion = opinion_register(
        user=user,
        organisation=reception.organisation,
        received_on=reception.received_on,
        channel=Channel.RECEPTION,
        reporter_name=reception.visitor_name,
        reporter_address=reception.visitor_address,
        reporter_phone=reception.visitor_phone,
        subject=reception.matter,
        content=reception.problem_text,
        category=category,
        responsible=responsible,
        handling_opinion=reception.handling_note,
        remarks=f"由{reception.received_on:%Y-%m-%d}接待登记转入（接待人：{reception.receiver.name}）",
        now=now,
    )
    reception.opinion = opinion
    reception.save(update_fields=["opinion"])


@transaction.atomic
def reception_register(
    *,
    user,
    organisation,
    session: ReceptionSession | None = None,
    category: int | None = None,
    responsible=None,
    now: datetime.datetime | None = None,
    **values,
) -> Reception:
    """Record a reception; an unsettled one opens its Opinion in the same transaction."""
    now, today = today_of(now)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a reception field: {', '.join(sorted(unknown))}")
    reception = Reception(
        organisation=organisation,
        session=session,
        created_by=user if user.is_authenticated else None,
        **{name: _strip(value) for name, value in values.items()},
    )
    reception.visitor_gender = reception.visitor_gender or ""
    _check(reception, user, today)
    if reception.is_unsettled and not category:
        raise ValidationError({"category": CATEGORY_REQUIRED})
    reception.save()
    if reception.is_unsettled:
        _open_opinion(reception, user=user, category=category, responsible=responsible, now=now)
    return reception


@transaction.atomic
def reception_update(
    *,
    user,
    reception: Reception,
    session: ReceptionSession | None = None,
    category: int | None = None,
    responsible=None,
    now: datetime.datetime | None = None,
    **values,
) -> Reception:
    """Edit a reception (the form's record_state refuses a stale save). Turning a settled one into an
    unsettled one opens its Opinion now; one that already has an Opinion stays unsettled."""
    now, today = today_of(now)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a reception field: {', '.join(sorted(unknown))}")
    # of=self: PostgreSQL cannot lock the nullable side of an outer join (a reception without opinion)
    reception = (
        Reception.objects.select_for_update(of=("self",))
        .select_related("opinion", "organisation")
        .get(pk=reception.pk)
    )
    require_org_in_scope(user, reception.organisation, "organisation")
    changed = reception.session_id != (session.pk if session else None)
    reception.session = session
    for name, value in values.items():
        value = _strip(value)
        if name == "visitor_gender":
            value = value or ""
        changed = changed or getattr(reception, name) != value
        setattr(reception, name, value)
    opening = reception.is_unsettled and not reception.opinion_id
    if not changed and not opening:
        return reception  # nothing to save: the record (and its history) stay as they were
    if reception.opinion_id and reception.handling not in UNSETTLED:
        raise ValidationError(
            {"handling": SETTLED_AFTER_OPINION.format(number=reception.opinion.number_display)}
        )
    _check(reception, user, today)
    reception.save()
    if reception.is_unsettled and not reception.opinion_id:
        _open_opinion(reception, user=user, category=category, responsible=responsible, now=now)
    return reception
