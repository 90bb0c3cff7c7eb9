"""The year picker the members views share (pagination and saving are liaison.views.helpers)."""

from __future__ import annotations

from django.utils import timezone

MAX_YEARS_BACK = 10


def chosen_year(request) -> int:
    """?year= within the last ten years and this one; anything else is this year."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if this_year - MAX_YEARS_BACK <= year <= this_year else this_year


def year_choices() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - MAX_YEARS_BACK - 1, -1))
