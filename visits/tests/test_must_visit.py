"""五必访 (004 《班子成员入户走访群众工作制度》 三): “村（社区）党组织书记对……群众须做到‘五必访’”. The event is
answered only by the visit of the member who is the 书记 of the household's village on the day of the
visit; anyone else's tagged visit is kept and the event stays open, and the pages say who must still go."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from members.models import Position
from tests.factories import PartyMemberFactory
from visits import rules
from visits.models import EventKind, MustVisitEvent, Visit
from visits.services.snapshot import save_members, take_snapshot
from visits.tests.conftest import MARCH_3

EVENT_DAY = datetime.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("visited_on", "by_secretary", "closes"),
    [
        (EVENT_DAY, True, True),  # the day itself
        (EVENT_DAY + datetime.timedelta(days=1), True, True),
        (EVENT_DAY - datetime.timedelta(days=1), True, False),  # before the event
        (EVENT_DAY, False, False),  # not the secretary
    ],
)
def test_the_rule_on_its_boundaries(visited_on, by_secretary, closes):
    assert (
        rules.closes_must_visit(occurred_on=EVENT_DAY, visited_on=visited_on, by_secretary=by_secretary)
        is closes
    )


def test_the_rule_names_the_members_secretary_post():
    assert rules.MUST_VISIT_ROLE == Position.Role.SECRETARY


@pytest.fixture
def event(family):
    return MustVisitEvent.objects.create(
        organisation=family.organisation, household=family, kind=EventKind.HOSPITALISED, occurred_on=EVENT_DAY
    )


def member_with(tree, name: str, role: str | None, *, organisation=None, start=None, end=None):
    member = PartyMemberFactory(organisation=tree["village_a"], name=name)
    if role:
        Position.objects.create(
            member=member,
            organisation=organisation or tree["village_a"],
            role=role,
            start_date=start or datetime.date(2021, 1, 1),
            end_date=end,
        )
    return member


def tagged_visit(household, visitor, event, on) -> Visit:
    """Written straight to the table (the entry service refuses a tag before the event's day)."""
    visit = Visit(visitor=visitor, visited_on=on, situation="探望。", event=event)
    rows = take_snapshot(visit, household)
    visit.save()
    save_members(visit, rows)
    return visit


def is_open(event) -> bool:
    return MustVisitEvent.objects.open().filter(pk=event.pk).exists()


def test_the_secretarys_visit_closes_it(family, event, secretary_member):
    tagged_visit(family, secretary_member, event, EVENT_DAY)
    assert not is_open(event)
    assert list(MustVisitEvent.objects.closed()) == [event]


@pytest.mark.parametrize(
    ("role", "where", "end"),
    [
        (Position.Role.COMMITTEE, "village_a", None),  # a 委员 of the same village
        (Position.Role.DEPUTY_SECRETARY, "village_a", None),  # 副书记 is not 书记
        (Position.Role.SECRETARY, "village_b", None),  # another village's 书记
        (Position.Role.SECRETARY, "village_a", datetime.date(2026, 2, 28)),  # left office before the visit
        (None, "village_a", None),  # a party member with no post
    ],
)
def test_someone_elses_visit_is_kept_and_the_event_stays_open(tree, family, event, role, where, end):
    other = member_with(tree, "张委员", role, organisation=tree[where], end=end)
    visit = tagged_visit(family, other, event, MARCH_3)
    assert Visit.objects.filter(pk=visit.pk, event=event).exists()
    assert is_open(event)


def test_a_secretary_who_took_office_on_the_visit_day_closes_it(tree, family, event):
    new = member_with(tree, "新书记", Position.Role.SECRETARY, start=MARCH_3)
    tagged_visit(family, new, event, MARCH_3 - datetime.timedelta(days=1))
    assert is_open(event)  # the day before taking office: not yet the secretary
    tagged_visit(family, new, event, MARCH_3)
    assert not is_open(event)


def test_a_secretarys_visit_before_the_event_does_not_close_it(family, event, secretary_member):
    tagged_visit(family, secretary_member, event, EVENT_DAY - datetime.timedelta(days=1))
    assert is_open(event)


def test_the_pages_say_who_must_still_visit(client_for, clerk_a, tree, family, event, secretary_member):
    committee = member_with(tree, "张委员", Position.Role.COMMITTEE)
    client = client_for(clerk_a)
    data_url = reverse("visit-create")
    from tests.forms_utils import form_fields

    data = form_fields(client.get(data_url, {"household": family.pk}).content.decode())
    data.update(
        household=str(family.pk),
        visitor=str(committee.pk),
        visited_on=f"{MARCH_3:%Y-%m-%d}",
        event=str(event.pk),
        situation="代书记探望住院的户主。",
    )
    response = client.post(data_url, data, follow=True)
    page = response.content.decode()
    assert "该五必访事项仍待书记本人走访" in page  # the success message and the detail page
    assert is_open(event)

    listing = client.get(reverse("event-list")).content.decode()
    assert "待书记陈国华走访" in listing
    assert "已有走访记录，但不是书记本人走访" in listing
    household_page = client.get(reverse("household-detail", args=[family.pk])).content.decode()
    assert "待书记陈国华走访" in household_page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "待书记陈国华走访" in dashboard

    tagged_visit(family, secretary_member, event, MARCH_3)
    listing = client.get(reverse("event-list"), {"state": "closed"}).content.decode()
    assert "已访" in listing and "待书记" not in listing


def test_a_village_without_a_secretary_on_record_says_so(client_for, clerk_a, family, event):
    listing = client_for(clerk_a).get(reverse("event-list")).content.decode()
    assert "未登记在任书记" in listing


def test_the_event_list_query_count(
    client_for, clerk_a, tree, family, event, secretary_member, django_assert_num_queries
):
    client = client_for(clerk_a)
    url = reverse("event-list")
    client.get(url)
    with django_assert_num_queries(5) as first:
        client.get(url)
    for n in range(5):
        MustVisitEvent.objects.create(
            organisation=family.organisation,
            household=family,
            kind=EventKind.ACCIDENT,
            occurred_on=EVENT_DAY - datetime.timedelta(days=n + 1),
        )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)
