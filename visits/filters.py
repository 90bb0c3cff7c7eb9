"""The visit list's filters (django-filter), applied in visits.selectors: one search box (户主 or 家访人 by
name, pinyin or phone), organisation with its subtree, 家访人, date range, year, 办理方式, 五必访, 结对."""

from __future__ import annotations

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from liaison.access.privacy import number_search
from liaison.access.scoping import ScopedFilterSet, SubtreeFilter
from liaison.filters import SearchFilter, common_on_postgresql, common_on_sqlite
from liaison.models import Household, Organisation, Resident
from liaison.text.pinyin import looks_like_initials, search_key
from members.models import PartyMember
from visits.models import Handling, Visit

YES = [("", "全部"), ("1", "是")]


def _select(**attrs) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def _date(**attrs) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control", **attrs})


FEW = 3000  # households, or visitors, that a search on PostgreSQL hands on as ids


def _one_household(column: str) -> dict:
    """`column` is the visit's household. On PostgreSQL as a range of one value: PostgreSQL turns
    `column = outer` into a hashed list of every match in the district before the first visit is read
    (a township's "zhang": 78,653 residents read for each count, 300-400 ms), where a range stays one
    lookup on the same index for each visit the scope keeps (60-100 ms)."""
    household = OuterRef("household_id")
    if connection.vendor == "postgresql":
        return {f"{column}__gte": household, f"{column}__lte": household}
    return {column: household}


def _household_matches(value: str) -> Q:
    """What a search finds of a visit's household, read from that household's own rows: any of its
    residents by name or pinyin, or its address; archived or not, as the indexed sides below."""
    residents = Resident.all_objects.filter(**_one_household("household_id"))
    if looks_like_initials(value):
        return Q(Exists(residents.filter(name_initials__contains=search_key(value))))
    address = Household.all_objects.filter(**_one_household("pk"), address__contains=value)
    return Q(Exists(residents.filter(name__contains=value))) | Q(Exists(address))


def _few(found: QuerySet, field: str) -> list[int] | None:
    """The ids of what a search found, when there are at most FEW of them (one query, LIMIT FEW + 1)."""
    ids = [row[field] for row in found[: FEW + 1]]
    return ids if len(ids) <= FEW else None


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

    matching: tuple[list[int], list[int]] | None = None
    # A common name on SQLite: its visits lie dense in the list's date order, so visits.selectors.visit_list
    # reads the page in that order and counts on the indexes.
    dense: bool = False

    def search(self, queryset: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        """A phone number filters here, and so does a name, pinyin or address on SQLite. On PostgreSQL a
        name few people bear only finds what matches (`matching`: the households' and the visitors' ids),
        and visits.selectors.visit_list chooses the page from their visits: the list's date order walked
        the district's visits to find a rare name's few (a township's 张伟: 4.0 s → 60 ms)."""
        value = value.strip()
        if not value:
            return queryset
        number = number_search(self.user, value)
        if number is not None:
            return queryset.filter(number.q(phone=["phone"]))
        # Each side is found on its own index (residents' and members' pinyin or name: pg_trgm on
        # PostgreSQL, FTS5 on SQLite). A visit log is history: every resident and household is searched,
        # archived or not (the list shows their visits), which also spares a join to households.
        if looks_like_initials(value):
            residents = Resident.all_objects.filter(name_initials__pinyin=value)
            members = PartyMember.objects.filter(name_initials__pinyin=value)
            places = None
        else:
            # `__part`: a name of one or two characters from an index too (liaison.text.short_search).
            residents = Resident.all_objects.filter(name__part=value)
            members = PartyMember.objects.filter(name__part=value)
            places = Household.all_objects.filter(address__part=value).order_by().values("pk")
        households = residents.order_by().values("household_id")
        if places is not None:
            households = households.union(places)
        visitors = members.order_by().values("pk")
        if self._common(value):
            # A common name ("zhang": 78,653 residents): each visit's household is checked on its own few
            # residents while the list's date order is walked, instead of reading every match for its
            # household. SQLite: a township's "zhang" 691 → 347 ms, a village's 655 → 134 ms.
            # PostgreSQL, measured under load: a township's "zhang" 526 → 175 ms, "wang" 565 → 139, 张
            # 843 → 408; the district's "zhang" 549 → 137. 国华, rarer, took 129 → 684 this way.
            self.dense = True
            return queryset.filter(_household_matches(value) | Q(visitor_id__in=visitors))
        if connection.vendor != "postgresql":
            # SQLite answers the UNION of the two indexed sides best, in the list's date order
            # (100,000 visits: 47-206 ms against 263-567 ms for the OR; handed the ids first, as below,
            # 国华 and "zhang" read 1.0 s against 0.75 s at 400,000 households).
            found = (
                Visit.objects.filter(household_id__in=households)
                .order_by()
                .values("pk")
                .union(Visit.objects.filter(visitor_id__in=visitors).order_by().values("pk"))
            )
            return queryset.filter(pk__in=found)
        few = _few(households, "household_id"), _few(visitors, "pk")
        if None not in few:  # a name few people bear: its page is chosen from its visits (visits.selectors)
            self.matching = few
            return queryset
        # More than FEW households, fewer than COMMON residents (国华: 4,722): two hashed IN checks on the
        # indexed columns. `pk IN (a UNION)` became a join walked in date order that re-read the whole
        # found set for every visit (7.2 s for "zhang").
        return queryset.filter(Q(household_id__in=households) | Q(visitor_id__in=visitors))

    def _common(self, value: str) -> bool:
        """common_on_sqlite or _postgresql, asked once per list: visit_list filters a second queryset with
        the same search."""
        known = self.__dict__.setdefault("_known_common", {})
        if value not in known:
            known[value] = common_on_sqlite(value) or common_on_postgresql(value)
        return known[value]

    def filter_year(self, queryset: QuerySet[Visit], name: str, value) -> QuerySet[Visit]:
        if not value or not 2000 <= int(value) <= 2100:
            return queryset
        year = int(value)
        return queryset.filter(visited_on__year=year)
