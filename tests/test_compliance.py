"""The compliance engine (liaison/compliance) on a hand-made district, each answer worked out by hand.

The tree (root conftest.py): 巴南区 → 界石镇 (桂花村 = village_a, 石岗村 = village_b) and 南泉街道 (南泉社区).
"Today" is pinned: 1 July 2026, so 2025 is over and 182 of 2026's 365 days have run (elapsed 182/365).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import DateField, Value
from django.test.utils import CaptureQueriesContext

from commitments.models import Assessment, Commitment
from commitments.rules import Grade
from feedback.models import ReceptionSession, SessionKind, SessionStatus
from feedback.tests.factories import answer, feed_back, make_due, register
from liaison.compliance import AT_RISK, MET, MISSED, RULES, evaluate, summary_by_organisation
from liaison.compliance.core import Counts, status
from liaison.compliance.measures import MONTH, WEEK, bucket, bucket_of, periods
from liaison.models import Organisation, QuotaRule
from liaison.services import quota_rule_change
from liaison.text.numbers import percent, rate
from members.models import LiaisonContact, LiaisonPoint, Position, UnitPairing
from members.tests.factories import MemberFactory, branch, pairing, record, unit_pairing
from tests.factories import household_with_head
from visits.models import (
    AnalysisMeeting,
    EventKind,
    FieldResearch,
    MustVisitEvent,
    ResearchReport,
    Talk,
    Term,
)
from visits.tests.compliance.conftest import holding, visit

pytestmark = pytest.mark.django_db
R = Position.Role
D = datetime.date
TODAY = D(2026, 7, 1)


def result(evaluation, key):
    found = [r for r in evaluation.results if r.key == key]
    return found[0] if found else None


@pytest.fixture
def people(tree):
    return make_people(tree)


def make_people(tree) -> dict:
    """周德勇 (界石镇 班子成员), 谭明辉 (南泉街道 副书记), 赵代表 (党代会代表), 王支书 (桂花村党支部书记)."""
    branches = {
        "a": branch(tree["village_a"], "桂花村党支部", "js-gh-1"),
        "township": branch(tree["township"], "界石镇机关党支部", "js-jg"),
        "other": branch(tree["other_township"], "南泉街道机关党支部", "nq-jg"),
    }
    return {
        "leader": holding(
            MemberFactory(organisation=branches["township"], name="周德勇"), tree["township"], R.LEADERSHIP
        ),
        "other_leader": holding(
            MemberFactory(organisation=branches["other"], name="谭明辉"),
            tree["other_township"],
            R.DEPUTY_SECRETARY,
        ),
        "delegate": holding(
            MemberFactory(organisation=branches["a"], name="赵代表"), tree["township"], R.DELEGATE
        ),
        "secretary": holding(
            MemberFactory(organisation=branches["a"], name="王支书"), branches["a"], R.SECRETARY
        ),
        "branches": branches,
    }


@pytest.fixture
def homes(tree):
    a = [
        household_with_head(organisation=tree["village_a"], head_name=f"桂{n}", address=f"桂花村{n}号")
        for n in range(3)
    ]
    b = [
        household_with_head(organisation=tree["village_b"], head_name=f"石{n}", address=f"石岗村{n}号")
        for n in range(2)
    ]
    return {"a": a, "b": b}


# -- the status rule ---------------------------------------------------------------------------------------


def test_status_met_at_risk_missed():
    # all done: met, whether the period is over or not
    assert status(Counts(4, 4, 4, 0), over=True) == MET
    # period over, one short: missed
    assert status(Counts(4, 3, 3, 1), over=True) == MISSED
    # period running, everyone at the pace due so far although nobody is done: met (on track)
    assert status(Counts(4, 0, 4, 0), over=False) == MET
    # period running, one below the pace: at risk
    assert status(Counts(4, 0, 3, 0), over=False) == AT_RISK
    # period running but a missed subject makes 100% unreachable: missed already
    assert status(Counts(4, 2, 3, 1), over=False) == MISSED
    # a share target (95%): 19 of 20 on time is met; 18 of 20 with the year running is at risk
    from fractions import Fraction

    assert status(Counts(20, 19, 19, 1), over=True, target=Fraction(95, 100)) == MET
    assert status(Counts(40, 37, 37, 1), over=False, target=Fraction(95, 100)) == AT_RISK
    assert status(Counts(20, 17, 17, 3), over=False, target=Fraction(95, 100)) == MISSED
    # nothing required: met
    assert status(Counts(), over=True) == MET


def test_rates_round_half_up_and_never_claim_the_ends():
    assert rate(2, 3) == Decimal("66.7")
    assert rate(1, 8) == Decimal("12.5")
    assert rate(1, 16) == Decimal("6.3")  # 6.25 → 6.3 (half up), not 6.2
    assert rate(9999, 10000) == Decimal("99.9")
    assert rate(1, 10000) == Decimal("0.1")
    assert rate(0, 0) is None
    assert percent(1, 16) == "6.3%"


def test_weeks_are_numbered_in_order_across_the_year_ends():
    for year in (2025, 2026, 2027):
        spans = periods(year, WEEK)
        numbers = [bucket_of(start, WEEK) for start, _ in spans]
        assert numbers == sorted(set(numbers)), year
        for start, end in spans:  # every day of a cut week has its week's number
            day = start
            while day <= end:
                assert bucket_of(day, WEEK) == bucket_of(start, WEEK)
                day += datetime.timedelta(days=1)
    assert bucket_of(D(2027, 1, 1), WEEK) == 0  # a Friday in ISO week 53 of 2026
    assert bucket_of(D(2025, 12, 29), WEEK) == 54  # a Monday in ISO week 1 of 2026


@pytest.mark.parametrize("period", [MONTH, WEEK])
def test_the_database_numbers_each_day_as_bucket_of_does(tree, period):
    """measures.bucket, the CASE the grouped statement numbers periods by, gives every day the number
    bucket_of gives it: all of January and December and each month's first and last day of three
    years (2026 has 53 cut weeks; 2025 ends, and 2027 begins, in another year's ISO week)."""
    for year in (2025, 2026, 2027):
        spans = periods(year, period)
        days = {day for start, end in spans for day in (start, end)}
        days |= {D(year, 1, d) for d in range(1, 32)} | {D(year, 12, d) for d in range(1, 32)}
        for day in sorted(days):
            found = (
                Organisation.objects.order_by()
                .annotate(day=Value(day, output_field=DateField()))
                .annotate(n=bucket("day", period, spans))
                .values_list("n", flat=True)[:1]
            )
            assert list(found) == [bucket_of(day, period)], day


# -- visits ----------------------------------------------------------------------------------------------


def test_household_visits_per_term(tree, people, homes):
    """桂花村's term runs 2025-01-01 … 2029-12-31 (1,826 days). On 1 July 2026, 547 days have run:
    due = ⌊6 × 547 / 1826⌋ = 1 visit a household. Its households have 2, 1 and 0 visits: 2 on pace,
    none at the 6 of the term. 石岗村 and 南泉社区 have no term: not counted (as /visits/coverage/)."""
    Term.objects.create(
        organisation=tree["village_a"], name="第十一届", elected_on=D(2025, 1, 1), ends_on=D(2029, 12, 31)
    )
    first, second, _third = homes["a"]
    visit(first, people["secretary"], D(2025, 3, 1))
    visit(first, people["leader"], D(2026, 2, 1))
    visit(second, people["secretary"], D(2026, 6, 30))
    visit(homes["b"][0], people["secretary"], D(2026, 6, 1))  # no term in 石岗村
    found = result(evaluate(tree["district"], 2026, today=TODAY), "visits-household-term")
    assert (found.required, found.done, found.on_pace, found.missed) == (3, 0, 2, 0)
    assert found.status == AT_RISK and found.rate == Decimal("0.0")
    names = [s.name for s in found.shortfalls]
    assert names == ["桂花村", "石岗村", "南泉社区"]  # the one behind, then those without a term
    village = result(evaluate(tree["village_a"], 2026, today=TODAY), "visits-household-term")
    assert [s.name for s in village.shortfalls] == [str(_third)]
    assert village.shortfalls[0].url == f"/visits/?household={_third.pk}"


def test_the_district_counts_its_households_visits_once_for_the_table_and_the_list(tree, people, homes):
    """The district's shortfall page reads the rule's figures and then its list of villages behind: one
    coverage statement serves both (it is the heaviest of the page: about 1 s at 400,000 households)."""
    Term.objects.create(
        organisation=tree["village_a"], name="第十一届", elected_on=D(2025, 1, 1), ends_on=D(2029, 12, 31)
    )
    visit(homes["a"][0], people["secretary"], D(2026, 2, 1))
    with CaptureQueriesContext(connection) as queries:
        found = result(evaluate(tree["district"], 2026, today=TODAY), "visits-household-term")
        names = [s.name for s in found.shortfalls]
    assert names == ["桂花村", "石岗村", "南泉社区"]
    histograms = [q for q in queries if "per_household" in q["sql"]]
    assert len(histograms) == 1


def test_personal_yearly_visit_quotas(tree, people, homes):
    """2025 (over): 周德勇 (界石镇 班子, ≥4) 4 visits: met; 谭明辉 (南泉街道, ≥4) 3: missed.
    2026 on 1 July: due ⌊4 × 182/365⌋ = 1; 周德勇 1 visit (on pace), 谭明辉 none: at risk."""
    a, b = homes["a"], homes["b"]
    for n, day in enumerate([D(2025, 1, 5), D(2025, 4, 5), D(2025, 8, 5), D(2025, 12, 31)]):
        visit(a[n % 3], people["leader"], day)
    for n, day in enumerate([D(2025, 2, 5), D(2025, 5, 5), D(2025, 9, 5)]):
        visit(b[n % 2], people["other_leader"], day)
    visit(a[0], people["leader"], D(2026, 3, 3))
    past = result(evaluate(tree["district"], 2025, today=TODAY), "visits-township-member")
    assert (past.required, past.done, past.missed, past.status, past.rate) == (
        2,
        1,
        1,
        MISSED,
        Decimal("50.0"),
    )
    assert [s.name for s in past.shortfalls] == ["谭明辉（副书记）"]
    assert past.shortfalls[0].achieved == 3 and past.shortfalls[0].minimum == 4
    township = result(evaluate(tree["township"], 2025, today=TODAY), "visits-township-member")
    assert (township.required, township.done, township.status) == (1, 1, MET)
    now = result(evaluate(tree["district"], 2026, today=TODAY), "visits-township-member")
    assert (now.required, now.done, now.on_pace, now.missed, now.status) == (2, 0, 1, 0, AT_RISK)


def test_delegate_households_talks_days_and_reports(tree, people, homes):
    """赵代表: 3 visits to 2 households in 2025 → 2 households < 10: missed.
    王支书 (村党组织书记): 2 talks in 2025 → met. 周德勇: 120 days (exactly) and 1 report → met;
    谭明辉: 119 days, no report → missed; both 班子 leaders: talks 0 → missed."""
    a = homes["a"]
    visit(a[0], people["delegate"], D(2025, 3, 1))
    visit(a[0], people["delegate"], D(2025, 4, 1))
    visit(a[1], people["delegate"], D(2025, 5, 1))
    for day in (D(2025, 3, 1), D(2025, 9, 1)):
        Talk.objects.create(leader=people["secretary"], talked_on=day, counterpart="三组党员", summary="谈心")
    FieldResearch.objects.create(
        leader=people["leader"],
        village=tree["village_a"],
        started_on=D(2025, 3, 1),
        ended_on=D(2025, 6, 28),
        topic="产业",
    )  # 1 March … 28 June: 31 + 30 + 31 + 28 = 120 days
    FieldResearch.objects.create(
        leader=people["other_leader"],
        village=tree["community"],
        started_on=D(2025, 3, 1),
        ended_on=D(2025, 6, 27),
        topic="产业",
    )  # 119 days
    ResearchReport.objects.create(
        author=people["leader"],
        year=2025,
        title="调研报告",
        submitted_on=D(2025, 12, 1),
        file="r.pdf",
        file_kind="pdf",
        file_name="r.pdf",
        file_size=10,
    )
    evaluation = evaluate(tree["district"], 2025, today=TODAY)
    delegate = result(evaluation, "delegate-visits")
    assert (delegate.required, delegate.done, delegate.status) == (1, 0, MISSED)
    assert delegate.shortfalls[0].achieved == 2 and delegate.shortfalls[0].minimum == 10
    talks = result(evaluation, "talks-village-secretary")
    assert (talks.required, talks.done, talks.status) == (1, 1, MET)
    leaders = result(evaluation, "talks-leader")
    assert (leaders.required, leaders.done, leaders.status) == (2, 0, MISSED)
    days = result(evaluation, "days-in-villages")
    assert (days.required, days.done, days.missed) == (2, 1, 1)
    assert [(s.name, s.achieved) for s in days.shortfalls] == [("谭明辉（副书记）", 119)]
    reports = result(evaluation, "research-reports")
    assert (reports.required, reports.done, reports.status) == (2, 1, MISSED)
    # 2026 on 1 July: reports are due only at the year's end, so none written yet is on track.
    assert result(evaluate(tree["district"], 2026, today=TODAY), "research-reports").status == MET


def test_township_leaders_standing_pairings(tree, people, homes):
    """002 二: each 镇街班子成员 paired with at least 2 households, read on the day (a standing number).
    周德勇: 桂0 since March 2025; 石0 from June 2025, ended 31 May 2026; 桂1, shared with 谭明辉, from today
    (1 July 2026); 桂2 for January 2025 only. Read on 31 December 2025: 桂0 and 石0, met (石0 is ended now,
    but was running then). Read on 1 July 2026: 桂0 and 桂1, met. 谭明辉 (南泉街道): none, then 桂1 only."""
    a, b = homes["a"], homes["b"]
    pairing(a[0], people["leader"], start=D(2025, 3, 1))
    pairing(b[0], people["leader"], start=D(2025, 6, 1), status="ended", ended_on=D(2026, 5, 31))
    pairing(a[1], people["leader"], people["other_leader"], start=TODAY)
    pairing(a[2], people["leader"], start=D(2025, 1, 1), status="ended", ended_on=D(2025, 2, 1))

    past = result(evaluate(tree["district"], 2025, today=TODAY), "households-paired-township-leader")
    assert (past.required, past.done, past.missed, past.status) == (2, 1, 1, MISSED)
    assert [(s.name, s.achieved, s.minimum) for s in past.shortfalls] == [("谭明辉（副书记）", 0, 2)]
    now = result(evaluate(tree["district"], 2026, today=TODAY), "households-paired-township-leader")
    assert (now.required, now.done, now.on_pace, now.missed, now.status) == (2, 1, 1, 0, AT_RISK)
    assert [(s.name, s.achieved) for s in now.shortfalls] == [("谭明辉（副书记）", 1)]
    assert now.shortfalls[0].url == "/pairings/?q=%E8%B0%AD%E6%98%8E%E8%BE%89&status=active"
    jieshi = result(evaluate(tree["township"], 2026, today=TODAY), "households-paired-township-leader")
    assert (jieshi.required, jieshi.done, jieshi.status) == (1, 1, MET)


def _contacts(point, *days):
    LiaisonContact.objects.bulk_create(
        LiaisonContact(point=point, date=day, content="了解情况") for day in days
    )


def test_liaison_points_contacted_once_a_month_on_average(tree, people):
    """003 1.: 一般平均每月不少于1次, over the whole months the point runs (members.rules.months_due).
    周德勇 → 桂花村 since 1 March 2025: 2025 March–December is 10 months, 10 contacts, met; 2026 on 1 July:
    January–June due (6 months), 5 contacts: short, at risk. 周德勇 → 石岗村 from 2024 to 15 April 2025:
    2025 January–April is 4 months, 3 contacts, missed. 谭明辉 → 南泉社区 since 20 May 2026: May–June due,
    2 contacts, on pace (and today's contact counts). On 15 January 2026 no whole month is over: on pace."""
    leader, other = people["leader"], people["other_leader"]
    a = LiaisonPoint.objects.create(leader=leader, organisation=tree["village_a"], started_on=D(2025, 3, 1))
    b = LiaisonPoint.objects.create(
        leader=leader, organisation=tree["village_b"], started_on=D(2024, 1, 1), ended_on=D(2025, 4, 15)
    )
    c = LiaisonPoint.objects.create(leader=other, organisation=tree["community"], started_on=D(2026, 5, 20))
    _contacts(
        a, *(D(2025, month, 5) for month in range(3, 13)), *(D(2026, month, 5) for month in range(1, 6))
    )
    _contacts(b, D(2025, 1, 3), D(2025, 2, 3), D(2025, 4, 3))
    _contacts(c, D(2026, 5, 21), D(2026, 7, 1))

    past = result(evaluate(tree["district"], 2025, today=TODAY), "liaison-point-contacts")
    assert (past.required, past.done, past.missed, past.status) == (2, 1, 1, MISSED)
    branch = leader.organisation.display_name  # the leader's own organisation; the point is in the name
    assert [(s.name, s.organisation) for s in past.shortfalls] == [("周德勇（联系点：石岗村）", branch)]
    now = result(evaluate(tree["district"], 2026, today=TODAY), "liaison-point-contacts")
    assert (now.required, now.done, now.on_pace, now.missed, now.status) == (2, 0, 1, 0, AT_RISK)
    [short] = now.shortfalls
    assert (short.name, short.achieved, short.minimum) == (
        "周德勇（联系点：桂花村）",
        "5 次",
        "6 个月 × 每月 1 次",
    )
    assert short.url == f"/liaison-points/{a.pk}/?year=2026"
    january = result(evaluate(tree["township"], 2026, today=D(2026, 1, 15)), "liaison-point-contacts")
    assert (january.required, january.on_pace, january.status) == (1, 1, MET)
    assert result(evaluate(tree["other_township"], 2026, today=TODAY), "liaison-point-contacts").status == MET


def test_monthly_analysis_meetings(tree):
    """2025: 桂花村 January–November (11), 石岗村 none: 界石镇 24 months required, 11 held, 13 missed.
    2026 on 1 July: 桂花村 January–June: 6 done, the other 6 months still to come (on pace); 石岗村 misses 6."""
    for month in range(1, 12):
        AnalysisMeeting.objects.create(
            organisation=tree["village_a"], held_on=D(2025, month, 10), analysis="分析", decisions="安排"
        )
    for month in range(1, 7):
        AnalysisMeeting.objects.create(
            organisation=tree["village_a"], held_on=D(2026, month, 10), analysis="分析", decisions="安排"
        )
    past = result(evaluate(tree["township"], 2025, today=TODAY), "analysis-meeting")
    assert (past.required, past.done, past.missed, past.status) == (24, 11, 13, MISSED)
    village = result(evaluate(tree["village_a"], 2026, today=TODAY), "analysis-meeting")
    assert (village.required, village.done, village.on_pace, village.missed, village.status) == (
        12,
        6,
        12,
        0,
        MET,
    )
    township = result(evaluate(tree["township"], 2026, today=TODAY), "analysis-meeting")
    assert (township.missed, township.status) == (6, MISSED)
    assert [s.name for s in township.shortfalls] == ["石岗村"]
    assert township.shortfalls[0].url == f"/visits/meetings/village/{tree['village_b'].pk}/?year=2026"


def _held(organisation, receiver, day, status=SessionStatus.HELD, kind=SessionKind.SECRETARY):
    return ReceptionSession.objects.create(
        organisation=organisation,
        kind=kind,
        date=day,
        half_day="am",
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        place_kind="service_centre",
        place="便民服务中心",
        receiver=receiver,
        receiver_title="书记",
        phone="023-66230001",
        status=status,
        published_at=datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC),
    )


