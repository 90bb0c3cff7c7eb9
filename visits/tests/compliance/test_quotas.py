"""Personal quotas at their exact boundaries, read from the QuotaRule rows; scope and query count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.models import QuotaRule
from tests.factories import household_with_head
from visits.compliance import quotas
from visits.models import FieldResearch, ResearchReport, Talk
from visits.tests.compliance.conftest import visit

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Read when the test runs, not when the module is collected (a run may cross midnight)."""
    return timezone.localdate()


def last_year() -> int:
    return today().year - 1


def households(organisation, n):
    return [
        household_with_head(organisation=organisation, head_name=f"户{i}", address=f"二组{i}号")
        for i in range(n)
    ]


def visits_by(member, homes, times_each=1):
    for home in homes:
        for k in range(times_each):
            visit(home, member, datetime.date(last_year(), 3, 1 + k))


def talks_by(member, n):
    for k in range(n):
        Talk.objects.create(
            leader=member, talked_on=datetime.date(last_year(), 5, 1 + k), counterpart="党员", summary="谈心"
        )


def row_of(user, member, year=None):
    year = year or last_year()
    holders = quotas.post_holders(user=user, year=year)
    return next(
        r for r in quotas.person_years(holders, year=year, today=today()) if r.position.member == member
    )


def test_township_member_four_visits_is_met_and_three_is_not(
    tree, org_dept, township_leader, district_leader
):
    homes = households(tree["village_a"], 4)
    visits_by(township_leader, homes[:3])
    visits_by(district_leader, homes[:1])
    assert row_of(org_dept, township_leader).visits.state == "unmet"
    assert row_of(org_dept, district_leader).visits.state == "unmet"
    visits_by(township_leader, homes[3:])
    visits_by(district_leader, homes[1:2])
    assert (
        row_of(org_dept, township_leader).visits.achieved,
        row_of(org_dept, township_leader).visits.minimum,
    ) == (4, 4)
    assert row_of(org_dept, township_leader).visits.state == "met"
    assert row_of(org_dept, district_leader).visits.state == "met"  # 区级领导 ≥2


def test_delegate_counts_households_not_visits(tree, org_dept, delegate):
    homes = households(tree["village_b"], 10)
    visits_by(delegate, homes[:9], times_each=2)  # 18 visits to 9 households
    figure = row_of(org_dept, delegate).visits
    assert (figure.achieved, figure.minimum, figure.state) == (9, 10, "unmet")
    visits_by(delegate, homes[9:])
    assert row_of(org_dept, delegate).visits.state == "met"
    assert row_of(org_dept, delegate).days is None  # 驻村 is asked of township leadership only


def test_talks_and_reports_boundaries(tree, org_dept, township_leader, village_secretary):
    talks_by(township_leader, 1)
    talks_by(village_secretary, 1)
    row = row_of(org_dept, township_leader)
    assert (row.talks.achieved, row.talks.minimum, row.talks.state) == (1, 2, "unmet")
    assert (row.reports.achieved, row.reports.minimum, row.reports.state) == (0, 1, "unmet")
    secretary = row_of(org_dept, village_secretary)
    assert secretary.talks.rule.code == "talks-village-secretary" and secretary.talks.state == "unmet"
    assert secretary.visits is None  # held to the per-household term quota instead
    assert secretary.days is None
    talks_by(township_leader, 1)
    talks_by(village_secretary, 1)
    ResearchReport.objects.create(
        author=township_leader,
        year=last_year(),
        title="报告",
        submitted_on=datetime.date(last_year(), 12, 1),
        file="research-reports/x.pdf",
        file_kind="pdf",
        file_name="x.pdf",
        file_size=10,
    )
    row = row_of(org_dept, township_leader)
    assert (row.talks.state, row.reports.state) == ("met", "met")
    assert row_of(org_dept, village_secretary).talks.state == "met"


def test_exactly_120_days_is_met_and_119_is_not(tree, org_dept, township_leader):
    stay = FieldResearch.objects.create(
        leader=township_leader,
        village=tree["village_a"],
        started_on=datetime.date(last_year(), 2, 1),
        ended_on=datetime.date(last_year(), 2, 1) + datetime.timedelta(days=118),
        topic="驻村",
    )
    assert stay.days == 119
    assert row_of(org_dept, township_leader).days.state == "unmet"
    stay.ended_on += datetime.timedelta(days=1)
    stay.save()
    assert stay.days == 120
    assert row_of(org_dept, township_leader).days.state == "met"


def test_the_minimums_are_read_from_the_rules(tree, org_dept, township_leader):
    visits_by(township_leader, households(tree["village_a"], 4))
    assert row_of(org_dept, township_leader).visits.met
    QuotaRule.objects.filter(code="visits-township-member").update(minimum=5)
    assert not row_of(org_dept, township_leader).visits.met


def test_this_year_short_is_pending_not_failed(tree, org_dept, township_leader):
    row = row_of(org_dept, township_leader, year=today().year)
    assert row.visits.state == "pending"


def test_short_filter_in_sql_agrees_with_the_rows(tree, org_dept, township_leader, district_leader):
    visits_by(district_leader, households(tree["village_a"], 2))
    talks_by(district_leader, 2)
    short = quotas.post_holders(user=org_dept, year=last_year(), short=True)
    assert district_leader not in [p.member for p in short]
    assert township_leader in [p.member for p in short]


def test_quota_page_is_scoped_and_counted(
    client_for, township_secretary, other_secretary, township_leader, other_leader, django_assert_num_queries
):
    client = client_for(township_secretary)
    client.get(reverse("yearly-duties"))
    with django_assert_num_queries(6):
        page = client.get(reverse("yearly-duties") + f"?year={last_year()}").content.decode()
    assert "周德勇" in page and "谭明辉" not in page
    page = client_for(other_secretary).get(reverse("yearly-duties")).content.decode()
    assert "谭明辉" in page and "周德勇" not in page
    bad = client_for(other_secretary).get(
        reverse("yearly-duties") + f"?organisation={township_leader.organisation.parent_id}"
    )
    assert bad.status_code == 404
