"""Helpers shared by the members views."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.utils import timezone

MAX_YEARS_BACK = 10


def show_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, the rest at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def paginate(request, queryset, per_page: int | None = None) -> tuple[Page, str]:
    page = Paginator(queryset, per_page or settings.LIAISON_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


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
