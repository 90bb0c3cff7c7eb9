"""民情分析会: months held and missed, picking that month's opinions and visits only, scope."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from feedback.tests.factories import register
from liaison.models import Organisation
from members.tests.factories import MemberFactory
from tests.factories import OrganisationFactory, household_with_head
from tests.forms_utils import form_fields
from visits import coverage_rules as rules
from visits.compliance import meetings
from visits.models import AnalysisMeeting
from visits.tests.compliance.conftest import visit

pytestmark = pytest.mark.django_db
D = datetime.date
S = rules.MonthState
L = Organisation.Level


def test_month_states_held_missed_pending_future():
    today = D(2026, 5, 20)
    states = rules.month_states(2026, {1: 1, 3: 2}, today)
    assert [s for _, _, s in states][:6] == [S.HELD, S.MISSED, S.HELD, S.MISSED, S.PENDING, S.FUTURE]
    assert rules.missed_months(states) == 2
    # The last day of a month is still that month: pending, not missed.
    assert rules.month_states(2026, {}, D(2026, 1, 31))[0][2] is S.PENDING
    assert rules.month_states(2026, {}, D(2026, 2, 1))[0][2] is S.MISSED
    # A past year: every month without a meeting is missed.
    assert rules.missed_months(rules.month_states(2025, {6: 1}, today)) == 11


def make_meeting(village, day, **fields):
    return AnalysisMeeting.objects.create(
        organisation=village, held_on=day, analysis="分析", decisions="安排", **fields
    )


def test_village_year_and_grid(client_for, township_secretary, tree):
    year = datetime.date.today().year - 1
    for month in (1, 2, 2, 4):
        make_meeting(tree["village_a"], D(year, month, 15))
    rows = {
        r.village.code: r
        for r in meetings.village_years([tree["village_a"], tree["village_b"]], year, datetime.date.today())
    }
    assert (rows["js-gh"].held, rows["js-gh"].missed) == (3, 9)
    assert (rows["js-sg"].held, rows["js-sg"].missed) == (0, 12)
    client = client_for(township_secretary)
    grid = client.get(reverse("meeting-list") + f"?year={year}").content.decode()
    assert "桂花村" in grid and "石岗村" in grid and grid.count("未开") >= 21
    page = client.get(reverse("meeting-year", args=[tree["village_a"].pk]) + f"?year={year}").content.decode()
    assert "已开 2 次" in page  # February
    assert "未开 <span" in page or "未开" in page


def test_meeting_grid_queries_do_not_grow_with_villages(
    client_for, org_dept, tree, django_assert_num_queries
):
    client = client_for(org_dept)
    client.get(reverse("meeting-list"))
    # session, user with its organisation, count, page of villages, the meetings grouped, the rule, and the
    # permission lookup of a read-only role (the add button: user and group grants in one); none per village.
    with django_assert_num_queries(7):
        client.get(reverse("meeting-list"))
    for n in range(5):
        OrganisationFactory(name=f"新村{n}", code=f"js-new-{n}", level=L.VILLAGE, parent=tree["township"])
    with django_assert_num_queries(7):
        client.get(reverse("meeting-list"))


def test_a_meeting_picks_that_months_opinions_and_visits(client_for, clerk_a, tree, branches):
    today = datetime.date.today()
    month = today.replace(day=1)
    before = month - datetime.timedelta(days=1)
    member = MemberFactory(organisation=branches["a"], name="王支书")
    household = household_with_head(organisation=tree["village_a"], head_name="王喆", address="三组12号")
    this_month = register(clerk_a, received_on=month, subject="机耕道垮塌")
    last_month = register(clerk_a, received_on=before, subject="路灯不亮")
    asked = visit(household, member, month)
    asked.problem = "饮水管破裂"
    asked.save()
    client = client_for(clerk_a)
    url = reverse("meeting-create") + f"?organisation={tree['village_a'].pk}&month={month:%Y-%m}"
    html = client.get(url).content.decode()
    assert "机耕道垮塌" in html and "饮水管破裂" in html and "路灯不亮" not in html
    data = form_fields(html)
    data.update(
        held_on=month.isoformat(),
        attendees=[member.pk],
        host=member.pk,
        analysis="道路和饮水问题集中",
        decisions="村委会牵头修复",
        opinions=[this_month.pk],
        visits=[asked.pk],
    )
    response = client.post(reverse("meeting-create"), data)
    assert response.status_code == 302
    meeting = AnalysisMeeting.objects.get()
    assert list(meeting.opinions.all()) == [this_month] and list(meeting.visits.all()) == [asked]
    assert meeting.month == month
    # A tampered post naming last month's opinion is refused next to the field, nothing saved.
    data.update(submission="", opinions=[last_month.pk], held_on=month.isoformat())
    response = client.post(
        reverse("meeting-create"),
        {
            **form_fields(client.get(url).content.decode()),
            **{k: v for k, v in data.items() if k != "submission"},
        },
    )
    assert response.status_code == 200
    assert AnalysisMeeting.objects.count() == 1


def test_a_meeting_dated_outside_its_month_is_refused(clerk_a, tree):
    month = datetime.date.today().replace(day=1)
    with pytest.raises(Exception) as refused:
        meetings.meeting_save(
            user=clerk_a,
            meeting=None,
            organisation=tree["village_a"],
            month=month,
            held_on=month - datetime.timedelta(days=1),
            analysis="分析",
            decisions="安排",
        )
    assert "应在所选月份" in str(refused.value)
    assert not AnalysisMeeting.objects.exists()


def test_meetings_are_scoped(client_for, clerk_b, outsider, tree):
    meeting = make_meeting(tree["village_a"], datetime.date.today().replace(day=1))
    for user in (clerk_b, outsider):
        client = client_for(user)
        assert client.get(reverse("meeting-detail", args=[meeting.pk])).status_code == 404
        assert client.get(reverse("meeting-update", args=[meeting.pk])).status_code == 404
        assert client.get(reverse("meeting-year", args=[tree["village_a"].pk])).status_code == 404
        new = reverse("meeting-create") + f"?organisation={tree['village_a'].pk}&month={meeting.month:%Y-%m}"
        assert client.get(new).status_code == 404
    assert (
        client_for(outsider).get(reverse("meeting-list") + f"?township={tree['township'].pk}").status_code
        == 404
    )
    assert "桂花村" not in client_for(outsider).get(reverse("meeting-list")).content.decode()


def test_dashboard_names_the_villages_without_last_months_meeting(
    client_for, township_secretary, outsider, tree
):
    last_month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    make_meeting(tree["village_a"], last_month + datetime.timedelta(days=20))
    page = client_for(township_secretary).get(reverse("dashboard")).content.decode()
    panel = page[page.index("民情分析会 ·") : page.index("全年召开情况")]
    assert "1 / 2 个村（社区）未召开" in panel and "石岗村" in panel and "桂花村" not in panel
    assert "未录入本届或已届满" in page  # neither village has a term yet
    other = client_for(outsider).get(reverse("dashboard")).content.decode()
    assert "石岗村" not in other and "1 / 1 个村（社区）未召开" in other
