"""Reads for commitments/, each starting from the scoped querysets of commitments.scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from commitments import rules, scope, similarity
from commitments.filters import AssessmentFilter, CommitmentFilter, PersonalFilter
from commitments.models import (
    Assessment,
    AssessmentTally,
    Commitment,
    CommitmentEvent,
    Inspection,
    PersonalCommitment,
    ProgressNote,
    Subject,
    Vote,
)
from commitments.rules import Grade
from commitments.states import PUBLIC_STATES, STANDING_STATES, State
from liaison.access.scoping import scoped, visible_organisations
from liaison.models import Organisation
from members.models import PartyMember

L = Organisation.Level
COUNTERPART = {Subject.PARTY: Subject.COMMITTEE, Subject.COMMITTEE: Subject.PARTY}
INACTIVE = (State.WITHDRAWN, State.SUPERSEDED)


def _last_vote(field_name: str):
    return Subquery(
        Vote.objects.filter(commitment=OuterRef("pk")).order_by("-held_on", "-id").values(field_name)[:1]
    )


def commitment_list(*, user, filters) -> tuple[CommitmentFilter, QuerySet[Commitment]]:
    base = (
        scope.visible_commitments(user)
        .select_related("organisation", "organisation__parent")
        .annotate(last_vote_result=_last_vote("result"))
        .order_by("-year", "organisation__path", "subject", "area", "id")
    )
    commitment_filter = CommitmentFilter(filters or None, queryset=base, user=user)
    return commitment_filter, commitment_filter.qs


def commitment_detail(*, user, pk: int) -> Commitment:
    queryset = (
        scope.visible_commitments(user)
        .select_related(
            "organisation",
            "organisation__parent",
            "revision_of",
            "created_by",
            "approved_by",
        )
        .prefetch_related(
            Prefetch("votes", queryset=Vote.objects.select_related("created_by").order_by("held_on", "id")),
            "comments",
            Prefetch("progress_notes", queryset=ProgressNote.objects.select_related("created_by")),
            Prefetch("inspections", queryset=Inspection.objects.order_by("-date", "-id")),
            Prefetch("events", queryset=CommitmentEvent.objects.select_related("user").order_by("at", "id")),
            Prefetch("revisions", queryset=Commitment.objects.order_by("id")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def commitment_for_action(*, user, pk: int) -> Commitment:
    return get_object_or_404(scope.visible_commitments(user).select_related("organisation"), pk=pk)


@dataclass
class Similar:
    commitment: Commitment
    share: object

    @property
    def message(self) -> str:
        return similarity.WARNING.format(
            subject=self.commitment.get_subject_display(),
            title=self.commitment.title,
            percent=rules.percent(self.share),
        )


def similar_items(commitment: Commitment) -> list[Similar]:
    """The other committee's items of the same village, in overlapping years, that read the same."""
    other = COUNTERPART.get(commitment.subject)
    if other is None:
        return []
    candidates = (
        Commitment.objects.filter(
            organisation_id=commitment.organisation_id,
            subject=other,
            year__lte=commitment.end_year,
            end_year__gte=commitment.year,
        )
        .exclude(state__in=INACTIVE)
        .only("id", "title", "target", "subject", "organisation_id")
    )
    text = similarity.item_text(commitment.title, commitment.target)
    found = []
    for candidate in candidates:
        share = similarity.similarity(text, similarity.item_text(candidate.title, candidate.target))
        if share >= similarity.NEAR_IDENTICAL:
            found.append(Similar(candidate, share))
    return found


# -- the 承诺书 and the public page ---------------------------------------------------------------


def pledge_items(organisation: Organisation, year: int) -> QuerySet[Commitment]:
    """What the 承诺书 of `year` lists: the items adopted and standing for that year (a revision
    replaces its original once published, so a superseded item is left out)."""
    return Commitment.objects.filter(
        organisation=organisation, state__in=STANDING_STATES, year__lte=year, end_year__gte=year
    ).order_by("subject", "-scope", "direction", "area", "id")


def pledge_organisation(*, user, pk: int) -> Organisation:
    return get_object_or_404(
        visible_organisations(user).filter(level__in=Organisation.GRASSROOTS_LEVELS).select_related("parent"),
        pk=pk,
    )


def public_commitments(
    organisations: QuerySet[Organisation], year: int | None = None
) -> QuerySet[Commitment]:
    """Published items only; nothing about who voted or who is helped."""
    queryset = Commitment.objects.filter(state__in=PUBLIC_STATES, organisation__in=organisations)
    if year is not None:
        queryset = queryset.filter(year__lte=year, end_year__gte=year)
    return (
        queryset.select_related("organisation", "organisation__parent")
        .only(
            "id",
            "organisation__id",
            "organisation__name",
            "organisation__short_name",
            "organisation__parent__id",
            "organisation__parent__name",
            "organisation__parent__short_name",
            "organisation__path",
            "subject",
            "direction",
            "scope",
            "year",
            "end_year",
            "area",
            "title",
            "target",
            "deadline",
            "responsible",
            "state",
            "completion",
            "published_on",
        )
        .order_by("organisation__path", "-year", "subject", "area", "id")
    )


