"""A 交办单 may go to the 站所 and departments attached to the issuing organisation or above it, not only
to party organisations in its own subtree (issue 14 "Organisation kinds")."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from feedback import services
from feedback.scope import taskable_units, visible_opinions
from feedback.tests.factories import at
from liaison.access.scoping import UNIT_OUT_OF_SCOPE
from liaison.models import Organisation, Role
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
L = Organisation.Level


@pytest.fixture
def attached(tree):
    """The district's 交通局 (a department), 界石镇's 农业服务中心 (a 站所), 南泉街道's 站所, a district company."""
    return {
        "department": OrganisationFactory(
            name="区交通局党委", code="jtj", level=L.UNIT, parent=tree["district"], unit_kind="department"
        ),
        "station": OrganisationFactory(
            name="界石镇农业服务中心党支部",
            code="js-nyzx",
            level=L.UNIT,
            parent=tree["township"],
            unit_kind="station",
        ),
        "other_station": OrganisationFactory(
            name="南泉街道城管所党支部",
            code="nq-cgs",
            level=L.UNIT,
            parent=tree["other_township"],
            unit_kind="station",
        ),
        "company": OrganisationFactory(
            name="某公司党委", code="gs", level=L.UNIT, parent=tree["district"], unit_kind="two_new"
        ),
    }


def issue(user, opinion, unit):
    return services.assignment_issue(
        user=user,
        opinion=opinion,
        unit=unit,
        due_date=datetime.date(2026, 3, 10),
        contact_name="刘晓燕",
        contact_phone="023-66231234",
        issued_on=datetime.date(2026, 3, 4),
        now=at(datetime.date(2026, 3, 4)),
    )


def test_a_village_tasks_its_townships_station_and_the_districts_department(
    clerk_a, opinion_a, attached, tree
):
    choices = set(taskable_units(clerk_a))
    assert attached["department"] in choices and attached["station"] in choices
    assert attached["other_station"] not in choices  # another township's
    assert attached["company"] not in choices  # not a 站所 or department
    assert tree["village_b"] not in choices  # a sibling's subtree stays out
    made = issue(clerk_a, opinion_a, attached["department"])
    assert made.unit == attached["department"]
    # the department's people now see the opinion handed to them, through the one scoping rule
    clerk = UserFactory(username="jtj", role=Role.CLERK, organisation=attached["department"])
    assert visible_opinions(clerk).filter(pk=opinion_a.pk).exists()


@pytest.mark.parametrize("name", ["other_station", "company"])
def test_other_units_outside_the_subtree_are_refused(clerk_a, opinion_a, attached, name):
    with pytest.raises(ValidationError) as caught:
        issue(clerk_a, opinion_a, attached[name])
    assert caught.value.error_dict["unit"][0].messages == [UNIT_OUT_OF_SCOPE]


def test_the_form_offers_them(client_for, clerk_a, opinion_a, attached):
    html = client_for(clerk_a).get(reverse("opinion-assign", args=[opinion_a.pk])).content.decode()
    assert "区交通局党委" in html and "界石镇农业服务中心党支部" in html
    assert "南泉街道城管所党支部" not in html and "某公司党委" not in html
