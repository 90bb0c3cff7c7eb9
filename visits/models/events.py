"""五必访 (seed 004 入户走访制度 三): 村（社区）党组织书记对重病卧床、住院治疗、红白喜事、意外事故、家庭受灾的
群众须做到“五必访”. An event is recorded on a household; a visit tagged to it closes it when the visitor is
that village's 书记 on the day (visits.rules.closes_must_visit); anyone else's tagged visit is kept as a
visit and the event stays open."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible
from visits import rules


class EventKind(models.TextChoices):
    SERIOUS_ILLNESS = "illness", "重病卧床"
    HOSPITALISED = "hospital", "住院治疗"
    WEDDING_FUNERAL = "ceremony", "红白喜事"
    ACCIDENT = "accident", "意外事故"
    DISASTER = "disaster", "家庭受灾"


class MustVisitEventQuerySet(models.QuerySet):
    @staticmethod
    def tagged() -> Exists:
        """Any visit tagged to the event, on or after its day, whoever made it."""
        from visits.models.visit import Visit

        return Exists(Visit.objects.filter(event=OuterRef("pk"), visited_on__gte=OuterRef("occurred_on")))

    @staticmethod
    def secretary_visits():
        """The visits that answer the event (visits.rules.closes_must_visit): tagged to it, on or after its
        day, by the member who held the post 书记 in the event's village or community organisation that
        day. For use inside a query over events (OuterRef)."""
        from members.models import Position
        from visits.models.visit import Visit

        day = OuterRef("visited_on")
        secretary = Position.objects.filter(
            member=OuterRef("visitor_id"),
            organisation=OuterRef(OuterRef("organisation_id")),
            role=rules.MUST_VISIT_ROLE,
            start_date__lte=day,
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        return Visit.objects.filter(event=OuterRef("pk"), visited_on__gte=OuterRef("occurred_on")).filter(
            Exists(secretary)
        )

    @staticmethod
    def visited() -> Exists:
        """Answered: at least one of `secretary_visits`."""
        return Exists(MustVisitEventQuerySet.secretary_visits())

    @staticmethod
    def secretary_visit_count() -> Coalesce:
        """How many of `secretary_visits` (the compliance rule weighs it against QuotaRule five-must-visit)."""
        counted = (
            MustVisitEventQuerySet.secretary_visits()
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    def open(self) -> MustVisitEventQuerySet:
        return self.filter(~self.visited())

    def closed(self) -> MustVisitEventQuerySet:
        return self.filter(self.visited())


class MustVisitEvent(models.Model):
    organisation = models.ForeignKey(
        "liaison.Organisation", verbose_name="所属村（社区）", on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "liaison.Household", verbose_name="户", on_delete=models.PROTECT, related_name="must_visit_events"
    )
    kind = models.CharField("事项", max_length=10, choices=EventKind.choices)
    occurred_on = models.DateField("发生日期", validators=[plausible("event")])
    note = models.CharField("情况说明", max_length=200, blank=True)
    created_by = recorded_by("登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = MustVisitEventQuerySet.as_manager()

    class Meta:
        verbose_name = "五必访事项"
        verbose_name_plural = "五必访事项"
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind", "occurred_on"],
                name="must_visit_unique_event",
                violation_error_message="该户当天已登记过同一事项。",
            ),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="must_visit_kind_known"),
        ]
        indexes = [
            models.Index(fields=["organisation", "-occurred_on"], name="must_visit_org_date"),
            models.Index(fields=["household", "-occurred_on"], name="must_visit_household_date"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.get_kind_display()}"

    def days_since(self, today: datetime.date) -> int:
        return rules.days_open(self.occurred_on, today)
