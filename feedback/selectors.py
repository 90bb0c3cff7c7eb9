"""Reads for feedback/, each starting from scope.visible_opinions(user) (built on liaison.access.scoping)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from feedback.filters import OpinionFilter
from feedback.models import (
    Assignment,
    CaseOwnership,
    Extension,
    Opinion,
    OpinionEvent,
    OpinionQuerySet,
    Transfer,
    Urge,
)
from feedback.scope import away_from, visible_opinions
from feedback.states import UNANSWERED
from liaison.models import Organisation
from liaison.text.numbers import percent

LIST_RELATED = ("organisation", "holder", "responsible", "handler", "case")
BOARD_ROWS = 8


def annotate_deadlines(opinions: Iterable[Opinion], today: datetime.date, user=None) -> list[Opinion]:
    """Days left or late and the deadline status on each row, in Python (no queries)."""
    own = user.organisation if user is not None and user.is_authenticated and user.organisation_id else None
    rows = list(opinions)
    for row in rows:
        row.days = row.days_left(today)
        row.days_late = -row.days
        row.status = row.deadline_status(today)
        path = row.organisation.path
        row.from_below = bool(own and path != own.path and path.startswith(own.path))
        # 转报上级 out of the user's subtree: shown as 已转报 until answered (the holder is an ancestor)
        row.transferred_away = bool(
            own and row.holder_id and not row.holder.path.startswith(own.path) and row.state in UNANSWERED
        )
    return rows


def opinion_list(*, user, filters, today: datetime.date) -> tuple[OpinionFilter, QuerySet[Opinion]]:
    base = (
        visible_opinions(user, ids_first=True).select_related(*LIST_RELATED).order_by("-received_on", "-id")
    )
    opinion_filter = OpinionFilter(filters or None, queryset=base, user=user, today=today)
    queryset = opinion_filter.qs
    data = getattr(opinion_filter.form, "cleaned_data", {}) if opinion_filter.is_bound else {}
    if data.get("overdue") or data.get("due_soon"):
        queryset = queryset.order_by("due_date", "id")  # the most urgent first
    return opinion_filter, queryset


def source_relations() -> list[str]:
    """The records an opinion was opened from (a reception here, a visit in visits/): every one-to-one
    pointing at Opinion from a model with an `<model>-detail` page. Found from the model graph, so
    feedback imports no other app; the link is resolved by `opinion_sources`."""
    return [
        rel.get_accessor_name()
        for rel in Opinion._meta.related_objects
        if rel.one_to_one and rel.related_model is not CaseOwnership
    ]


def opinion_sources(opinion: Opinion) -> list[tuple[str, str, str]]:
    """(what, link, text) for each record the opinion came from, from the joined rows (no query)."""
    sources = []
    for name in source_relations():
        try:
            record = getattr(opinion, name)
        except ObjectDoesNotExist:
            continue
        meta = record._meta
        try:
            url = reverse(f"{meta.model_name}-detail", args=[record.pk])
        except NoReverseMatch:
            continue
        sources.append((str(meta.verbose_name), url, str(record)))
    return sources


def opinion_detail(*, user, pk: int) -> Opinion:
    queryset = (
        visible_opinions(user)
        .select_related(
            *source_relations(),
            "organisation",
            "organisation__parent",
            "responsible",
            "handler",
            "created_by",
            "closed_by",
            "case",
            "holder",
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related(
                    "unit", "issuing_organisation", "issued_by"
                ).order_by("issued_on", "id"),
            ),
            Prefetch(
                "urges", queryset=Urge.objects.select_related("urged_by", "answered_by", "organisation")
            ),
            Prefetch("extensions", queryset=Extension.objects.select_related("requested_by", "decided_by")),
            Prefetch("events", queryset=OpinionEvent.objects.select_related("user").order_by("at", "id")),
            Prefetch(
                "transfers",
                queryset=Transfer.objects.select_related(
                    "from_organisation", "to_organisation", "transferred_by", "received_by"
                ),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def opinion_for_action(*, user, pk: int) -> Opinion:
    return get_object_or_404(
        visible_opinions(user).select_related("organisation", "holder", "responsible", "handler"), pk=pk
    )


def assignment_for(*, user, pk: int) -> Assignment:
    queryset = Assignment.objects.filter(opinion__in=visible_opinions(user).values("pk")).select_related(
        "opinion", "opinion__organisation", "unit", "issuing_organisation", "issued_by"
    )
    return get_object_or_404(queryset, pk=pk)


def urge_for(*, user, pk: int) -> Urge:
    queryset = Urge.objects.filter(opinion__in=visible_opinions(user).values("pk")).select_related(
        "opinion", "urged_by"
    )
    return get_object_or_404(queryset, pk=pk)


def extension_for(*, user, pk: int) -> Extension:
    queryset = Extension.objects.filter(opinion__in=visible_opinions(user).values("pk")).select_related(
        "opinion", "opinion__organisation", "requested_by"
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass
class DeadlineBoard:
    overdue_count: int
    due_soon_count: int
    overdue: list[Opinion]
    due_soon: list[Opinion]
    year: int
    on_time: int
    late: int
    open_late: int
    transferred: int = 0

    @property
    def answered_due(self) -> int:
        return self.on_time + self.late + self.open_late

    @property
    def on_time_rate(self) -> Fraction | None:
        """Share of the opinions whose deadline has come that were answered by it (approved extensions count)."""
        return Fraction(self.on_time, self.answered_due) if self.answered_due else None

    @property
    def on_time_percent(self) -> str:
        return percent(self.on_time_rate)

    @property
    def from_below_count(self) -> int:
        return sum(1 for row in self.overdue if row.from_below)


def deadline_board(*, user, today: datetime.date, rows: int = BOARD_ROWS) -> DeadlineBoard:
    """What the dashboard shows: overdue and due-soon opinions in the user's subtree (an overdue one of a
    village is in its township's subtree: that is the escalation), and this year's on-time share."""
    visible = visible_opinions(user)
    # Sent up out of the user's subtree (转报上级): the holder's deadline, not this board's; counted as
    # 已转报 until answered.
    away = away_from(user)
    is_overdue = OpinionQuerySet.is_overdue(today) & ~away
    is_due_soon = OpinionQuerySet.is_due_soon(today) & ~away
    this_year = Q(
        received_on__gte=datetime.date(today.year, 1, 1), received_on__lte=datetime.date(today.year, 12, 31)
    )
    totals = visible.aggregate(
        overdue=Count("pk", filter=is_overdue),
        due_soon=Count("pk", filter=is_due_soon),
        on_time=Count(
            "pk", filter=this_year & ~away & Q(feedback_on__isnull=False, feedback_on__lte=F("due_date"))
        ),
        late=Count("pk", filter=this_year & ~away & Q(feedback_on__gt=F("due_date"))),
        open_late=Count("pk", filter=this_year & is_overdue),
        transferred=Count("pk", filter=away & Q(state__in=UNANSWERED)),
    )
    # The first `rows` of each list in one query: numbered within each list (overdue: due before today;
    # due soon: due today or later), most urgent first, and cut at `rows` in SQL.
    late = Case(When(due_date__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField())
    ranked = list(
        visible.filter(is_overdue | is_due_soon)
        .select_related("organisation", "responsible", "handler")
        .annotate(
            late=late,
            rank=Window(RowNumber(), partition_by=[late], order_by=[F("due_date").asc(), F("id").asc()]),
        )
        .filter(rank__lte=rows)
        .order_by("due_date", "id")
    )
    overdue = annotate_deadlines([row for row in ranked if row.late], today, user)
    due_soon = annotate_deadlines([row for row in ranked if not row.late], today, user)
    return DeadlineBoard(
        overdue_count=totals["overdue"],
        due_soon_count=totals["due_soon"],
        overdue=overdue,
        due_soon=due_soon,
        year=today.year,
        on_time=totals["on_time"],
        late=totals["late"],
        open_late=totals["open_late"],
        transferred=totals["transferred"],
    )


def register_queryset(
    *,
    user,
    organisation: Organisation,
    start: datetime.date,
    end: datetime.date,
    include_below: bool = False,
) -> QuerySet[Opinion]:
    """One organisation's 登记簿 for a date range, in the order of its numbers (序号); with
    `include_below`, the organisations under it too, each one's entries together in tree order."""
    where = (
        Q(organisation__path__startswith=organisation.path) if include_below else Q(organisation=organisation)
    )
    return (
        visible_opinions(user)
        .filter(where, received_on__gte=start, received_on__lte=end)
        .select_related("handler", "organisation")
        .prefetch_related(Prefetch("transfers", queryset=Transfer.objects.select_related("to_organisation")))
        .order_by("organisation__path", "year", "number")
    )
