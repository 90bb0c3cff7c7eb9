"""The dashboard (`/`) and the compliance drill-down: each role sees its own subtree, another subtree
is a 404, the page stays within its query budget (the heavier sections load after it, each by its own
URL), and the trends agree with the records."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from liaison.panels import dashboard_panels
from tests.factories import household_with_head
from tests.test_compliance import make_people
from visits.models import AnalysisMeeting
from visits.tests.compliance.conftest import visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _panels_after_the_page(settings):
    settings.LIAISON_DASHBOARD_PANELS_INLINE = False


@pytest.fixture
def people(tree):
    return make_people(tree)


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


@pytest.mark.parametrize("persona", ["clerk_a", "township_secretary", "township_admin", "org_dept"])
def test_each_roles_dashboard_within_ten_queries(request, client_for, persona, django_assert_max_num_queries):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    get(client, "/")  # warm: per-process caches
    with django_assert_max_num_queries(10):
        page = get(client, "/").content.decode()
    assert page.count('data-fragment="/dashboard/panels/') == len(dashboard_panels)
    assert 'data-fragment="/dashboard/compliance/"' in page
    assert "其中党员" in page  # the resident party members, labelled apart from the member roll


def test_sections_and_panels_answer_and_unknown_ones_are_404(client_for, org_dept):
    client = client_for(org_dept)
    for name in ("compliance", "trends", "receptions"):
        get(client, f"/dashboard/{name}/")
    for index in range(len(dashboard_panels)):
        assert client.get(f"/dashboard/panels/{index}/").status_code in (200, 204)
    get(client, f"/dashboard/panels/{len(dashboard_panels)}/", 404)
    get(client, "/dashboard/nothing/", 404)
    full = get(client, "/?full=1").content.decode()
    assert "制度落实情况" in full and "逐月趋势" in full and "data-fragment" not in full
    assert "群众意见办理提醒" in full  # the panels, in the page


def test_compliance_section_is_the_users_own_subtree(client_for, clerk_a, township_secretary, tree, people):
    AnalysisMeeting.objects.create(
        organisation=tree["village_b"],
        held_on=timezone.localdate().replace(day=1),
        analysis="分析",
        decisions="安排",
    )
    village = get(client_for(clerk_a), "/dashboard/compliance/").content.decode()
    assert "桂花村" in village and "石岗村" not in village and "界石镇 " not in village
    township = get(client_for(township_secretary), "/dashboard/compliance/").content.decode()
    assert "桂花村" in township and "石岗村" in township and "南泉" not in township


def test_drill_down_district_township_village_person(client_for, org_dept, tree, people):
    client = client_for(org_dept)
    year = timezone.localdate().year
    district = get(client, "/compliance/").content.decode()
    assert f"/compliance/?organisation={tree['township'].pk}&amp;year={year}" in district
    township = get(client, f"/compliance/?organisation={tree['township'].pk}&year={year}").content.decode()
    assert f"/compliance/?organisation={tree['village_a'].pk}&amp;year={year}" in township
    village = get(client, f"/compliance/?organisation={tree['village_a'].pk}&year={year}").content.decode()
    # 王支书 has no talks this year: the rule links to who falls short, and from there to the records
    link = f"/compliance/talks-village-secretary/?organisation={tree['village_a'].pk}&amp;year={year}"
    assert link in village
    person = get(client, link.replace("&amp;", "&")).content.decode()
    assert "王支书（书记）" in person and "/visits/talks/?year=" in person


def test_another_subtree_is_404(client_for, clerk_a, township_secretary, tree, people):
    get(client_for(township_secretary), f"/compliance/?organisation={tree['other_township'].pk}", 404)
    get(client_for(township_secretary), f"/compliance/?organisation={tree['district'].pk}", 404)
    clerk = client_for(clerk_a)
    get(clerk, f"/compliance/?organisation={tree['village_b'].pk}", 404)
    get(clerk, f"/compliance/talks-village-secretary/?organisation={tree['village_b'].pk}", 404)
    get(clerk, f"/compliance/no-such-rule/?organisation={tree['village_a'].pk}", 404)
    get(clerk, "/compliance/?organisation=abc", 404)
    assert get(clerk, "/compliance/").context["organisation"] == tree["village_a"]


def test_trends_agree_with_the_records_and_draw_without_script(client_for, township_secretary, tree, people):
    today = timezone.localdate()
    month_start = today.replace(day=1)
    homes = [
        household_with_head(organisation=tree["village_a"], head_name=f"户{n}", address=f"桂花村{n}号")
        for n in range(3)
    ]
    for home in homes:
        visit(home, people["secretary"], month_start + datetime.timedelta(days=0))
    outside = household_with_head(organisation=tree["community"], head_name="外户", address="南泉社区1号")
    visit(outside, people["other_leader"], month_start)
    response = get(client_for(township_secretary), "/dashboard/trends/")
    visits = next(s for s, _ in response.context["series"] if s.key == "visits")
    assert visits.values[today.month - 1] == 3 and visits.total == 3  # 南泉社区's visit is not in 界石镇
    assert all(v is None for v in visits.values[today.month :])  # months to come are blank, not 0
    html = response.content.decode()
    assert "<svg" in html and "<script" not in html and "style=" not in html
    assert "全年累计 3 次" in html


def test_trends_add_up_each_month_from_its_days(township_secretary, tree, people):
    """The months are added up from counts per day (liaison.dashboard.trends): visits on the last day
    of a month and the first of the next, two on one day, and one on New Year's Eve each land in their
    own month; another township's visit in none."""
    from liaison.dashboard.trends import monthly

    year = timezone.localdate().year - 1
    homes = [
        household_with_head(organisation=tree["village_a"], head_name=f"户{n}", address=f"桂花村{n}号")
        for n in range(3)
    ]
    for home, day in [
        (homes[0], datetime.date(year, 1, 31)),
        (homes[0], datetime.date(year, 2, 1)),
        (homes[1], datetime.date(year, 2, 1)),
        (homes[2], datetime.date(year, 3, 15)),
        (homes[2], datetime.date(year, 12, 31)),
        (homes[1], datetime.date(year + 1, 1, 1)),  # the next year
    ]:
        visit(home, people["secretary"], day)
    outside = household_with_head(organisation=tree["community"], head_name="外户", address="南泉社区1号")
    visit(outside, people["other_leader"], datetime.date(year, 2, 1))
    series = {s.key: s for s in monthly(township_secretary, year, timezone.localdate())}
    assert series["visits"].values == [1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert series["visits"].total == 5


def test_compliance_section_query_count_does_not_grow(
    client_for, org_dept, tree, people, django_assert_max_num_queries
):
    client = client_for(org_dept)
    get(client, "/dashboard/compliance/")
    with django_assert_max_num_queries(20):
        get(client, "/dashboard/compliance/")
    homes = [
        household_with_head(organisation=tree["village_b"], head_name=f"多{n}", address=f"石岗村{n}号")
        for n in range(5)
    ]
    for home in homes:
        visit(home, people["secretary"], timezone.localdate().replace(day=1))
    with django_assert_max_num_queries(20):
        get(client, "/dashboard/compliance/")


def test_chart_axis_labels_fit_a_districts_counts():
    """The axis shows 0, half and the top: a district's 92,000 visits in a month top out at 10万."""
    from liaison.dashboard.charts import axis_label, chart

    assert [axis_label(v) for v in (0, 2500, 5000, 10000, 50000, 100000, 2000000)] == [
        "0",
        "2500",
        "5000",
        "1万",
        "5万",
        "10万",
        "200万",
    ]
    svg = chart([92000, 88000, *([None] * 10)], title="入户走访")
    assert ">10万</text>" in svg and ">5万</text>" in svg and ">0</text>" in svg
    assert ">100%</text>" in chart([95.0, *([None] * 11)], share=True, title="按时反馈率")
