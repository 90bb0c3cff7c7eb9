"""Personal quotas at their exact boundaries, read from the QuotaRule rows; scope and query count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.models import QuotaRule
from members.models import Position
from members.tests.factories import MemberFactory
from tests.factories import household_with_head
from visits.compliance import quotas
from visits.models import FieldResearch, ResearchReport, Talk
from visits.tests.compliance.conftest import holding, visit

pytestmark = pytest.mark.django_db
R = Position.Role


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


def report_by(member):
    ResearchReport.objects.create(
        author=member,
        year=last_year(),
        title="报告",
        submitted_on=datetime.date(last_year(), 12, 1),
        file="research-reports/x.pdf",
        file_kind="pdf",
        file_name="x.pdf",
        file_size=10,
    )


def stay_by(member, village, days):
    FieldResearch.objects.create(
        leader=member,
        village=village,
        started_on=datetime.date(last_year(), 2, 1),
        ended_on=datetime.date(last_year(), 2, 1) + datetime.timedelta(days=days - 1),
        topic="驻村",
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
    report_by(township_leader)
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


# Each post's quotas (QuotaRule defaults): one figure at a time is left one short of its minimum.
SHORT_OF = {
    "区级领导 走访 1/2": ("district", "visits"),
    "区级领导 谈心 1/2": ("district", "talks"),
    "班子成员 走访 3/4": ("township", "visits"),
    "班子成员 谈心 1/2": ("township", "talks"),
    "班子成员 驻村 119/120": ("township", "days"),
    "班子成员 报告 0/1": ("township", "reports"),
    "村书记 谈心 1/2": ("secretary", "talks"),
    "代表 走访 9/10 户": ("delegate", "visits"),
}


@pytest.mark.parametrize("short_of", [None, *SHORT_OF], ids=["无", *SHORT_OF])
def test_short_filter_in_sql_agrees_with_the_rows_at_every_boundary(
    tree, org_dept, township_leader, district_leader, village_secretary, delegate, short_of
):
    """“未达标” is chosen in SQL (a CASE picks each post's minimum); the rows are measured in Python.
    Every post meets every quota exactly, except the one figure left one short: only its post is listed,
    and the SQL agrees with the rows."""
    posts = {
        "district": district_leader,
        "township": township_leader,
        "secretary": village_secretary,
        "delegate": delegate,
    }
    post, figure = SHORT_OF.get(short_of, (None, None))

    def minus(who, what, n):
        return n - 1 if (who, what) == (post, figure) else n

    homes = households(tree["village_a"], 10)
    visits_by(district_leader, homes[: minus("district", "visits", 2)])
    visits_by(township_leader, homes[: minus("township", "visits", 4)])
    visits_by(delegate, homes[: minus("delegate", "visits", 10)], times_each=2)
    talks_by(district_leader, minus("district", "talks", 2))
    talks_by(township_leader, minus("township", "talks", 2))
    talks_by(village_secretary, minus("secretary", "talks", 2))
    stay_by(township_leader, tree["village_a"], minus("township", "days", 120))
    if minus("township", "reports", 1):
        report_by(township_leader)

    holders = quotas.post_holders(user=org_dept, year=last_year())
    in_sql = {p.member for p in quotas.short_only(holders)}
    in_rows = {
        r.position.member for r in quotas.person_years(holders, year=last_year(), today=today()) if r.short
    }
    listed = set(posts.values())
    assert in_sql & listed == in_rows & listed == ({posts[post]} if post else set())
    assert in_sql == in_rows


def test_short_page_lists_only_the_short_in_order_across_pages(
    client_for, org_dept, tree, branches, django_assert_num_queries, settings
):
    """?short=1 reads the figures once: the count is the short posts', pages keep the list's order."""
    settings.LIAISON_PAGE_SIZE = 2
    met = holding(
        MemberFactory(organisation=branches["district"], name="达标区领导"), tree["district"], R.LEADERSHIP
    )
    visits_by(met, households(tree["village_a"], 2))
    talks_by(met, 2)
    short = [
        holding(
            MemberFactory(organisation=branches["district"], name=f"区领导{i}"),
            tree["district"],
            R.LEADERSHIP,
        )
        for i in range(5)
    ]
    client = client_for(org_dept)
    url = reverse("yearly-duties") + f"?year={last_year()}&short=1"
    client.get(url)
    names = []
    for number in (1, 2, 3):
        with django_assert_num_queries(7):
            page = client.get(url + f"&page={number}")
        assert page.context["page"].paginator.count == 5
        names += [row.position.member.name for row in page.context["rows"]]
    assert names == [m.name for m in short]
    assert "达标区领导" not in names


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
