"""The filters of the reception and session lists (django-filter, scoped through SubtreeFilter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from feedback.filters import _date, _select
from feedback.models import Handling, Reception, ReceptionSession, SessionKind, SessionStatus
from liaison.access.privacy import number_search
from liaison.access.scoping import ScopedFilterSet, SubtreeFilter
from liaison.filters import SearchFilter
from liaison.models import Organisation
from liaison.text.pinyin import looks_like_initials, search_key


class ReceptionFilter(ScopedFilterSet):
    q = SearchFilter("来访人（姓名或拼音）、事由、电话")
    organisation = SubtreeFilter(exclude_levels=(Organisation.Level.BRANCH,))
    handling = django_filters.ChoiceFilter(
        label="办理情况", choices=Handling.choices, empty_label="全部", widget=_select()
    )
    received_from = django_filters.DateFilter(
        label="接待时间从", field_name="received_on", lookup_expr="gte", widget=_date()
    )
    received_to = django_filters.DateFilter(
        label="至", field_name="received_on", lookup_expr="lte", widget=_date()
    )

    class Meta:
        model = Reception
        fields = ["q", "organisation", "handling", "received_from", "received_to"]

    def search(self, queryset: QuerySet[Reception], name: str, value: str) -> QuerySet[Reception]:
        value = value.strip()
        if not value:
            return queryset
        number = number_search(self.user, value)
        if number is not None:
            return queryset.filter(number.q(phone=["visitor_phone"]))
        if looks_like_initials(value):
            return queryset.filter(
                Q(visitor_initials__contains=search_key(value)) | Q(matter__icontains=value)
            )
        return queryset.filter(
            Q(visitor_name__contains=value) | Q(matter__contains=value) | Q(visitor_address__contains=value)
        )


class SessionFilter(ScopedFilterSet):
    organisation = SubtreeFilter(exclude_levels=(Organisation.Level.BRANCH, Organisation.Level.UNIT))
    status = django_filters.ChoiceFilter(
        label="状态", choices=SessionStatus.choices, empty_label="全部", widget=_select()
    )
    kind = django_filters.ChoiceFilter(
        label="类型", choices=SessionKind.choices, empty_label="全部", widget=_select()
    )
    date_from = django_filters.DateFilter(
        label="日期从", field_name="date", lookup_expr="gte", widget=_date()
    )
    date_to = django_filters.DateFilter(label="至", field_name="date", lookup_expr="lte", widget=_date())

    class Meta:
        model = ReceptionSession
        fields = ["organisation", "status", "kind", "date_from", "date_to"]