def test_delegates_half_days_at_their_studio(tree, people):
    """002 八: 党代会代表到工作室接待党员和群众每年不少于2次. 赵代表 in 2025: one half-day held at the studio,
    one published and missed, one held as a 书记接待 stand-in (not the studio's): 1 of 2, missed.
    2026, pro rata: on 1 July 2 × 182/365 < 1, so none is due yet (on pace with none held); on 3 July
    2 × 184/365 ≥ 1: at risk, short by the one due."""
    delegate, studio = people["delegate"], SessionKind.DELEGATE
    _held(tree["township"], delegate, D(2025, 3, 5), kind=studio)
    _held(tree["township"], delegate, D(2025, 9, 5), status=SessionStatus.MISSED, kind=studio)
    _held(tree["township"], delegate, D(2025, 10, 5))

    past = result(evaluate(tree["township"], 2025, today=TODAY), "delegate-receptions")
    assert (past.required, past.done, past.missed, past.status) == (1, 0, 1, MISSED)
    [short] = past.shortfalls
    assert (short.name, short.achieved, short.minimum) == ("赵代表（党代会代表）", 1, 2)
    assert short.url == (
        f"/receptions/sessions/?organisation={tree['township'].pk}&kind=delegate"
        "&date_from=2025-01-01&date_to=2025-12-31"
    )
    july = result(evaluate(tree["township"], 2026, today=TODAY), "delegate-receptions")
    assert (july.required, july.done, july.on_pace, july.status) == (1, 0, 1, MET)
    later = result(evaluate(tree["township"], 2026, today=D(2026, 7, 3)), "delegate-receptions")
    assert (later.on_pace, later.status, later.shortfalls[0].achieved) == (0, AT_RISK, 0)


