"""联系点: list with this year's average, page with contacts per month."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from liaison.quotas import quota_rule
from members import rules
from members.models import LiaisonPoint
from members.scope import visible_points


def point_list(*, user, year: int) -> QuerySet[LiaisonPoint]:
    return (
        visible_points(user)
        .select_related("leader__organisation", "organisation__parent")
        .annotate(year_contacts=Count("contacts", filter=Q(contacts__date__year=year)))
        .order_by("ended_on", "leader__organisation__path", "leader__name", "started_on", "id")
    )


@dataclass(frozen=True)
class Frequency:
    year: int
    contacts: int
    months: int
    per_month: object
    met: bool | None


def frequency(point: LiaisonPoint, year: int, contacts: int, per_month, today: datetime.date) -> Frequency:
    months = rules.months_due(year, today, since=point.started_on, until=point.ended_on)
    return Frequency(
        year, contacts, months, per_month, rules.average_frequency_met(contacts, months, per_month)
    )


def point_detail(*, user, pk: int) -> LiaisonPoint:
    return get_object_or_404(
        visible_points(user).select_related("leader__organisation", "organisation__parent"), pk=pk
    )


def point_year(point: LiaisonPoint, year: int, *, today: datetime.date | None = None) -> dict:
    """Contacts per month of one year, and the average against 003's 1 a month."""
    today = today or timezone.localdate()
    rule = quota_rule("liaison-point-contacts")
    contacts = list(
        point.contacts.filter(date__year=year).select_related("created_by").order_by("-date", "-id")
    )
    by_month = rules.contacts_by_month([c.date for c in contacts], year)
    months = [
        {
            "month": month,
            "count": count,
            "in_progress": (year, month) == (today.year, today.month),
            "future": (year, month) > (today.year, today.month),
        }
        for month, count in by_month.items()
    ]
    return {
        "rule": rule,
        "contacts": contacts,
        "months": months,
        "frequency": frequency(point, year, len(contacts), rule.minimum, today),
    }
