"""A select that renders only its chosen options and finds others through a scoped search URL.

A township holds tens of thousands of households: a <select> with all of them would weigh megabytes.
The field keeps its full scoped queryset for validation (a tampered id outside the scope is an invalid
choice, shown next to the field); the widget renders the selected options only, and
static/members/lookup.js adds a search box whose results come from the lookup views.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse


class LookupSelectMixin:
    template_name = "members/widgets/lookup_select.html"
    placeholder = "输入姓名、拼音首字母或电话搜索"

    def __init__(self, lookup: str, attrs=None, placeholder: str | None = None, params: str = "") -> None:
        super().__init__(attrs)
        self.lookup = lookup
        self.params = params
        if placeholder:
            self.placeholder = placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse(self.lookup)
        context["widget"]["lookup_url"] = f"{url}?{self.params}" if self.params else url
        context["widget"]["placeholder"] = self.placeholder
        context["widget"]["multiple"] = self.allow_multiple_selected
        return context

    def optgroups(self, name, value, attrs=None):
        selected = [str(v) for v in value if v not in (None, "") and str(v).isdigit()]
        field = getattr(self.choices, "field", None)
        if field is None or not selected:
            return []
        groups = []
        for index, obj in enumerate(field.queryset.filter(pk__in=selected)):
            option = self.create_option(
                name, obj.pk, field.label_from_instance(obj), True, index, attrs=attrs
            )
            groups.append((None, [option], index))
        return groups

    def id_for_label(self, id_):
        return f"{id_}_search" if id_ else id_


class LookupSelect(LookupSelectMixin, forms.Select):
    pass


class LookupSelectMultiple(LookupSelectMixin, forms.SelectMultiple):
    pass


class DateInput(forms.DateInput):
    """The phone's own date picker; ISO format both ways."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