def test_reception_days_per_level(tree, people):
    """界石镇 (1 a month): held in January, February, March, May, June and July 2026 (April's session
    was missed). On 1 July, six months are over: five met, April missed; July is held already:
    done 6, missed 1, on pace 5 + the 6 months not over = 11 of 12."""
    leader = people["leader"]
    for month in (1, 2, 3, 5, 6, 7):
        _held(tree["township"], leader, D(2026, month, 6))
    _held(tree["township"], leader, D(2026, 4, 6), status=SessionStatus.MISSED)
    found = result(evaluate(tree["township"], 2026, today=TODAY), "reception-township-secretary")
    assert (found.required, found.done, found.on_pace, found.missed, found.status) == (12, 6, 11, 1, MISSED)
    assert found.shortfalls[0].name == tree["township"].display_name


def test_reception_weeks_cut_at_the_year_start(tree, people):
    """桂花村 (1 a week), read on 20 January 2026: weeks 1–4 Jan, 5–11 Jan and 12–18 Jan are over.
    Held on 2 and 13 January: the week of 5–11 January is missed. 2026 has 53 cut weeks."""
    _held(tree["village_a"], people["secretary"], D(2026, 1, 2))
    _held(tree["village_a"], people["secretary"], D(2026, 1, 13))
    found = result(evaluate(tree["village_a"], 2026, today=D(2026, 1, 20)), "reception-village-secretary")
    assert (found.required, found.done, found.missed) == (53, 2, 1)


