"""The opinion list's filters (django-filter): category, state, channel, organisation (with its subtree),
date range, overdue, due soon, 包案, and one search box (name, 事由/内容, phone, or the number)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from feedback.models import Channel, Opinion
from feedback.rules import Category
from feedback.scope import away_from
from feedback.states import UNANSWERED, State
from liaison.access.privacy import number_search
from liaison.access.scoping import ScopedFilterSet, SubtreeFilter
from liaison.filters import SearchFilter
from liaison.models import Organisation
from liaison.text.pinyin import looks_like_initials, search_key

YES = [("", "全部"), ("1", "是")]
# Up to four digits is an opinion's 序号 (numbered per organisation and year); more is a phone.
OPINION_NUMBER_DIGITS = 5


def _select(**attrs):
    return forms.Select(attrs={"class": "form-select", **attrs})


def _date(**attrs):
    return forms.DateInput(attrs={"type": "date", "class": "form-control", **attrs})


class OpinionFilter(ScopedFilterSet):
    q = SearchFilter("反映人（姓名或拼音）、事由、电话或编号")
    organisation = SubtreeFilter(exclude_levels=(Organisation.Level.BRANCH,))
    category = django_filters.ChoiceFilter(
        label="类别", choices=Category.choices, empty_label="全部", widget=_select()
    )
    state = django_filters.ChoiceFilter(
        label="状态", choices=State.choices, empty_label="全部", widget=_select()
    )
    channel = django_filters.ChoiceFilter(
        label="渠道", choices=Channel.choices, empty_label="全部", widget=_select()
    )
    received_from = django_filters.DateFilter(
        label="反映时间从", field_name="received_on", lookup_expr="gte", widget=_date()
    )
    received_to = django_filters.DateFilter(
        label="至", field_name="received_on", lookup_expr="lte", widget=_date()
    )
    overdue = django_filters.BooleanFilter(
        label="已逾期",
        method="filter_overdue",
        widget=forms.Select(choices=YES, attrs={"class": "form-select"}),
    )
    due_soon = django_filters.BooleanFilter(
        label="即将到期",
        method="filter_due_soon",
        widget=forms.Select(choices=YES, attrs={"class": "form-select"}),
    )
    transferred = django_filters.BooleanFilter(
        label="已转报上级",
        method="filter_transferred",
        widget=forms.Select(choices=YES, attrs={"class": "form-select"}),
    )
    is_case = django_filters.BooleanFilter(
        label="包案", method="filter_case", widget=forms.Select(choices=YES, attrs={"class": "form-select"})
    )

    class Meta:
        model = Opinion
        fields = [
            "q",
            "organisation",
            "category",
            "state",
            "channel",
            "received_from",
            "received_to",
            "overdue",
            "due_soon",
            "transferred",
            "is_case",
        ]

    def __init__(self, *args, user, today=None, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.today = today or timezone.localdate()

    def search(self, queryset: QuerySet[Opinion], name: str, value: str) -> QuerySet[Opinion]:
        value = value.strip()
        if not value:
            return queryset
        digits = value.replace("-", "")
        if digits.isdigit() and len(digits) < OPINION_NUMBER_DIGITS:
            return queryset.filter(number=int(digits))
        number = number_search(self.user, value)
        if number is not None:
            return queryset.filter(number.q(phone=["reporter_phone"]))
        if looks_like_initials(value):  # the reporter's pinyin: "zs", "zhang", "zhangsan"
            return queryset.filter(
                Q(reporter_initials__contains=search_key(value))
                | Q(subject__icontains=value)
                | Q(content__icontains=value)
            )
        return queryset.filter(
            Q(reporter_name__contains=value)
            | Q(subject__contains=value)
            | Q(content__contains=value)
            | Q(reporter_address__contains=value)
        )

    def filter_overdue(self, queryset: QuerySet[Opinion], name: str, value: bool | None) -> QuerySet[Opinion]:
        return queryset.overdue(self.today) if value else queryset

    def filter_due_soon(
        self, queryset: QuerySet[Opinion], name: str, value: bool | None
    ) -> QuerySet[Opinion]:
        return queryset.due_soon(self.today) if value else queryset

    def filter_case(self, queryset: QuerySet[Opinion], name: str, value: bool | None) -> QuerySet[Opinion]:
        return queryset.filter(case__isnull=False) if value else queryset

    def filter_transferred(
        self, queryset: QuerySet[Opinion], name: str, value: bool | None
    ) -> QuerySet[Opinion]:
        """Sent up out of the user's subtree (转报上级) and not yet answered: what the dashboard counts."""
        return queryset.filter(away_from(self.user), state__in=UNANSWERED) if value else queryset
