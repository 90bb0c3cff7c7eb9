"""A forged TOTAL_FORMS is refused with a Chinese message, after building only a bounded number of forms.

Before the cap, residents-TOTAL_FORMS=10000000 built 2,000 forms and looped ten million times over the
POST (47 s a request); every inline formset, on the pages and in the admin, now stops at its max_num.
"""

from __future__ import annotations

import pytest
from django import forms as django_forms
from django.urls import reverse

from liaison import forms as household_forms
from liaison.formsets import TOO_MANY_ROWS
from liaison.models import Household, Organisation, Role
from members.forms import MAX_POSITIONS
from members.models import PartyMember
from tests.factories import OrganisationFactory, UserFactory
from tests.forms_utils import form_fields
from tests.test_households import new_household_post

pytestmark = pytest.mark.django_db

HUGE = "10000000"


@pytest.fixture
def count_forms(monkeypatch):
    """How many Django forms (of any kind) the request constructs."""
    built = {"n": 0}
    original = django_forms.BaseForm.__init__

    def counting(self, *args, **kwargs):
        built["n"] += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(django_forms.BaseForm, "__init__", counting)
    return built


def test_household_form_refuses_a_huge_total_forms(client_for, clerk_a, tree, count_forms):
    client = client_for(clerk_a)
    data = new_household_post(client, tree["village_a"], **{"residents-TOTAL_FORMS": HUGE})
    count_forms["n"] = 0
    response = client.post(reverse("household-create"), data)
    assert response.status_code == 200
    assert household_forms.TOO_MANY_RESIDENTS % {"num": household_forms.MAX_RESIDENTS} in response.text
    # the household form, the management form, the empty template row and at most MAX_RESIDENTS rows
    assert count_forms["n"] <= household_forms.MAX_RESIDENTS + 5
    assert not Household.objects.exists()


def test_household_form_at_the_cap_still_saves(client_for, clerk_a, tree):
    """The cap refuses only what is over it: a household with exactly MAX_RESIDENTS residents is saved."""
    client = client_for(clerk_a)
    rows = {"residents-TOTAL_FORMS": str(household_forms.MAX_RESIDENTS)}
    for i in range(2, household_forms.MAX_RESIDENTS):
        rows.update(
            {
                f"residents-{i}-name": f"成员{i}",
                f"residents-{i}-relation": "child",
                f"residents-{i}-gender": "F",
                f"residents-{i}-age": "10",
            }
        )
    response = client.post(reverse("household-create"), new_household_post(client, tree["village_a"], **rows))
    assert response.status_code == 302, response.text[-3000:]
    assert Household.objects.get().residents.count() == household_forms.MAX_RESIDENTS

    over = {**rows, "residents-TOTAL_FORMS": str(household_forms.MAX_RESIDENTS + 1)}
    over.update({f"residents-{household_forms.MAX_RESIDENTS}-name": "多一人", "address": "桂花村三组9号"})
    response = client.post(reverse("household-create"), new_household_post(client, tree["village_a"], **over))
    assert household_forms.TOO_MANY_RESIDENTS % {"num": household_forms.MAX_RESIDENTS} in response.text
    assert Household.objects.count() == 1


def test_the_head_name_is_read_from_the_posted_rows_not_from_total_forms():
    """posted_head_name used to loop range(TOTAL_FORMS): ten million turns for one forged number."""

    class CountingPost(dict):
        gets = 0

        def get(self, key, default=None):
            CountingPost.gets += 1
            assert CountingPost.gets < 100, "walked TOTAL_FORMS instead of the posted rows"
            return super().get(key, default)

    data = CountingPost(
        {"residents-TOTAL_FORMS": HUGE, "residents-3-relation": "head", "residents-3-name": " 王喆 "}
    )
    assert household_forms.posted_head_name(data, "residents") == "王喆"


def test_member_form_refuses_a_huge_total_forms(client_for, tree, count_forms):
    branch = OrganisationFactory(
        name="桂花村第一党支部", code="js-gh-1", level=Organisation.Level.BRANCH, parent=tree["village_a"]
    )
    secretary = UserFactory(username="sec", role=Role.SECRETARY, organisation=tree["township"])
    client = client_for(secretary)
    data = form_fields(client.get(reverse("member-create")).text)
    data.update({"organisation": str(branch.pk), "name": "陈婷", "positions-TOTAL_FORMS": HUGE})
    count_forms["n"] = 0
    response = client.post(reverse("member-create"), data)
    assert response.status_code == 200
    assert TOO_MANY_ROWS % {"num": MAX_POSITIONS} in response.text
    assert count_forms["n"] <= MAX_POSITIONS + 5
    assert not PartyMember.objects.exists()


def test_admin_inline_refuses_a_huge_total_forms(client, tree, household_a, count_forms):
    admin = UserFactory(
        username="root", role=Role.ORG_DEPT, organisation=tree["district"], is_staff=True, is_superuser=True
    )
    client.force_login(admin)
    url = reverse("admin:liaison_household_change", args=[household_a.pk])
    data = form_fields(client.get(url).text)
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and k.startswith("residents"))
    data[prefix] = HUGE
    count_forms["n"] = 0
    response = client.post(url, data)
    assert response.status_code == 200
    assert count_forms["n"] <= household_forms.MAX_RESIDENTS + 10