# -- feedback --------------------------------------------------------------------------------------------


def test_opinions_answered_on_time(tree, clerk_a):
    """2026: one answered on its due day (on time), one a day late, one open past its due date, one
    still within its time (not counted): 1 of 3 on time = 33.3%, missed."""
    on_time = make_due(register(clerk_a), received_on=D(2026, 5, 1), due=D(2026, 5, 11))
    late = make_due(register(clerk_a, subject="二组水管"), received_on=D(2026, 5, 1), due=D(2026, 5, 11))
    open_late = make_due(register(clerk_a, subject="三组路灯"), received_on=D(2026, 6, 1), due=D(2026, 6, 11))
    make_due(register(clerk_a, subject="四组垃圾"), received_on=D(2026, 6, 25), due=D(2026, 7, 5))
    answer(clerk_a, on_time, on=D(2026, 5, 10))
    feed_back(clerk_a, on_time, on=D(2026, 5, 11))
    answer(clerk_a, late, on=D(2026, 5, 10))
    feed_back(clerk_a, late, on=D(2026, 5, 12))
    found = result(evaluate(tree["district"], 2026, today=TODAY), "opinions-on-time")
    assert (found.required, found.done, found.missed, found.rate, found.status) == (
        3,
        1,
        2,
        Decimal("33.3"),
        MISSED,
    )
    assert [s.url for s in found.shortfalls] == [f"/opinions/{late.pk}/", f"/opinions/{open_late.pk}/"]


