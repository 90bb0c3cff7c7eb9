"""Pairing visits counted on the pairing pages, the household page's panel, the 五必访 dashboard panel,
and the query counts of the pages that list visits."""

from __future__ import annotations

import datetime

from django.db import connection
from django.urls import reverse

from members.models import Pairing, PairingMember
from members.visit_counts import NOT_AVAILABLE
from visits.models import EventKind, MustVisitEvent
from visits.services import event_record
from visits.tests.conftest import MARCH_3
from visits.tests.factories import visit


def test_a_pairing_visit_counts_on_the_pairing_page(client_for, clerk_a, family, secretary_member):
    paired = Pairing.objects.create(
        household=family, start_date=datetime.date(2025, 1, 1), help_content="技术"
    )
    PairingMember.objects.create(pairing=paired, member=secretary_member)
    visit(clerk_a, family, secretary_member, on=MARCH_3)
    visit(clerk_a, family, secretary_member, on=datetime.date(2026, 5, 6))
    visit(clerk_a, family, secretary_member, on=datetime.date(2025, 6, 1))
    assert paired.visits.count() == 3
    text = client_for(clerk_a).get(reverse("pairing-detail", args=[paired.pk])).text
    assert NOT_AVAILABLE not in text and "尚未上线" not in text
    assert "<tr><td>2026</td><td>2</td>" in text and "<tr><td>2025</td><td>1</td>" in text
    member_page = client_for(clerk_a).get(reverse("member-detail", args=[secretary_member.pk])).text
    assert "尚未上线" not in member_page


def test_a_visit_by_someone_not_paired_does_not_count(client_for, clerk_a, family, secretary_member, tree):
    from tests.factories import PartyMemberFactory

    paired = Pairing.objects.create(
        household=family, start_date=datetime.date(2025, 1, 1), help_content="技术"
    )
    PairingMember.objects.create(pairing=paired, member=PartyMemberFactory(organisation=tree["village_a"]))
    made = visit(clerk_a, family, secretary_member, on=MARCH_3)
    assert made.pairing is None


def test_household_page_lists_its_visits_newest_first_with_their_opinions(
    client_for, clerk_a, family, secretary_member, django_assert_max_num_queries
):
    visit(clerk_a, family, secretary_member, on=datetime.date(2026, 1, 10), situation="一月的走访")
    visit(
        clerk_a,
        family,
        secretary_member,
        on=MARCH_3,
        situation="三月的走访",
        problem="路灯不亮",
        handling="deadline",
        handling_text="报村委会",
        opinion_category=1,
        opinion_responsible=clerk_a,
    )
    client = client_for(clerk_a)
    url = reverse("household-detail", args=[family.pk])
    client.get(url)
    text = client.get(url).text
    assert text.index("三月的走访") < text.index("一月的走访")
    assert "群众意见：" in text and "2026年第1号" in text


def test_household_page_query_count_does_not_grow_with_visits(
    client_for, clerk_a, family, secretary_member, django_assert_num_queries
):
    client = client_for(clerk_a)
    url = reverse("household-detail", args=[family.pk])
    visit(clerk_a, family, secretary_member, on=datetime.date(2026, 1, 10))
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        visit(clerk_a, family, secretary_member, on=datetime.date(2026, 2, 1 + n))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_visit_list_query_count_is_pinned(
    client_for, clerk_a, family, secretary_member, django_assert_num_queries
):
    for n in range(12):
        visit(clerk_a, family, secretary_member, on=datetime.date(2026, 1, 1 + n))
    client = client_for(clerk_a)
    client.get(reverse("visit-list"))
    # session, user with its organisation (the scope's root), count, the page's rows with their related
    # records, the organisation filter's choices: none per row (12 rows here). A name search asks first
    # whether the name is common: one more (liaison.filters.common_on_sqlite counts on SQLite,
    # common_on_postgresql reads PostgreSQL's estimate). On PostgreSQL a rare name's search then reads the
    # matching households' and visitors' ids, and chooses the page's ids from their visits before reading
    # its rows (visits.filters.VisitFilter.search): three more.
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 6):
        assert client.get(reverse("visit-list"), {"q": "王"}).status_code == 200


def test_must_visit_open_on_the_dashboard_until_a_tagged_visit(client_for, clerk_a, family, secretary_member):
    today = datetime.date.today()
    event = event_record(
        user=clerk_a,
        household=family,
        kind=EventKind.HOSPITALISED,
        occurred_on=today - datetime.timedelta(days=4),
    )
    client = client_for(clerk_a)
    text = client.get(reverse("dashboard")).text
    assert "五必访：尚未走访的事项" in text and "已过 4 天" in text and "住院治疗" in text
    visit(clerk_a, family, secretary_member, on=today, event=event)
    text = client.get(reverse("dashboard")).text
    assert "已过 4 天" not in text and "没有未访的五必访事项" in text
    assert list(MustVisitEvent.objects.closed()) == [event]


def test_a_visit_before_its_event_is_refused(client_for, clerk_a, family, secretary_member):
    import pytest
    from django.core.exceptions import ValidationError

    event = event_record(user=clerk_a, household=family, kind=EventKind.DISASTER, occurred_on=MARCH_3)
    with pytest.raises(ValidationError, match="走访时间不能早于它"):
        visit(clerk_a, family, secretary_member, on=MARCH_3 - datetime.timedelta(days=1), event=event)
