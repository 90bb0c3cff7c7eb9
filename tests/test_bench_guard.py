"""The benchmark harness on a small scale, as a regression guard (issue #10).

A district of 1,200 households from `seed_demo --scale district`, every page scenario of
`python -m benchmarks`: each answers 200 in the number of SQL queries pinned below (a page whose
count grows is caught here; the target is ≤ 10, see benchmarks/scenarios.py), and exports stream:
their peak memory does not grow with the rows exported. No timings: they live in the harness report.
"""

from __future__ import annotations

import datetime
import tracemalloc
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.scenarios import PAGE_QUERIES, build
from liaison.models import Household, Resident, User

pytestmark = pytest.mark.django_db

HOUSEHOLDS = 1200
PER_ROW_KB = 0.6  # measured: 0.25 KB a row with CHUNK=100 (the full-number ids the access log keeps, capped);
# 1.7 KB a row when the whole export was one chunk, and a workbook kept in memory costs several
# Pages above the target of 10 queries, each with the count it has today and why (the README's
# benchmark section). Every page scenario is within PAGE_QUERIES now: keep it so.
OVER_TARGET: dict[str, int] = {
    # The compliance engine (liaison/compliance) on the user's whole subtree: the session, the user, the
    # organisations and the rules in force, then one grouped statement per rule family (coverage per
    # term, the nine personal quotas together, meetings, 五必访, reception days per level, 1234,
    # pairings, 联系点, the four unit kinds together, commitments) — the same count for a village as for
    # the district of 400,000 households. The dashboard loads it after the page
    # (/dashboard/compliance/), so the dashboards themselves are at 4–5 queries.
    "首页 制度落实 经办人（村）": 18,
    "首页 制度落实 书记（镇）": 18,
    "首页 制度落实 组织部（区）": 19,
    "制度落实 逐级 区": 20,
    "制度落实 未达 走访每户 区": 20,
    # Issue 14: a township's compliance page with the unit rules per kind of unit (the engine, its
    # children's summaries, and the table's one grouped statement), and a unit rule's shortfalls
    # filtered to one kind of unit (the kind is a condition of the list's own two statements).
    "制度落实 按单位类别 镇": 20,
    "制度落实 未达 联线 机关 区": 19,
}


@pytest.fixture(autouse=True)
def _panels_after_the_page(settings):
    """As in production: the dashboard loads the apps' panels after the page (liaison/views/general.py)."""
    settings.LIAISON_DASHBOARD_PANELS_INLINE = False


@pytest.fixture
def district(db):
    call_command("seed_demo", scale="district", households=HOUSEHOLDS, stdout=StringIO())


def clients():
    made: dict[str, Client] = {}

    def get(username: str) -> Client:
        if username not in made:
            made[username] = Client()
            if username:  # "" is the public, without a login
                made[username].force_login(User.objects.get(username=username))
        return made[username]

    return get


def peak(client: Client, url: str) -> tuple[float, int]:
    tracemalloc.start()
    try:
        response = client.get(url)
        # Reading the stream to its end closes the response, as a server would. Closing it again fires
        # request_finished outside the test client's guard, which closes PostgreSQL's connection.
        size = sum(len(chunk) for chunk in response.streaming_content)
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    return top / 1024 / 1024, size


def test_every_page_scenario_keeps_its_query_count(district):
    client = clients()
    counts = {}
    for scenario in build(client, quick=True):
        if scenario.kind != "page":
            continue
        client(scenario.username).get(scenario.url)  # warm, as the harness counts: per-process caches filled
        with CaptureQueriesContext(connection) as queries:
            response = client(scenario.username).get(scenario.url)
        assert response.status_code == 200, scenario.name
        counts[scenario.name] = len(queries)
    allowed = {name: OVER_TARGET.get(name.split(" p")[0].split(" last")[0], PAGE_QUERIES) for name in counts}
    over = {name: (count, allowed[name]) for name, count in counts.items() if count > allowed[name]}
    assert not over, (over, counts)


def test_household_export_streams(district, monkeypatch):
    """Memory per exported row stays small: rows are read in chunks of CHUNK and written to a temporary
    file as they come. A workbook built in memory (openpyxl's normal mode) or a queryset read whole
    costs several KB per row and fails here."""
    import liaison.exports

    # Chunks far smaller than the export, so that what a chunk holds is the same in both exports and any
    # growth comes from keeping rows (at the default CHUNK the guard's whole village is one chunk).
    monkeypatch.setattr(liaison.exports, "CHUNK", 100)
    client = clients()("jingban")
    village = User.objects.get(username="jingban").organisation
    one = Household.objects.filter(organisation=village).order_by("id").first()
    households = Household.objects.filter(organisation=village).count()
    rows = households + Resident.objects.filter(household__organisation=village).count()
    peak(client, "/households/export.xlsx?q=" + one.address)  # warm: imports, templates
    small, small_size = peak(client, "/households/export.xlsx?q=" + one.address)
    large, large_size = peak(client, "/households/export.xlsx")
    assert large_size > 20 * small_size
    per_row_kb = (large - small) * 1024 / rows
    print(
        f"export peak: {small:.2f} MB for one household, {large:.2f} MB for {rows} rows, {per_row_kb:.2f} KB/row"
    )
    assert per_row_kb < PER_ROW_KB, (small, large, rows)