# -- members ---------------------------------------------------------------------------------------------


def test_pairing_visits_and_unit_pairings(tree, people, homes):
    """2025: 桂花村's pairing visited twice (met), 石岗村's once (missed). 联线 with 2 records (met);
    党员结对 with 499.99 元 (missed) and one with 500 元 (met)."""
    met = pairing(homes["a"][0], people["secretary"], start=D(2024, 1, 1))
    short = pairing(homes["b"][0], people["secretary"], start=D(2024, 1, 1))
    for day in (D(2025, 3, 1), D(2025, 10, 1)):
        v = visit(homes["a"][0], people["secretary"], day)
        v.pairing = met
        v.save(update_fields=["pairing"])
    v = visit(homes["b"][0], people["secretary"], D(2025, 3, 1))
    v.pairing = short
    v.save(update_fields=["pairing"])
    evaluation = evaluate(tree["district"], 2025, today=TODAY)
    visits = result(evaluation, "pairing-visits")
    assert (visits.required, visits.done, visits.missed, visits.status) == (2, 1, 1, MISSED)
    assert visits.shortfalls[0].url == f"/pairings/{short.pk}/"

    helper = people["branches"]["township"]
    line = unit_pairing(UnitPairing.Kind.LIAISON_LINE, helper, target_organisation=tree["village_a"])
    record(line, D(2025, 3, 1))
    record(line, D(2025, 12, 31))
    poor = unit_pairing(UnitPairing.Kind.MEMBER_PAIRING, helper, target_household=homes["a"][1])
    record(poor, D(2025, 6, 1), money="499.99")
    enough = unit_pairing(UnitPairing.Kind.MEMBER_PAIRING, helper, target_household=homes["a"][2])
    record(enough, D(2025, 6, 1), money="500")
    record(enough, D(2026, 1, 1), money="100")  # next year's: not counted in 2025
    evaluation = evaluate(tree["district"], 2025, today=TODAY)
    assert (result(evaluation, "unit-line").done, result(evaluation, "unit-line").status) == (1, MET)
    funds = result(evaluation, "unit-member")
    assert (funds.required, funds.done, funds.status) == (2, 1, MISSED)
    assert funds.shortfalls[0].achieved == Decimal("499.99")


