"""Every error of a submission at once, in a summary at the top that links to each field; the ID-number box
takes all 18 characters; the gender select has no "请选择" placeholder."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.forms_utils import form_fields

pytestmark = pytest.mark.django_db


def summary(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger form-error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_household_form_lists_every_error_linked_to_its_field(client_for, clerk_a, tree):
    client = client_for(clerk_a)
    fields = form_fields(client.get(reverse("household-create")).content.decode())
    fields.update(
        {
            "address": "",  # required
            "housing_area": "-5",
            "residents-0-name": "王喆",
            "residents-0-gender": "",  # required
            "residents-0-age": "130",
            "residents-0-id_number": "12345",
            "residents-1-name": "李堃",
            "residents-1-relation": "配偶",
            "residents-1-gender": "女",
            "residents-1-phone": "abc",
        }
    )
    html = client.post(reverse("household-create"), fields).content.decode()
    box = summary(html)
    count = int(re.search(r"这次提交有 (\d+) 处需要修改", box).group(1))
    links = re.findall(r'<a href="#([^"]+)"[^>]*>([^<]+)</a>：([^<]+)</li>', box)
    assert count == len(links) >= 6
    targets = {anchor: label for anchor, label, _ in links}
    assert targets["id_address"] == "居住地点"
    assert targets["id_housing_area"] == "住房面积（㎡）"
    assert targets["id_residents-0-gender"] == "家庭成员第 1 行 · 性别"
    assert targets["id_residents-0-age"] == "家庭成员第 1 行 · 年龄"
    assert targets["id_residents-0-id_number"] == "家庭成员第 1 行 · 身份证号"
    assert targets["id_residents-1-phone"] == "家庭成员第 2 行 · 联系电话"
    for anchor in targets:  # every link lands on a field of the page
        assert f'id="{anchor}"' in html, anchor
    # The summary comes before the first field.
    assert html.index("form-error-summary") < html.index('id="id_organisation"')


def test_every_form_page_uses_the_summary(client_for, clerk_a, tree):
    """A sample across the apps: the page's own form sent back with its text boxes emptied gets the same
    summary at the top."""
    client = client_for(clerk_a)
    for url in (reverse("member-create"), reverse("pairing-create"), reverse("opinion-create")):
        fields = form_fields(client.get(url).content.decode())
        emptied = {
            k: ("" if isinstance(v, str) and k != "csrfmiddlewaretoken" and "FORMS" not in k else v)
            for k, v in fields.items()
        }
        html = client.post(url, emptied).content.decode()
        assert "这次提交有" in summary(html), url


def test_lookup_errors_link_to_the_search_box(client_for, clerk_a, tree):
    client = client_for(clerk_a)
    fields = form_fields(client.get(reverse("pairing-create")).content.decode())
    html = client.post(reverse("pairing-create"), {**fields, "household": ""}).content.decode()
    box = summary(html)
    assert '<a href="#id_household_search"' in box and 'id="id_household_search"' in html


def test_id_number_box_takes_18_characters_and_gender_has_no_placeholder(client_for, clerk_a, tree):
    html = client_for(clerk_a).get(reverse("household-create")).content.decode()
    box = re.search(r'<input[^>]*name="residents-0-id_number"[^>]*>', html).group(0)
    assert 'maxlength="18"' in box and "input-id-number" in box
    select = re.search(r'<select[^>]*name="residents-0-gender".*?</select>', html, re.S).group(0)
    first = re.search(r"<option[^>]*>([^<]*)</option>", select).group(1)
    assert first == "—" and "请" not in select
    member = client_for(clerk_a).get(reverse("member-create")).content.decode()
    assert "请选择" not in re.search(r'<select[^>]*name="gender".*?</select>', member, re.S).group(0)
