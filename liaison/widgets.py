"""Form widgets every app shares.

LookupSelect / LookupSelectMultiple: the search-as-you-type picker (结对户, 党员, 联系点的领导干部,
岗位的党员 …, and the visit and reception entry screens). A township holds tens of thousands of
households: a <select> with all of them would weigh megabytes. The field keeps its full scoped queryset
for validation (a tampered id outside the scope is an invalid choice, shown next to the field); the
widget renders only the chosen options, and static/js/lookup.js (loaded on every page by base.html)
adds the search box, whose results come from a scoped JSON view answering {"results": [{id, label}]}.

The keyboard works as in any combobox: type, ↓/↑ through the results, Enter picks the highlighted one
and never submits the form, Esc closes the list. The typed text is posted with the form as
`<name>__search`, so a page shown again with errors still holds it.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from liaison.safeguards.ids import parse_ids

SEARCH_SUFFIX = "__search"


class LookupSelectMixin:
    template_name = "liaison/widgets/lookup_select.html"
    placeholder = "输入姓名、拼音首字母或电话搜索"

    def __init__(self, lookup: str, attrs=None, placeholder: str | None = None, params: str = "") -> None:
        super().__init__(attrs)
        self.lookup = lookup
        self.params = params
        self.typed = ""
        if placeholder:
            self.placeholder = placeholder

    def value_from_datadict(self, data, files, name):
        # Read when the bound form is cleaned or rendered, before get_context: keep what was typed.
        self.typed = (data.get(name + SEARCH_SUFFIX) or "")[:50]
        return super().value_from_datadict(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse(self.lookup)
        context["widget"]["lookup_url"] = f"{url}?{self.params}" if self.params else url
        context["widget"]["placeholder"] = self.placeholder
        context["widget"]["multiple"] = self.allow_multiple_selected
        context["widget"]["search_name"] = name + SEARCH_SUFFIX
        context["widget"]["typed"] = self.typed
        return context

    def optgroups(self, name, value, attrs=None):
        selected = parse_ids(value)  # a tampered or huge id names nothing (and SQLite cannot hold it)
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


class LongSelect(forms.Select):
    """A <select> of hundreds of plain options (a district's 864 organisations), written in one pass.

    Django's Select renders each option through its own template include: for the 组织部's
    党组织 filter that took 150–180 ms of a 180 ms list page (cProfile, 400k district). The HTML is
    the same: the attributes, the empty option, the chosen one marked `selected`. Choices must be
    flat (no <optgroup>), as a ModelChoiceField's are."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = set(self.format_value(value))
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                ("" if key is None else key, " selected" if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(attrs), options)


class DateInput(forms.DateInput):
    """The phone's own date picker; ISO format both ways."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