def test_an_export_above_its_request_limit_is_judged_as_the_job_it_is(district, settings):
    """A township's household export is a background job above LIAISON_EXPORT_MAX_HOUSEHOLDS: the
    harness times its work, but the 30 s a request may take does not apply to it; a village's export
    within the limit is still held to them."""
    from benchmarks.measure import Result
    from benchmarks.runner import verdict

    village = User.objects.get(username="jingban").organisation
    settings.LIAISON_EXPORT_MAX_HOUSEHOLDS = Household.objects.filter(organisation=village).count()
    scenarios = {s.name: s for s in build(clients(), quick=True)}
    village_export, township_export = scenarios["导出 户 村"], scenarios["导出 户 镇"]
    assert not village_export.job and township_export.job
    slow = Result("", "export", "", "", 200, 3, 40_000, 40_000, 9, 20.0, "bare openpyxl", 40_000, 1.0)
    assert verdict(township_export, slow) == ("≤1.5× openpyxl (job)", True)
    assert verdict(village_export, slow) == ("≤1.5× openpyxl, <30s", False)
    assert verdict(township_export, replace(slow, ratio=1.6))[1] is False


def test_the_opinion_export_above_its_request_limit_is_judged_as_a_job(district, settings):
    """The same for the opinion list's export (LIAISON_EXPORT_MAX_OPINIONS): the district's every opinion
    above the limit is a job, a township's overdue ones under it are a request."""
    from feedback.models import Opinion

    settings.LIAISON_EXPORT_MAX_OPINIONS = Opinion.objects.count() - 1
    scenarios = {s.name: s for s in build(clients(), quick=True)}
    assert scenarios["导出 意见列表 区"].job
    assert not scenarios["导出 意见列表 镇 逾期"].job
    settings.LIAISON_EXPORT_MAX_OPINIONS = Opinion.objects.count()  # exactly the limit: a request
    assert not {s.name: s for s in build(clients(), quick=True)}["导出 意见列表 区"].job


# Issue 14: the annual workbook and the opinion list's export, pinned at this scale. The workbook's
# queries do not depend on the district's size (liaison/reports/tests/test_workbook.py checks that
# adding a township adds none): about half of them are the compliance engine's, measured once.
REPORT_QUERIES: dict[str, int] = {
    # 58 before the engine measured the personal quotas and unit kinds in one statement each and read the
    # organisations once (14 queries a measurement); then 44 and 43. The 单位类别 sheet adds 2: the unit
    # rules' quotas in force at the year's end, read for the report's own subtree (the engine's context
    # spans the parent township when the report is a village's), and one grouped statement. The 五必访
    # and 联系点 rules add one grouped statement each.
    "年度统计工作簿 区": 48,
    "年度统计工作簿 镇": 47,
    "导出 意见列表 区": 6,
    # 5 until the list named the subtree's organisations and handed-over opinions by id (feedback.scope,
    # ids_first): two queries each time the view and the file build the list.
    "导出 意见列表 镇 逾期": 9,
}
WORKBOOK_PER_ROW_KB = 1.0  # measured 0.36 KB a detail row (1,200 households, 2,936 rows)


def test_report_scenarios_keep_their_query_counts(district, settings):
    settings.LIAISON_ANNUAL_REPORT_MAX_HOUSEHOLDS = 10**9  # as the harness: the work itself, in the request
    client = clients()
    counts = {}
    for scenario in build(client, quick=True):
        if scenario.name not in REPORT_QUERIES:
            continue
        c = client(scenario.username)
        b"".join(c.get(scenario.url).streaming_content)  # warm
        with CaptureQueriesContext(connection) as queries:
            response = c.get(scenario.url)
            assert response.status_code == 200, scenario.name
            b"".join(response.streaming_content)
        counts[scenario.name] = len(queries)
    assert counts == REPORT_QUERIES


def test_the_workbook_detail_sheets_stream(district, settings):
    """The detail sheets are written row by row from chunked reads: the district's workbook costs little
    more memory per detail row than one village's."""
    from feedback.models import Opinion, Reception
    from visits.models import Visit

    settings.LIAISON_ANNUAL_REPORT_MAX_HOUSEHOLDS = 10**9
    year = datetime.date.today().year
    client = clients()("zuzhibu")
    village = User.objects.get(username="jingban").organisation
    district = village.parent.parent

    def url(org):
        return f"/reports/annual.xlsx?organisation={org.pk}&year={year}"

    peak(client, url(village))  # warm
    small, _ = peak(client, url(village))
    large, _ = peak(client, url(district))
    rows = (
        Visit.objects.filter(visited_on__year=year).count()
        + Opinion.objects.filter(received_on__year=year).count()
        + Reception.objects.filter(received_on__year=year).count()
    )
    per_row_kb = (large - small) * 1024 / max(rows, 1)
    print(
        f"workbook peak: {small:.2f} MB a village, {large:.2f} MB the district, {rows} rows, {per_row_kb:.3f} KB/row"
    )
    assert rows > 1000
    assert per_row_kb < WORKBOOK_PER_ROW_KB, (small, large, rows)
