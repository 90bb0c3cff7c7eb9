"""The access-log page for the 组织部: search by user, organisation (with its subtree), date and kind."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from liaison.access.scoping import scoped, visible_organisations
from liaison.models import AccessLog, Organisation

DATE_RANGE = "结束日期不能早于开始日期。"


def _date(label: str, method: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label, method=method, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight of a local calendar day, so the range uses the index on `at`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AccessLogForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", DATE_RANGE)
        return cleaned


class AccessLogFilter(django_filters.FilterSet):
    user = django_filters.CharFilter(
        label="用户",
        method="filter_user",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "用户名或姓名"}),
    )
    organisation = django_filters.ModelChoiceFilter(
        label="党组织（含下级）",
        queryset=Organisation.objects.none(),
        empty_label="全部",
        method="filter_organisation",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = django_filters.ChoiceFilter(
        label="类型",
        choices=AccessLog.Kind.choices,
        empty_label="全部",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = _date("开始日期", "filter_start")
    end = _date("结束日期", "filter_end")

    class Meta:
        model = AccessLog
        form = AccessLogForm
        fields = ["user", "organisation", "kind", "start", "end"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = visible_organisations(user).exclude(
            level=Organisation.Level.BRANCH
        )
        self.form.fields["organisation"].label_from_instance = lambda org: (
            ("　" * max(org.depth - 1, 0)) + org.display_name
        )

    def filter_user(self, queryset: QuerySet[AccessLog], name: str, value: str) -> QuerySet[AccessLog]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(user__username__icontains=value) | Q(user__full_name__contains=value))

    def filter_organisation(
        self, queryset: QuerySet[AccessLog], name: str, value: Organisation | None
    ) -> QuerySet[AccessLog]:
        if value is None:
            return queryset
        return queryset.filter(organisation__path__startswith=value.path)

    def filter_start(self, queryset: QuerySet[AccessLog], name: str, value: datetime.date | None):
        return queryset.filter(at__gte=_start_of(value)) if value else queryset

    def filter_end(self, queryset: QuerySet[AccessLog], name: str, value: datetime.date | None):
        return queryset.filter(at__lt=_start_of(value + datetime.timedelta(days=1))) if value else queryset


def access_log_list(*, user, filters: dict | None = None) -> tuple[AccessLogFilter, QuerySet[AccessLog]]:
    """The rows of the user's subtree (a row is where its user belonged when they looked), newest first."""
    base = scoped(AccessLog.objects.all(), user).select_related("user", "organisation").order_by("-at", "-id")
    log_filter = AccessLogFilter(filters or None, queryset=base, user=user)
    if log_filter.is_bound and not log_filter.is_valid():
        return log_filter, base.none()  # the errors are shown next to the fields
    return log_filter, log_filter.qs