def public_assessments(organisations: QuerySet[Organisation]) -> QuerySet[Assessment]:
    return Assessment.objects.filter(organisation__in=organisations, published_on__isnull=False).only(
        "id", "organisation_id", "year", "final_grade", "published_on"
    )


# -- assessments and flags --------------------------------------------------------------------------


def _failed_year_before() -> Exists:
    return Exists(
        Assessment.objects.filter(
            organisation=OuterRef("organisation"), year=OuterRef("year") - 1, final_grade=Grade.FAIL
        )
    )


def with_flags(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """连续两年不合格 (004 五) and 限期整改, as columns computed by the database."""
    return queryset.annotate(
        consecutive_fail=Q(final_grade=Grade.FAIL) & _failed_year_before(),
        rectify=Q(final_grade=Grade.FAIL) | Q(dissatisfied__gt=F("satisfied") + F("basically_satisfied")),
    )


def assessment_list(*, user, filters) -> tuple[AssessmentFilter, QuerySet[Assessment]]:
    base = with_flags(
        scope.visible_assessments(user)
        .select_related("organisation", "organisation__parent")
        .order_by("-year", "organisation__path")
    )
    assessment_filter = AssessmentFilter(filters or None, queryset=base, user=user)
    return assessment_filter, assessment_filter.qs


def assessment_detail(*, user, pk: int) -> Assessment:
    queryset = with_flags(
        scope.visible_assessments(user).select_related("organisation", "organisation__parent", "finalised_by")
    ).prefetch_related(Prefetch("tallies", queryset=AssessmentTally.objects.order_by("id")))
    return get_object_or_404(queryset, pk=pk)


def consecutive_failures(*, user, since_year: int) -> QuerySet[Assessment]:
    """Committees graded 不合格 in two consecutive years, the later of which is `since_year` or after:
    004 五 “其成员应主动辞职”."""
    return (
        with_flags(scope.visible_assessments(user).filter(year__gte=since_year))
        .filter(consecutive_fail=True)
        .select_related("organisation", "organisation__parent")
        .order_by("-year", "organisation__path")
    )


def rectifications_due(*, user, today: datetime.date) -> QuerySet[Assessment]:
    return (
        scope.visible_assessments(user)
        .filter(
            rectification_deadline__isnull=False,
            rectification_deadline__gte=today - datetime.timedelta(days=365),
        )
        .select_related("organisation")
        .order_by("rectification_deadline")
    )


def year_overview(*, user, year: int) -> list[dict]:
    """Per village in scope: how many items stand in each step this year, and the assessment."""
    organisations = visible_organisations(user).filter(level__in=Organisation.GRASSROOTS_LEVELS)
    counts = (
        Commitment.objects.filter(organisation__in=organisations, year__lte=year, end_year__gte=year)
        .exclude(state__in=INACTIVE)
        .values("organisation_id")
        .annotate(
            total=Count("id"),
            drafting=Count("id", filter=Q(state__in=[State.DRAFT, State.SENT_BACK])),
            waiting=Count("id", filter=Q(state__in=[State.ADOPTED, State.APPROVED])),
            public=Count("id", filter=Q(state__in=PUBLIC_STATES)),
        )
    )
    return list(counts)


# -- personal commitments ---------------------------------------------------------------------------


def personal_list(*, user, filters) -> tuple[PersonalFilter, QuerySet[PersonalCommitment]]:
    base = (
        scope.visible_personal(user)
        .select_related("member", "member__organisation")
        .order_by("-year", "member__organisation__path", "member__name", "slot")
    )
    personal_filter = PersonalFilter(filters or None, queryset=base, user=user)
    return personal_filter, personal_filter.qs


def members_without_commitment(*, user, year: int, organisation: Organisation | None = None):
    """002 六 “对没有按时完成承诺事项的及时提醒”: the members with no promise for `year` yet."""
    members = scoped(PartyMember.objects.all(), user, all_placed=True)
    if organisation is not None:
        members = members.filter(organisation__path__startswith=organisation.path)
    has_one = PersonalCommitment.objects.filter(member=OuterRef("pk"), year=year)
    return (
        members.filter(~Exists(has_one))
        .select_related("organisation")
        .only("id", "name", "organisation__id", "organisation__name", "organisation__short_name")
        .order_by("organisation__path", "name", "id")
    )


def personal_overdue(*, user, today: datetime.date) -> QuerySet[PersonalCommitment]:
    """Past their deadline and not yet reviewed: the ones to remind (002 六)."""
    return scope.visible_personal(user).filter(deadline__lt=today, review_result="", year=today.year)


@dataclass
class Reminder:
    missing: int = 0
    overdue: int = 0
    extra: dict = field(default_factory=dict)
