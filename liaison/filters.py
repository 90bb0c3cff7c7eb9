"""The household list's filters (django-filter): village, 村民小组/网格, tag, and one search box that
takes a name, pinyin initials (张三 ← "zs"), a phone or a resident's ID number (matched as
liaison.access.privacy.number_search rules for the user). Every list's search box is a SearchFilter."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from liaison.access.privacy import number_search
from liaison.access.scoping import ScopedFilterSet, SubtreeFilter
from liaison.models import Household, HouseholdTag, Organisation, Resident
from liaison.text.pinyin import looks_like_initials, search_key


class SearchFilter(django_filters.CharFilter):
    """A list's one search box; the FilterSet's `search` method decides what it matches."""

    def __init__(self, placeholder: str, **kwargs) -> None:
        attrs = {"placeholder": placeholder, "type": "search", "class": "form-control"}
        super().__init__(label="搜索", method="search", widget=forms.TextInput(attrs=attrs), **kwargs)


class HouseholdFilter(ScopedFilterSet):
    q = SearchFilter("姓名、拼音（如 zs、zhangsan）、电话或身份证号")
    organisation = SubtreeFilter(label="村（社区）", levels=Organisation.GRASSROOTS_LEVELS)
    group = django_filters.CharFilter(
        label="村民小组/网格",
        lookup_expr="exact",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如 三组"}),
    )
    tag = django_filters.ModelChoiceFilter(
        label="标签",
        field_name="tags",
        queryset=HouseholdTag.objects.all(),
        empty_label="全部",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    away = django_filters.BooleanFilter(
        label="外出人员",
        method="filter_away",
        widget=forms.Select(
            choices=[("", "全部"), ("true", "有外出人员"), ("false", "无外出人员")],
            attrs={"class": "form-select"},
        ),
    )

    class Meta:
        model = Household
        fields = ["q", "organisation", "group", "tag", "away"]

    def search(self, queryset: QuerySet[Household], name: str, value: str) -> QuerySet[Household]:
        value = value.strip()
        if not value:
            return queryset
        number = number_search(self.user, value)
        if number is not None:
            # The rule (complete numbers only for a masked user) is number_search's; here only where.
            found = Resident.objects.filter(number.q(phone=["phone"], id_number=["id_number"]))
            match = number.q(phone=["phone"]) | Q(pk__in=found.order_by().values("household_id"))
        elif self.within_one_village():
            # A village's residents, each checked: no index lookups of the district's namesakes.
            residents = Resident.all_objects.filter(household=OuterRef("pk"), archived_on__isnull=True)
            if looks_like_initials(value):
                match = Exists(residents.filter(name_initials__contains=search_key(value)))
            else:
                match = Exists(residents.filter(name__contains=value)) | Q(address__contains=value)
        elif looks_like_initials(value):
            # The head of a household is one of its residents: one indexed search of residents
            # (pg_trgm on PostgreSQL, FTS5 on SQLite: liaison.text.pinyin_index), not the households'
            # column OR-ed with a correlated EXISTS. The list holds active households only, so the
            # residents are read without a join to theirs.
            found = Resident.all_objects.filter(archived_on__isnull=True, name_initials__pinyin=value)
            match = Q(pk__in=found.order_by().values("household_id"))
        else:
            # `__part`: a name or address from an index too (liaison.text.short_search).
            by_name = Resident.all_objects.filter(archived_on__isnull=True, name__part=value)
            by_address = Household.objects.filter(address__part=value).order_by().values("pk")
            match = Q(pk__in=by_name.order_by().values("household_id").union(by_address))
        return queryset.filter(match)

    def filter_away(
        self, queryset: QuerySet[Household], name: str, value: bool | None
    ) -> QuerySet[Household]:
        if value is None:
            return queryset
        away = Exists(Resident.objects.filter(household=OuterRef("pk"), is_away=True))
        return queryset.filter(away if value else ~away)
