"""The visit list's filters (django-filter), applied in visits.selectors: one search box (户主 or 家访人 by
name, pinyin or phone), organisation with its subtree, 家访人, date range, year, 办理方式, 五必访, 结对."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from liaison.access.privacy import number_search
from liaison.access.scoping import ScopedFilterSet, SubtreeFilter
from liaison.filters import SearchFilter
from liaison.models import Organisation
from liaison.text.pinyin import looks_like_initials, search_key
from visits.models import Handling, Visit

YES = [("", "全部"), ("1", "是")]


def _select(**attrs) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def _date(**attrs) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control", **attrs})


class VisitFilter(ScopedFilterSet):
    q = SearchFilter("户主或家访人（姓名、拼音如 zs、zhangsan）、地址或电话")
    organisation = SubtreeFilter(exclude_levels=(Organisation.Level.BRANCH, Organisation.Level.UNIT))
    visitor = django_filters.NumberFilter(field_name="visitor_id", widget=forms.HiddenInput)
    household = django_filters.NumberFilter(field_name="household_id", widget=forms.HiddenInput)
    year = django_filters.NumberFilter(
        label="年度",
        method="filter_year",
        widget=forms.NumberInput(attrs={"class": "form-control", "placeholder": "如 2026", "min": 2000}),
    )
    visited_from = django_filters.DateFilter(
        label="走访时间从", field_name="visited_on", lookup_expr="gte", widget=_date()
    )
    visited_to = django_filters.DateFilter(
        label="至", field_name="visited_on", lookup_expr="lte", widget=_date()
    )
    handling = django_filters.ChoiceFilter(
        label="办理情况", choices=Handling.choices, empty_label="全部", widget=_select()
    )
    must_visit = django_filters.BooleanFilter(
        label="五必访", field_name="event", lookup_expr="isnull", exclude=True, widget=_select(choices=YES)
    )
    paired = django_filters.BooleanFilter(
        label="结对帮扶走访",
        field_name="pairing",
        lookup_expr="isnull",
        exclude=True,
        widget=_select(choices=YES),
    )

    class Meta:
        model = Visit
        fields = [
            "q",
            "organisation",
            "visitor",
            "household",
            "year",
            "visited_from",
            "visited_to",
            "handling",
            "must_visit",
            "paired",
        ]

    def search(self, queryset: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        value = value.strip()
        if not value:
            return queryset
        number = number_search(self.user, value)
        if number is not None:
            return queryset.filter(number.q(phone=["phone"]))
        if looks_like_initials(value):
            key = search_key(value)
            return queryset.filter(
                Q(household__head_initials__contains=key) | Q(visitor__name_initials__contains=key)
            )
        return queryset.filter(
            Q(head_name__contains=value) | Q(visitor__name__contains=value) | Q(address__contains=value)
        )

    def filter_year(self, queryset: QuerySet[Visit], name: str, value) -> QuerySet[Visit]:
        if not value or not 2000 <= int(value) <= 2100:
            return queryset
        year = int(value)
        return queryset.filter(visited_on__year=year)
