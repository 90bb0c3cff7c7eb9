"""liaison.widgets.LongSelect writes a district's 党组织 filter in one pass; what the browser gets must be
what Django's own Select would have written: the same attributes, options, labels and chosen option."""

from __future__ import annotations

from django import forms
from django.test.html import parse_html
from django.urls import reverse

from liaison.models import Organisation
from liaison.widgets import LongSelect
from tests.factories import OrganisationFactory

CHOICES = [("", "全部"), (3, "界石镇"), (7, "　桂花村 <旧>"), (9, "　石岗村 & 三组")]


class LongSelectMultiple(LongSelect, forms.SelectMultiple):
    pass


def both(value, attrs=None, multiple=False):
    """What LongSelect writes and what Django's Select writes, parsed (whitespace does not count)."""
    widgets = (LongSelectMultiple, forms.SelectMultiple) if multiple else (LongSelect, forms.Select)
    return [
        parse_html(
            widget(attrs={"class": "form-select"}, choices=CHOICES).render("organisation", value, attrs=attrs)
        )
        for widget in widgets
    ]


def test_the_same_select_as_django_writes_for_each_value():
    for value in (None, "", 7, "7", 12):
        ours, django = both(value, attrs={"id": "id_organisation"})
        assert ours == django, value


def test_labels_are_escaped_and_the_chosen_option_is_marked():
    html = LongSelect(choices=CHOICES).render("organisation", 9)
    assert "&lt;旧&gt;" in html and "&amp; 三组" in html
    assert '<option value="9" selected>' in html and html.count("selected") == 1


def test_a_multiple_select_keeps_every_chosen_option():
    ours, django = both([3, 9], multiple=True)
    assert ours == django


def test_the_district_filter_lists_every_organisation_and_keeps_the_chosen_one(client_for, org_dept, tree):
    for n in range(40):
        OrganisationFactory(
            name=f"新村{n:02d}",
            code=f"js-x{n:02d}",
            level=Organisation.Level.VILLAGE,
            parent=tree["township"],
        )
    page = client_for(org_dept).get(reverse("research-list"), {"organisation": tree["village_b"].pk})
    select = page.content.decode().split('name="organisation"')[1].split("</select>")[0]
    assert select.count("<option") == Organisation.objects.count() + 1  # and 全部
    assert f'<option value="{tree["village_b"].pk}" selected>' in select
    assert f">{tree['village_a'].indented_name}</option>" in select
