"""党员承诺: 1–2 实事 a year per member (000 第十二条; 002 六), 公示, 民主评议."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from commitments import rules
from commitments.models import PersonalCommitment, ReviewResult
from commitments.services.common import actor, require_not_future, require_owner, save, today_of
from members.models import PartyMember

TWO_ALREADY = "{name}{year}年已承诺两件实事（每名党员每年一至二件）。"
YEAR_RANGE = "年度应在2000年至明年之间。"
DEADLINE_IN_YEAR = "完成时限应在{year}年内。"
REVIEW_NEEDS_DATE = "请填写评议日期。"
REVIEW_BEFORE_YEAR = "民主评议日期应在{year}年内或次年初。"
EDITABLE = ["content", "measure", "deadline", "publicised_on"]
REVIEWED_IS_FIXED = "该承诺已经民主评议，内容不能再修改。"


def _check(values: dict, year: int, today: datetime.date) -> None:
    if values.get("deadline") and values["deadline"].year != year:
        raise ValidationError({"deadline": DEADLINE_IN_YEAR.format(year=year)})
    require_not_future(values.get("publicised_on"), today, "publicised_on")


@transaction.atomic
def personal_add(
    *,
    user,
    member: PartyMember,
    year: int,
    content: str,
    deadline: datetime.date,
    measure: str = "",
    publicised_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> PersonalCommitment:
    _, today = today_of(now)
    require_owner(user, member.organisation)
    year = int(year)
    if not 2000 <= year <= today.year + 1:
        raise ValidationError({"year": YEAR_RANGE})
    # Lock the member's row so two clerks adding at once cannot both take the second slot.
    PartyMember.objects.select_for_update().filter(pk=member.pk).first()
    taken = set(PersonalCommitment.objects.filter(member=member, year=year).values_list("slot", flat=True))
    free = [slot for slot in range(1, rules.PERSONAL_PER_YEAR_MAX + 1) if slot not in taken]
    if not free:
        raise ValidationError(TWO_ALREADY.format(name=member.name, year=year), code="two_already")
    values = {"content": content.strip(), "measure": measure.strip(), "deadline": deadline}
    values["publicised_on"] = publicised_on
    _check(values, year, today)
    commitment = PersonalCommitment(member=member, year=year, slot=free[0], created_by=actor(user), **values)
    save(commitment)
    return commitment


@transaction.atomic
def personal_update(
    *, user, commitment: PersonalCommitment, now: datetime.datetime | None = None, **changes
) -> PersonalCommitment:
    _, today = today_of(now)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    commitment = PersonalCommitment.objects.select_for_update().select_related("member").get(pk=commitment.pk)
    require_owner(user, commitment.member.organisation)
    if commitment.review_result:
        raise ValidationError(REVIEWED_IS_FIXED)
    for name, value in changes.items():
        setattr(commitment, name, value.strip() if isinstance(value, str) else value)
    _check({name: getattr(commitment, name) for name in EDITABLE}, commitment.year, today)
    save(commitment)
    return commitment


@transaction.atomic
def personal_review(
    *,
    user,
    commitment: PersonalCommitment,
    review_result: str,
    reviewed_on: datetime.date,
    review_comment: str = "",
    now: datetime.datetime | None = None,
) -> PersonalCommitment:
    """002 六 “结合党员日常组织生活和年度民主评议，对党员承诺践诺进行评议”."""
    _, today = today_of(now)
    commitment = PersonalCommitment.objects.select_for_update().select_related("member").get(pk=commitment.pk)
    require_owner(user, commitment.member.organisation)
    ReviewResult(review_result)
    if reviewed_on is None:
        raise ValidationError({"reviewed_on": REVIEW_NEEDS_DATE})
    require_not_future(reviewed_on, today, "reviewed_on")
    if reviewed_on.year not in (commitment.year, commitment.year + 1):
        raise ValidationError({"reviewed_on": REVIEW_BEFORE_YEAR.format(year=commitment.year)})
    commitment.review_result = review_result
    commitment.reviewed_on = reviewed_on
    commitment.review_comment = review_comment.strip()
    save(commitment)
    return commitment
