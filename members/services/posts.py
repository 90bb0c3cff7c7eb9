"""设岗定责: the post catalogue, members taking posts, and the yearly self-report."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from liaison.access.scoping import MEMBER_OUT_OF_SCOPE, ORGANISATION_OUT_OF_SCOPE, in_scope
from liaison.models import Organisation
from members import rules
from members.models import STANDARD_POSTS, PartyMember, Post, PostAssignment, PostReport
from members.services.common import Errors, check_not_future, full_clean, out_of_scope

L = Organisation.Level
POST_LEVELS = {L.VILLAGE, L.COMMUNITY, L.BRANCH, L.UNIT}

POST_LEVEL = "岗位由村（社区）、单位党组织或党支部设立。"
DUPLICATE_POST = "本党组织已设有同名岗位。"
POST_NOT_OWN = "只能在本人所在党组织（或其上级党组织）设立的岗位上岗（000 第十四条）。"
ALREADY_ON_POST = "该党员已在这个岗位上。"
POST_INACTIVE = "该岗位已停用。"
END_BEFORE_START = "离岗时间不能早于上岗时间。"
REPORT_YEAR_RANGE = "年度应在上岗当年（{first}）到今年（{last}）之间。"


@transaction.atomic
def post_save(
    *,
    user,
    post: Post | None,
    organisation: Organisation,
    name: str,
    responsibilities: str,
    is_active: bool = True,
) -> Post:
    errors = Errors()
    post = post or Post()
    if not in_scope(user, organisation):
        errors.add("organisation", ORGANISATION_OUT_OF_SCOPE)
    elif organisation.level not in POST_LEVELS:
        errors.add("organisation", POST_LEVEL)
    name = name.strip()
    if Post.objects.filter(organisation=organisation, name=name).exclude(pk=post.pk).exists():
        errors.add("name", DUPLICATE_POST)
    errors.raise_if_any()
    post.organisation, post.name, post.responsibilities, post.is_active = (
        organisation,
        name,
        responsibilities.strip(),
        is_active,
    )
    full_clean(post)
    post.save()
    return post


@transaction.atomic
def post_add_standard(*, user, organisation: Organisation) -> int:
    """Set up the standard posts (政策宣讲, 致富带头 …) an organisation does not have yet; returns how many."""
    existing = set(Post.objects.filter(organisation=organisation).values_list("name", flat=True))
    created = 0
    for name, responsibilities in STANDARD_POSTS:
        if name not in existing:
            post_save(
                user=user, post=None, organisation=organisation, name=name, responsibilities=responsibilities
            )
            created += 1
    return created


@transaction.atomic
def post_assign(
    *,
    user,
    post: Post,
    member: PartyMember,
    source: str,
    duties: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    assignment: PostAssignment | None = None,
) -> PostAssignment:
    errors = Errors()
    assignment = assignment or PostAssignment(post=post)
    if out_of_scope(user, [member]) and member.pk != assignment.member_id:
        errors.add("member", MEMBER_OUT_OF_SCOPE)
    elif not rules.post_within(member.organisation.path, post.organisation.path):
        errors.add("member", POST_NOT_OWN)
    if not post.is_active and assignment.pk is None:
        errors.add("member", POST_INACTIVE)
    today = timezone.localdate()
    check_not_future(errors, "start_date", start_date, today)
    check_not_future(errors, "end_date", end_date, today)
    if end_date and end_date < start_date:
        errors.add("end_date", END_BEFORE_START)
    active = PostAssignment.objects.filter(post=post, member=member, end_date__isnull=True).exclude(
        pk=assignment.pk
    )
    if end_date is None and active.exists():
        errors.add("member", ALREADY_ON_POST)
    errors.raise_if_any()
    assignment.member, assignment.source, assignment.duties = member, source, duties.strip()
    assignment.start_date, assignment.end_date = start_date, end_date
    full_clean(assignment)
    assignment.save()
    return assignment


@transaction.atomic
def post_report_save(
    *, user, assignment: PostAssignment, year: int, content: str, submitted_on: datetime.date
) -> PostReport:
    """One self-report per assignment and year; saving the same year again corrects it."""
    errors = Errors()
    today = timezone.localdate()
    first, last = assignment.start_date.year, today.year
    if not first <= year <= last:
        errors.add("year", REPORT_YEAR_RANGE.format(first=first, last=last))
    check_not_future(errors, "submitted_on", submitted_on, today)
    errors.raise_if_any()
    report = PostReport.objects.filter(assignment=assignment, year=year).first() or PostReport(
        assignment=assignment, year=year, created_by=user
    )
    report.content, report.submitted_on = content.strip(), submitted_on
    full_clean(report)
    report.save()
    return report
