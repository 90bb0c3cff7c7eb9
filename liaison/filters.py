"""The household list's filters (django-filter): village, 村民小组/网格, tag, and one search box that
takes a name, pinyin initials (张三 ← "zs"), a phone or a resident's ID number (matched as
liaison.access.privacy.number_search rules for the user). Every list's search box is a SearchFilter."""

from __future__ import annotations

import json

import django_filters
from django import forms
from django.db import connection
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


# Residents matching a search, past which SQLite checks each listed household's own rows (below), and
# the visit list does on either database.
COMMON = 20_000


def _in_own_rows(value: str) -> Q:
    """The search, as each household's own residents and address answer it: what a list of few
    households (one village), or one where matches lie dense, reads fastest, stopping at its page."""
    residents = Resident.all_objects.filter(household=OuterRef("pk"), archived_on__isnull=True)
    if looks_like_initials(value):
        return Q(Exists(residents.filter(name_initials__contains=search_key(value))))
    return Q(Exists(residents.filter(name__contains=value))) | Q(address__contains=value)


def common_on_sqlite(value: str) -> bool:
    """Whether SQLite finds at least COMMON residents for the search in its index ("zhang": 78,653 of the
    district's 1.2 M). Each is then read for its household, for the count and again for the page (239 ms);
    walking the households in the list's order, each checked on its own rows, finds a page and the
    count's first 1,000 in 30 ms. A rarer name is the other way round (zgh, walked: 842 ms)."""
    if connection.vendor != "sqlite":
        return False  # PostgreSQL hashes the matches either way
    lookup = "name_initials__pinyin" if looks_like_initials(value) else "name__part"
    found = Resident.all_objects.filter(**{lookup: value}).order_by().values("pk")
    return found[:COMMON].count() == COMMON  # counted in SQL: fetching 20,000 ids cost 13 ms more


def common_on_postgresql(value: str) -> bool:
    """Whether PostgreSQL expects at least COMMON residents for the search, by its own row estimate from
    the columns' statistics (in under 2 ms: "zhang" 79,786 for 78,653, 国 24,482 for 25,086, 国华 4,456
    for 4,722). Counting them, even capped, took 50-190 ms. Only the visit list asks: its visits of a
    common name are found fastest each checked on its own household (visits.filters)."""
    if connection.vendor != "postgresql":
        return False
    lookup = "name_initials__pinyin" if looks_like_initials(value) else "name__part"
    found = Resident.all_objects.filter(**{lookup: value}).order_by().values("pk")
    return json.loads(found.explain(format="json"))[0]["Plan"]["Plan Rows"] >= COMMON


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
        else:
            # The head of a household is one of its residents: one indexed search of residents
            # (pg_trgm on PostgreSQL, FTS5 on SQLite: liaison.text.pinyin_index and short_search), not
            # the households' column OR-ed with a correlated EXISTS. The list holds active households
            # only, so the residents are read without a join to theirs.
            residents = Resident.all_objects.filter(archived_on__isnull=True)
            if looks_like_initials(value):
                found = residents.filter(name_initials__pinyin=value).order_by().values("household_id")
            else:
                by_address = Household.objects.filter(address__part=value).order_by().values("pk")
                found = residents.filter(name__part=value).order_by().values("household_id").union(by_address)
            if self.within_one_village() or common_on_sqlite(value):
                match = _in_own_rows(value)
            else:
                match = Q(pk__in=found)
        return queryset.filter(match)

    def filter_away(
        self, queryset: QuerySet[Household], name: str, value: bool | None
    ) -> QuerySet[Household]:
        if value is None:
            return queryset
        away = Exists(Resident.objects.filter(household=OuterRef("pk"), is_away=True))
        return queryset.filter(away if value else ~away)