# -- commitments -----------------------------------------------------------------------------------------


def _event(household, kind, day):
    return MustVisitEvent.objects.create(
        organisation=household.organisation, household=household, kind=kind, occurred_on=day
    )


def _tagged(event, visitor, day):
    found = visit(event.household, visitor, day)
    found.event = event
    found.save(update_fields=["event"])
    return found


def test_five_must_visits_answered_by_the_village_secretary(tree, homes):
    """桂花村's 书记 马书记, its 副书记 牛副书记, 石岗村's 书记 石书记.
    2025: 桂花村 two events, one answered (Nov), one not (20 Dec): 2 required, 1 done, 1 missed.
    2026 on 1 July: 桂花村 three events: 1 March answered by the 书记 on 3 March; 10 May visited only by the
    副书记; 30 June visited by the 书记 on 29 June, the day before (not an answer). 石岗村 one event, answered
    by its own 书记; 马书记's visit there answers nothing. 桂花村 3 required, 1 done, at risk; 界石镇 4 and 2."""
    a, b = homes["a"], homes["b"]
    secretary = holding(
        MemberFactory(organisation=tree["village_a"], name="马书记"), tree["village_a"], R.SECRETARY
    )
    deputy = holding(
        MemberFactory(organisation=tree["village_a"], name="牛副书记"), tree["village_a"], R.DEPUTY_SECRETARY
    )
    other = holding(
        MemberFactory(organisation=tree["village_b"], name="石书记"), tree["village_b"], R.SECRETARY
    )
    _tagged(_event(a[0], EventKind.HOSPITALISED, D(2025, 11, 2)), secretary, D(2025, 11, 3))
    _event(a[1], EventKind.DISASTER, D(2025, 12, 20))
    _tagged(_event(a[0], EventKind.HOSPITALISED, D(2026, 3, 1)), secretary, D(2026, 3, 3))
    _tagged(_event(a[1], EventKind.SERIOUS_ILLNESS, D(2026, 5, 10)), deputy, D(2026, 5, 11))
    _tagged(_event(a[2], EventKind.WEDDING_FUNERAL, D(2026, 6, 30)), secretary, D(2026, 6, 29))
    in_b = _event(b[0], EventKind.ACCIDENT, D(2026, 4, 1))
    _tagged(in_b, secretary, D(2026, 4, 2))
    _tagged(in_b, other, D(2026, 4, 3))

    past = result(evaluate(tree["village_a"], 2025, today=TODAY), "five-must-visit")
    assert (past.required, past.done, past.missed, past.status) == (2, 1, 1, MISSED)
    village = result(evaluate(tree["village_a"], 2026, today=TODAY), "five-must-visit")
    assert (village.required, village.done, village.on_pace, village.missed, village.status) == (
        3,
        1,
        1,
        0,
        AT_RISK,
    )
    township = result(evaluate(tree["township"], 2026, today=TODAY), "five-must-visit")
    assert (township.required, township.done, township.status) == (4, 2, AT_RISK)
    assert [(s.name, s.achieved, s.note) for s in township.shortfalls] == [
        ("桂1户：重病卧床", "书记走访 0 次", "2026-05-10 发生，待书记走访"),
        ("桂2户：红白喜事", "书记走访 0 次", "2026-06-30 发生，待书记走访"),
    ]
    assert township.shortfalls[0].url == f"/households/{a[1].pk}/"
    assert result(evaluate(tree["village_b"], 2026, today=TODAY), "five-must-visit").status == MET
    assert result(evaluate(tree["other_township"], 2026, today=TODAY), "five-must-visit") is None


