"""The opinion page links back to the record it was opened from: the reception (feedback/) or the visit
(visits/), found through the model graph so that feedback imports neither."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from feedback.models import Handling
from feedback.tests.reception_factories import committee, reception
from members.models import Position
from tests.factories import PartyMemberFactory
from visits.tests.factories import visit

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 3)


def test_opinion_links_to_its_reception(client_for, clerk_a, tree, django_assert_max_num_queries):
    receiver = committee(tree["village_a"], ["李书记", "王副书记"])[0]
    made = reception(clerk_a, receiver, day=DAY, handling=Handling.DEADLINE, category=1, responsible=clerk_a)
    client = client_for(clerk_a)
    url = reverse("opinion-detail", args=[made.opinion_id])
    client.get(url)
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert f'href="{reverse("reception-detail", args=[made.pk])}"' in html
    assert "来自接待群众登记" in html


def test_opinion_links_to_its_visit(client_for, clerk_a, tree, household_a):
    member = PartyMemberFactory(organisation=tree["village_a"], name="陈国华")
    Position.objects.create(
        member=member,
        organisation=tree["village_a"],
        role=Position.Role.SECRETARY,
        start_date=datetime.date(2021, 1, 1),
    )
    made = visit(
        clerk_a,
        household_a,
        member,
        on=DAY,
        problem="路灯不亮",
        handling="deadline",
        handling_text="报村委会",
        opinion_category=1,
        opinion_responsible=clerk_a,
    )
    html = client_for(clerk_a).get(reverse("opinion-detail", args=[made.opinion_id])).content.decode()
    assert f'href="{reverse("visit-detail", args=[made.pk])}"' in html
    assert "来自入户走访" in html


def test_an_opinion_registered_directly_has_no_source(client_for, clerk_a):
    from feedback.tests.factories import register

    opinion = register(clerk_a, received_on=DAY)
    assert (
        "来自" not in client_for(clerk_a).get(reverse("opinion-detail", args=[opinion.pk])).content.decode()
    )
