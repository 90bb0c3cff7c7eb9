"""List filters of terms, talks, stays and reports (django-filter, applied in the selectors)."""

from __future__ import annotations

import django_filters
from django import forms

from liaison.access.scoping import ScopedFilterSet, SubtreeFilter
from liaison.models import Organisation
from visits.models import FieldResearch, ResearchReport, Talk, Term

L = Organisation.Level


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select"})


class TermFilter(ScopedFilterSet):
    organisation = SubtreeFilter(
        label="镇街或村（社区）", levels=(L.TOWNSHIP, *Organisation.GRASSROOTS_LEVELS)
    )

    class Meta:
        model = Term
        fields = ["organisation"]


class TalkFilter(ScopedFilterSet):
    organisation = SubtreeFilter(label="谈话人所在党组织", field_name="leader__organisation")
    form = django_filters.ChoiceFilter(
        label="形式", choices=Talk.Form.choices, empty_label="全部", widget=_select()
    )

    class Meta:
        model = Talk
        fields = ["organisation", "form"]


class ResearchFilter(ScopedFilterSet):
    organisation = SubtreeFilter(label="调研人所在党组织", field_name="leader__organisation")

    class Meta:
        model = FieldResearch
        fields = ["organisation"]


class ReportFilter(ScopedFilterSet):
    organisation = SubtreeFilter(label="撰写人所在党组织", field_name="author__organisation")

    class Meta:
        model = ResearchReport
        fields = ["organisation"]