def _commitment(organisation, year, state="published"):
    return Commitment.objects.create(
        organisation=organisation,
        subject="committee",
        direction="downward",
        scope="annual",
        year=year,
        area="service",
        title="修机耕道",
        content="修三组机耕道",
        target="1.2公里",
        deadline=D(year, 12, 1),
        responsible="村委会主任 陈国平",
        state=state,
        approved_on=None if state == "draft" else D(year, 1, 20),
        published_on=None if state == "draft" else D(year, 1, 25),
    )


def _assessment(organisation, year, grade):
    return Assessment.objects.create(
        organisation=organisation,
        year=year,
        report_on=D(year, 12, 20),
        satisfied=80,
        basically_satisfied=10,
        dissatisfied=10,
        measured_grade=grade,
        field_check_on=D(year, 12, 22),
        finalised_on=D(year, 12, 28),
        final_grade=grade,
        rectification_deadline=D(year + 1, 3, 1) if grade == Grade.FAIL else None,
    )


def test_commitments_adopted_and_assessed(tree):
    """2025: 桂花村 and 石岗村 have a published annual commitment, 南泉社区 only a draft. Assessed: 桂花村
    合格, 石岗村 不合格. Adopted: 2 of 3; assessed 基本合格 or better: 1 of the 2 with commitments."""
    for org, state in (
        (tree["village_a"], "published"),
        (tree["village_b"], "assessed"),
        (tree["community"], "draft"),
    ):
        _commitment(org, 2025, state)
    _assessment(tree["village_a"], 2025, Grade.PASS)
    _assessment(tree["village_b"], 2025, Grade.FAIL)
    evaluation = evaluate(tree["district"], 2025, today=TODAY)
    adopted = result(evaluation, "commitments-annual")
    assert (adopted.required, adopted.done, adopted.status) == (3, 2, MISSED)
    assert [s.name for s in adopted.shortfalls] == [tree["community"].display_name]
    graded = result(evaluation, "commitments-assessed")
    assert (graded.required, graded.done, graded.status) == (2, 1, MISSED)
    assert [s.name for s in graded.shortfalls] == [tree["village_b"].display_name]


