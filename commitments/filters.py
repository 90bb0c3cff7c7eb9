"""The commitments lists' filters (django-filter), each scoped to the user's subtree."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from commitments.models import Area, Assessment, Commitment, PersonalCommitment, Scope, Subject
from commitments.rules import Grade
from commitments.states import State
from liaison.access.scoping import ScopedFilterSet, SubtreeFilter
from liaison.filters import SearchFilter
from liaison.models import Organisation
from liaison.text.pinyin import looks_like_initials, search_key

L = Organisation.Level


def _select(**attrs):
    return forms.Select(attrs={"class": "form-select", **attrs})


def _year():
    return django_filters.NumberFilter(
        label="年度",
        method="filter_year",
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 2000, "max": 2100}),
    )


class CommitmentFilter(ScopedFilterSet):
    q = SearchFilter("承诺事项、量化目标或责任人")
    organisation = SubtreeFilter(label="村（社区）/支部", exclude_levels=(L.UNIT,))
    year = _year()
    subject = django_filters.ChoiceFilter(
        label="承诺主体", choices=Subject.choices, empty_label="全部", widget=_select()
    )
    area = django_filters.ChoiceFilter(
        label="方面", choices=Area.choices, empty_label="全部", widget=_select()
    )
    scope = django_filters.ChoiceFilter(
        label="类型", choices=Scope.choices, empty_label="全部", widget=_select()
    )
    state = django_filters.ChoiceFilter(
        label="状态", choices=State.choices, empty_label="全部", widget=_select()
    )

    class Meta:
        model = Commitment
        fields = ["q", "organisation", "year", "subject", "area", "scope", "state"]

    def search(self, queryset: QuerySet[Commitment], name: str, value: str) -> QuerySet[Commitment]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(target__icontains=value) | Q(responsible__icontains=value)
        )

    def filter_year(self, queryset: QuerySet[Commitment], name: str, value) -> QuerySet[Commitment]:
        """A term commitment counts in each of its three years."""
        if value is None:
            return queryset
        return queryset.filter(year__lte=int(value), end_year__gte=int(value))


class AssessmentFilter(ScopedFilterSet):
    organisation = SubtreeFilter(label="村（社区）", exclude_levels=(L.UNIT, L.BRANCH))
    year = django_filters.NumberFilter(
        label="年度", widget=forms.NumberInput(attrs={"class": "form-control", "min": 2000, "max": 2100})
    )
    final_grade = django_filters.ChoiceFilter(
        label="综合考评", choices=Grade.choices, empty_label="全部", widget=_select()
    )

    class Meta:
        model = Assessment
        fields = ["organisation", "year", "final_grade"]


class PersonalFilter(ScopedFilterSet):
    q = SearchFilter("党员姓名、拼音首字母或承诺事项")
    organisation = SubtreeFilter(
        label="党组织", field_name="member__organisation", exclude_levels=(L.DISTRICT,)
    )
    year = django_filters.NumberFilter(
        label="年度", widget=forms.NumberInput(attrs={"class": "form-control", "min": 2000, "max": 2100})
    )

    class Meta:
        model = PersonalCommitment
        fields = ["q", "organisation", "year"]

    def search(self, queryset, name: str, value: str):
        value = value.strip()
        if not value:
            return queryset
        query = Q(member__name__icontains=value) | Q(content__icontains=value)
        if looks_like_initials(value):
            query |= Q(member__name_initials__contains=search_key(value))
        return queryset.filter(query)
