"""List filters (django-filter), applied in the selectors. Organisation choices come from the user's scope,
so asking for another subtree's id is simply not a valid choice."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from liaison.access.privacy import number_search
from liaison.access.scoping import ScopedFilterSet, SubtreeFilter
from liaison.filters import SearchFilter
from liaison.models import Organisation
from liaison.text.pinyin import looks_like_initials, search_key
from members.models import Pairing, PairingMember, PartyMember, Position, UnitPairing

L = Organisation.Level
AREA_LEVELS = (L.TOWNSHIP, *Organisation.GRASSROOTS_LEVELS)
YES_NO = [("", "全部"), ("true", "是"), ("false", "否")]


def _select(choices=None) -> forms.Select:
    return forms.Select(attrs={"class": "form-select"}, choices=choices or [])


def current_positions(role: str | None = None) -> Exists:
    today = timezone.localdate()
    positions = Position.objects.filter(member=OuterRef("pk"), start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    if role:
        positions = positions.filter(role=role)
    return Exists(positions)


class MemberFilter(ScopedFilterSet):
    q = SearchFilter("姓名、拼音（如 zs、zhangsan）、电话或身份证号")
    organisation = SubtreeFilter()
    position = django_filters.ChoiceFilter(
        label="党内职务",
        method="filter_position",
        empty_label="全部",
        choices=[(r.value, r.label) for r in Position.Role if r != Position.Role.DELEGATE],
        widget=_select(),
    )
    delegate = django_filters.BooleanFilter(
        label="党代会代表", method="filter_delegate", widget=_select(YES_NO)
    )
    has_pairing = django_filters.BooleanFilter(
        label="有结对帮扶", method="filter_has_pairing", widget=_select(YES_NO)
    )
    category = django_filters.ChoiceFilter(
        label="党员类别", choices=PartyMember.Category.choices, empty_label="全部", widget=_select()
    )
    is_mobile = django_filters.BooleanFilter(label="流动党员", widget=_select(YES_NO))

    class Meta:
        model = PartyMember
        fields = ["q", "organisation", "position", "delegate", "has_pairing", "category", "is_mobile"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        number = number_search(self.user, value)
        if number is not None:
            return queryset.filter(number.q(phone=["phone"], id_number=["id_number"]))
        if looks_like_initials(value):
            return queryset.filter(name_initials__contains=search_key(value))
        return queryset.filter(name__part=value)  # one or two characters from an index too

    def filter_position(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(current_positions(value)) if value else queryset

    def filter_delegate(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        delegate = current_positions(Position.Role.DELEGATE)
        return queryset.filter(delegate if value else ~delegate)

    def filter_has_pairing(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        paired = Exists(
            PairingMember.objects.filter(member=OuterRef("pk"), pairing__status=Pairing.Status.ACTIVE)
        )
        return queryset.filter(paired if value else ~paired)


class PairingFilter(ScopedFilterSet):
    q = SearchFilter("户主、党员姓名或拼音（如 zs、zhangsan）")
    organisation = SubtreeFilter(label="村（社区）", levels=AREA_LEVELS)
    status = django_filters.ChoiceFilter(
        label="状态", choices=Pairing.Status.choices, empty_label="全部", widget=_select()
    )

    class Meta:
        model = Pairing
        fields = ["q", "organisation", "status"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        members = PairingMember.objects.filter(pairing=OuterRef("pk"))
        if looks_like_initials(value):
            key = search_key(value)
            return queryset.filter(
                Q(household__head_initials__contains=key)
                | Exists(members.filter(member__name_initials__contains=key))
            )
        return queryset.filter(
            Q(household__head_name__contains=value)
            | Q(household__address__contains=value)
            | Exists(members.filter(member__name__part=value))
        )


class UnitPairingFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(
        label="帮扶方式", choices=UnitPairing.Kind.choices, empty_label="全部", widget=_select()
    )
    organisation = SubtreeFilter(label="受帮扶村（社区）", field_name="area", levels=AREA_LEVELS)
    status = django_filters.ChoiceFilter(
        label="状态", choices=UnitPairing.Status.choices, empty_label="全部", widget=_select()
    )

    class Meta:
        model = UnitPairing
        fields = ["kind", "organisation", "status"]