# -- versioned rules, summaries, queries -------------------------------------------------------------------


def test_a_rule_edited_this_year_changes_this_year_not_last_year(tree, people, homes, org_dept):
    """周德勇 made 3 visits in each year, against ≥4. The 组织部 lowers the rule to 3 from 1 January of
    this year: this year is met, last year stays missed."""
    from django.utils import timezone

    today = timezone.localdate()
    this, last = today.year, today.year - 1
    for year in (last, this):
        for n, month in enumerate((1, 2, 3)):
            visit(homes["a"][n], people["leader"], D(year, month, 10))
    rule = QuotaRule.objects.get(code="visits-township-member")
    before = result(evaluate(tree["township"], this, today=today), "visits-township-member")
    assert before.done == 0
    quota_rule_change(
        user=org_dept,
        rule=rule.pk,
        minimum=Decimal(3),
        source=rule.source,
        notes="",
        effective_from=D(this, 1, 1),
    )
    after = result(evaluate(tree["township"], this, today=today), "visits-township-member")
    assert (after.done, after.status, after.rule.minimum) == (1, MET, Decimal(3))
    past = result(evaluate(tree["township"], last, today=today), "visits-township-member")
    assert (past.done, past.status, past.rule.minimum) == (0, MISSED, Decimal(4))


def test_a_localitys_own_rule_applies_to_its_subtree_only(tree, people, homes, org_dept):
    """南泉街道's own days-in-villages rule of 119 (from 2025): 谭明辉's 119 days meet it; 界石镇 keeps 120."""
    from liaison.services import quota_rule_localise

    general = QuotaRule.objects.get(code="days-in-villages")
    QuotaRule.all_rules.filter(
        pk=quota_rule_localise(
            user=org_dept,
            rule=general.pk,
            organisation=tree["other_township"],
            minimum=Decimal(119),
            source="南泉街道规定",
            notes="",
            effective_from=D(2026, 1, 1),
        ).pk
    ).update(applies_from=D(2025, 1, 1), effective_from=D(2025, 1, 1))
    for leader, end in ((people["leader"], D(2025, 6, 27)), (people["other_leader"], D(2025, 6, 27))):
        FieldResearch.objects.create(
            leader=leader, village=tree["village_a"], started_on=D(2025, 3, 1), ended_on=end, topic="产业"
        )
    evaluation = evaluate(tree["district"], 2025, today=TODAY)
    days = result(evaluation, "days-in-villages")
    assert (days.required, days.done) == (2, 1)
    assert [s.name for s in days.shortfalls] == ["周德勇（班子成员）"]


def test_summary_for_many_organisations_in_a_fixed_number_of_queries(tree, people, homes):
    """summary_by_organisation agrees with evaluate for each, and its query count does not grow with
    the number of organisations asked about."""
    for month in range(1, 12):
        AnalysisMeeting.objects.create(
            organisation=tree["village_a"], held_on=D(2025, month, 10), analysis="分析", decisions="安排"
        )
    orgs = [tree["district"], tree["township"], tree["village_a"], tree["village_b"], tree["community"]]
    with CaptureQueriesContext(connection) as few:
        summary_by_organisation(orgs[:2], 2025, today=TODAY)
    with CaptureQueriesContext(connection) as many:
        summaries = summary_by_organisation(orgs, 2025, today=TODAY)
    assert len(many) == len(few) <= len(RULES) + 8
    for org in orgs:
        alone = evaluate(org, 2025, today=TODAY).summary
        assert (summaries[org.pk].met, summaries[org.pk].total) == (alone.met, alone.total), org
    village = summaries[tree["village_a"].pk]
    assert village.rate == rate(village.met, village.total)


def test_shortfalls_are_lazy(tree, people):
    with CaptureQueriesContext(connection) as queries:
        evaluation = evaluate(tree["district"], 2025, today=TODAY)
    measured = len(queries)
    with CaptureQueriesContext(connection) as queries:
        [r.shortfalls for r in evaluation.results]
    assert len(queries) == 0 and measured <= len(RULES) + 8
