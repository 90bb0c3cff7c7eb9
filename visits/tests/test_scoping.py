"""Every visits URL, from outside the record's subtree: 404 (or refused), never the record."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from visits.models import EventKind, MustVisitEvent


@pytest.fixture
def event_a(family):
    return MustVisitEvent.objects.create(
        organisation=family.organisation,
        household=family,
        kind=EventKind.ACCIDENT,
        occurred_on=datetime.date(2026, 2, 1),
    )


@pytest.mark.parametrize("name", ["visit-detail", "visit-update", "visit-pdf"])
def test_a_visit_of_another_village_is_not_found(client_for, clerk_b, outsider, visit_a, name):
    for user in (clerk_b, outsider):
        assert client_for(user).get(reverse(name, args=[visit_a.pk])).status_code == 404


def test_the_household_section_of_another_village_is_not_found(client_for, clerk_b, family):
    assert client_for(clerk_b).get(reverse("visit-household-section", args=[family.pk])).status_code == 404


def test_the_booklet_of_another_villages_visitor_is_not_found(client_for, clerk_b, visit_a):
    response = client_for(clerk_b).get(
        reverse("visit-booklet-pdf"), {"visitor": visit_a.visitor_id, "year": 2026}
    )
    assert response.status_code == 404


def test_lists_show_only_the_subtree(client_for, clerk_b, township_secretary, org_dept, visit_a, event_a):
    assert "王喆户" not in client_for(clerk_b).get(reverse("visit-list")).text
    assert "王喆户" not in client_for(clerk_b).get(reverse("event-list"), {"state": "all"}).text
    for user in (township_secretary, org_dept):
        assert "王喆户" in client_for(user).get(reverse("visit-list")).text
        assert "王喆户" in client_for(user).get(reverse("event-list"), {"state": "all"}).text


def test_a_visitors_own_organisation_sees_the_visit_but_may_not_edit_it(
    client_for, tree, clerk_a, family, visit_a
):
    """A township leader's visit to a village: the township sees it (it is above); a visitor from a
    sibling village, recorded by 村A, is seen from the visitor's village too, edited only by 村A."""
    from tests.factories import PartyMemberFactory, UserFactory
    from visits.tests.factories import visit

    neighbour = PartyMemberFactory(organisation=tree["village_b"], name="邻村书记")
    clerk_b = UserFactory(username="clerk_b2", role="clerk", organisation=tree["village_b"])
    from members.models import Position

    Position.objects.create(
        member=neighbour, organisation=tree["village_b"], role="secretary", start_date="2020-01-01"
    )
    # 村A's clerk may not pick a member of 村B as visitor: out of scope.
    with pytest.raises(Exception, match="不在您的管辖范围"):
        visit(clerk_a, family, neighbour, on=visit_a.visited_on)
    # The township's secretary (who sees both) records it.
    from tests.factories import UserFactory as U

    township = U(username="tw", role="secretary", organisation=tree["township"])
    made = visit(township, family, neighbour, on=visit_a.visited_on)
    client = client_for(clerk_b)
    assert client.get(reverse("visit-detail", args=[made.pk])).status_code == 200
    assert client.get(reverse("visit-update", args=[made.pk])).status_code == 404


def test_event_form_refuses_a_household_out_of_scope(client_for, clerk_b, family):
    from tests.forms_utils import form_fields

    client = client_for(clerk_b)
    data = form_fields(client.get(reverse("event-create")).text)
    data.update(household=str(family.pk), kind="accident", occurred_on="2026-02-01")
    response = client.post(reverse("event-create"), data)
    assert "所选户不在您的管辖范围内" in response.text
    assert not MustVisitEvent.objects.exists()


def test_anonymous_is_sent_to_login(client, visit_a):
    for url in (reverse("visit-list"), reverse("visit-create"), reverse("visit-detail", args=[visit_a.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
