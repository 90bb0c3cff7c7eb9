"""The scenarios: every list at every scope, searches, dashboards per role, exports and prints.

A scenario is a URL requested by one of the demo logins that `seed_demo --scale district` places:
jingban (经办人 of the first village), shuji (书记 of the first township), zhenjie (镇街管理员 of the
second township), zuzhibu (组织部, the district); or, with the username "", without a login (/public/). Each domain issue adds its own scenarios here.
Targets are the issue's (#10); a scenario without one is measured and reported only.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.test import Client

from liaison.models import Organisation, User
from liaison.panels import dashboard_panels

PAGE_MS = 150  # every list page at any scope, page 1 and the last page (#10)
SEARCH_MS = 200  # ?overdue=1 and the searches, district-wide
COVERAGE_MS = 1000
SECRETARY_DASHBOARD_MS = 500
DISTRICT_DASHBOARD_MS = 3000
PAGE_QUERIES = 10
COMPLIANCE_QUERIES = 20  # the engine: one grouped query per rule family, constant in the data's size
EXPORT_RATIO = 1.5
REQUEST_SECONDS = 30
PDF_MB = 500

LAST_PAGE = re.compile(r"第 \d+ / (\d+) 页")


@dataclass(frozen=True)
class Scenario:
    name: str
    group: str  # list, search, dashboard, export, print, clerk
    username: str
    url: str
    kind: str = "page"  # page | export | print
    target_ms: int | None = None
    max_queries: int | None = PAGE_QUERIES
    # An export or print above its in-request limit: a background job for its user, which the harness
    # times in the request (runner.run lifts the limits). The 30 s a request may take does not apply.
    job: bool = False


def last_page(client: Client, url: str) -> int:
    html = client.get(url).content.decode()
    match = LAST_PAGE.search(html)
    return int(match.group(1)) if match else 1


def with_page(url: str, page: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}page={page}"


def build(clients: Callable[[str], Client], *, quick: bool = False) -> list[Scenario]:
    """The scenario list for the data set in the database (URLs need its ids and page counts)."""
    clerk = User.objects.select_related("organisation").get(username="jingban")
    village = clerk.organisation
    township = User.objects.select_related("organisation").get(username="shuji").organisation
    year = datetime.date.today().year
    scenarios: list[Scenario] = []

    def pages(name: str, username: str, url: str, *, target: int = PAGE_MS, group: str = "list", middle=None):
        scenarios.append(Scenario(f"{name} p1", group, username, url, target_ms=target))
        last = last_page(clients(username), url)
        if middle and last >= middle:
            scenarios.append(
                Scenario(f"{name} p{middle}", group, username, with_page(url, middle), target_ms=target)
            )
        if last > 1:
            scenarios.append(
                Scenario(f"{name} last (p{last})", group, username, with_page(url, last), target_ms=target)
            )

    # lists at the district's scope, and the household list at a township's
    pages("户 /households/ 区", "zuzhibu", "/households/")
    pages("户 /households/ 镇", "shuji", "/households/", middle=200)
    pages("党员 /members/ 区", "zuzhibu", "/members/")
    pages("结对 /pairings/ 区", "zuzhibu", "/pairings/")
    pages("联系帮扶 /unit-pairings/ 区", "zuzhibu", "/unit-pairings/")
    pages("联系点 /liaison-points/ 区", "zuzhibu", "/liaison-points/")
    pages("服务岗位 /posts/ 区", "zuzhibu", "/posts/")
    pages("群众意见 /opinions/ 区", "zuzhibu", "/opinions/")
    pages("逾期 /opinions/?overdue=1 区", "zuzhibu", "/opinions/?overdue=1", target=SEARCH_MS)
    scenarios.append(Scenario("覆盖 /coverage/ 区", "list", "zuzhibu", "/coverage/", target_ms=COVERAGE_MS))
    pages("承诺 /commitments/ 区", "zuzhibu", "/commitments/")
    pages("承诺 /commitments/?year 镇", "shuji", f"/commitments/?year={year}")
    pages("考核评诺 /commitments/assessments/ 区", "zuzhibu", "/commitments/assessments/")
    pages("党员承诺 /commitments/personal/ 区", "zuzhibu", f"/commitments/personal/?year={year}")

    # searches, district-wide (and one township-wide)
    for label, query in (
        ("首字母 zgh", "zgh"),
        ("全拼 zhang", "zhang"),
        ("全拼 zhangguohua", "zhangguohua"),
        ("姓名 国华", "国华"),
        ("姓名 张国华", "张国华"),
    ):
        scenarios.append(
            Scenario(
                f"搜索户 {label} 区",
                "search",
                "zuzhibu",
                f"/households/?{urlencode({'q': query})}",
                target_ms=SEARCH_MS,
            )
        )
    scenarios.append(
        Scenario("搜索户 首字母 zgh 镇", "search", "shuji", "/households/?q=zgh", target_ms=SEARCH_MS)
    )
    scenarios.append(
        Scenario("搜索党员 全拼 zhang 区", "search", "zuzhibu", "/members/?q=zhang", target_ms=SEARCH_MS)
    )
    scenarios.append(
        Scenario("搜索意见 反映人 zhang 区", "search", "zuzhibu", "/opinions/?q=zhang", target_ms=SEARCH_MS)
    )

    # dashboards per role
    scenarios.append(Scenario("首页 经办人（村）", "dashboard", "jingban", "/", target_ms=PAGE_MS))
    scenarios.append(Scenario("首页 书记（镇）", "dashboard", "shuji", "/", target_ms=SECRETARY_DASHBOARD_MS))
    scenarios.append(
        Scenario("首页 镇街管理员", "dashboard", "zhenjie", "/", target_ms=SECRETARY_DASHBOARD_MS)
    )
    scenarios.append(Scenario("首页 组织部（区）", "dashboard", "zuzhibu", "/", target_ms=PAGE_MS))
    # the sections the dashboard loads after the page (liaison/views/general.py): the compliance table
    # is the engine on the user's whole subtree (the district's: every rule, a fixed number of
    # grouped queries), the trends four grouped queries, each app's panel its own request
    for username, who in (("jingban", "经办人（村）"), ("shuji", "书记（镇）"), ("zuzhibu", "组织部（区）")):
        target = DISTRICT_DASHBOARD_MS if username == "zuzhibu" else SECRETARY_DASHBOARD_MS
        scenarios.append(
            Scenario(
                f"首页 制度落实 {who}",
                "dashboard",
                username,
                "/dashboard/compliance/",
                target_ms=target,
                max_queries=COMPLIANCE_QUERIES,
            )
        )
        scenarios.append(
            Scenario(f"首页 逐月趋势 {who}", "dashboard", username, "/dashboard/trends/", target_ms=target)
        )
        scenarios.append(
            Scenario(f"首页 未接待 {who}", "dashboard", username, "/dashboard/receptions/", target_ms=PAGE_MS)
        )
        for index in range(len(dashboard_panels)):
            scenarios.append(
                Scenario(
                    f"首页 面板{index} {who}",
                    "dashboard",
                    username,
                    f"/dashboard/panels/{index}/",
                    target_ms=target,
                )
            )
    scenarios.append(
        Scenario(
            "制度落实 逐级 区",
            "dashboard",
            "zuzhibu",
            f"/compliance/?year={year}",
            target_ms=DISTRICT_DASHBOARD_MS,
            max_queries=COMPLIANCE_QUERIES,
        )
    )
    scenarios.append(
        Scenario(
            "制度落实 未达 走访每户 区",
            "dashboard",
            "zuzhibu",
            "/compliance/visits-household-term/",
            target_ms=DISTRICT_DASHBOARD_MS,
            max_queries=COMPLIANCE_QUERIES,
        )
    )
    # Issue 14: the unit rules per kind of unit (liaison/compliance/unit_kinds.py) — the table under the
    # compliance table (one more grouped statement) at a township's scope, and a unit rule's shortfalls
    # filtered to one kind (the same statements as the unfiltered list) at the district's.
    scenarios.append(
        Scenario(
            "制度落实 按单位类别 镇",
            "dashboard",
            "shuji",
            f"/compliance/?year={year}",
            target_ms=SECRETARY_DASHBOARD_MS,
            max_queries=COMPLIANCE_QUERIES,
        )
    )
    scenarios.append(
        Scenario(
            "制度落实 未达 联线 机关 区",
            "dashboard",
            "zuzhibu",
            f"/compliance/unit-line/?year={year}&unit_kind=organ",
            target_ms=DISTRICT_DASHBOARD_MS,
            max_queries=COMPLIANCE_QUERIES,
        )
    )

    # a village clerk's pages: compared between district sizes
    for name, url in (
        ("户 p1", "/households/"),
        ("搜索 首字母", "/households/?q=zs"),
        ("结对", "/pairings/"),
        ("群众意见", "/opinions/"),
        ("首页", "/"),
    ):
        scenarios.append(Scenario(f"经办人 {name}", "clerk", "jingban", url, target_ms=PAGE_MS))

    # exports and prints
    exports = [
        ("导出 户 村", "jingban", "/households/export.xlsx"),
        ("导出 户 镇", "shuji", "/households/export.xlsx"),
        ("导出 党员 区", "zuzhibu", "/members/export.xlsx"),
        ("导出 结对 区", "zuzhibu", "/pairings/export.xlsx"),
    ]
    if not quick:
        exports.append(("导出 户 区", "zuzhibu", "/households/export.xlsx"))
    for name, username, url in exports:
        job = export_is_job(User.objects.get(username=username), url)
        scenarios.append(Scenario(name, "export", username, url, kind="export", max_queries=None, job=job))
    register = urlencode({"organisation": village.pk, "start": f"{year}-01-01", "end": f"{year}-12-31"})
    scenarios.append(
        Scenario(
            "登记簿 xlsx 村 全年",
            "export",
            "jingban",
            f"/opinions/register/xlsx/?{register}",
            kind="export",
            max_queries=None,
        )
    )
    scenarios.append(
        Scenario(
            "登记簿 PDF 村 全年",
            "print",
            "jingban",
            f"/opinions/register/pdf/?{register}",
            kind="print",
            max_queries=None,
        )
    )
    # One record's prints: each two-part slip renders its two parts and stacks them (slips.py).
    from feedback.models import Assignment, Opinion
    from liaison.models import Household

    opinion = Opinion.objects.filter(organisation=village).order_by("-id").first()
    assignment = Assignment.objects.filter(opinion__organisation=village).order_by("-id").first()
    household = Household.objects.filter(organisation=village).order_by("id").first()
    singles = [
        ("户情卡 PDF", household and f"/households/{household.pk}/pdf/"),
        ("反馈单 PDF", opinion and f"/opinions/{opinion.pk}/feedback-slip/pdf/"),
        ("登记表 PDF 一条", opinion and f"/opinions/{opinion.pk}/pdf/"),
        ("交办单 PDF", assignment and f"/opinions/assignments/{assignment.pk}/pdf/"),
    ]
    singles.append(("承诺书 PDF 村", f"/commitments/pledge/{village.pk}/{year}/pdf/"))
    for name, url in singles:
        if url:
            scenarios.append(Scenario(name, "print", "jingban", url, kind="print", max_queries=None))
    if not quick:
        # Above REGISTER_ROWS_IN_REQUEST the view starts the job, which the harness's task backend
        # (settings_test: immediate) runs inside the request: this times the job printing the district's
        # year in parts (liaison.documents.parts). Its peak RSS: scripts/bench_register_pdf.py.
        district = Organisation.objects.filter(parent__isnull=True).order_by("path").first()
        whole = urlencode({"organisation": district.pk, "start": f"{year}-01-01", "end": f"{year}-12-31"})
        scenarios.append(
            Scenario(
                "登记簿 PDF 区 全年",
                "print",
                "zuzhibu",
                f"/opinions/register/pdf/?{whole}",
                kind="print",
                max_queries=None,
            )
        )
    scenarios += compliance_scenarios(pages, village, township, year)
    scenarios += visit_scenarios(pages, village, year)
    scenarios += report_scenarios(township, year)
    scenarios += reception_scenarios(pages, village, township, year, quick=quick)
    return scenarios


def export_is_job(user: User, url: str) -> bool:
    """Whether the list's export is a background job for this user: its rows, counted as its view
    counts them (with the filter in the url's querystring), above the view's in-request limit (read
    before runner.run lifts the limits)."""
    from django.conf import settings
    from django.http import QueryDict

    from liaison.reports.exports import opinion_queryset
    from liaison.selectors import household_list
    from members.selectors.pairings import pairing_list
    from members.selectors.people import member_list

    path, _, query = url.partition("?")

    def opinion_list(user: User):  # the export's rows, under the list's filter in its querystring
        return None, opinion_queryset(user=user, query=QueryDict(query))

    listed, limit = {
        "/households/export.xlsx": (household_list, settings.LIAISON_EXPORT_MAX_HOUSEHOLDS),
        "/members/export.xlsx": (member_list, settings.LIAISON_EXPORT_MAX_MEMBERS),
        "/pairings/export.xlsx": (pairing_list, settings.LIAISON_EXPORT_MAX_PAIRINGS),
        "/reports/opinions.xlsx": (opinion_list, settings.LIAISON_EXPORT_MAX_OPINIONS),
    }[path]
    return listed(user=user)[1].count() > limit


def report_scenarios(township: Organisation, year: int) -> list[Scenario]:
    """Issue 14: the annual workbook (whole district, one 镇街) and the opinion list's export. The
    workbook is measured as a print (memory and time: it is a background job above a village's size,
    and the harness lifts that limit to time the work itself); its query count is pinned at small scale
    in tests/test_bench_guard.py."""
    district = Organisation.objects.filter(parent__isnull=True).order_by("path").first()
    annual = [
        ("年度统计工作簿 区", "zuzhibu", district),
        ("年度统计工作簿 镇", "shuji", township),
    ]
    found = [
        Scenario(
            name,
            "print",
            username,
            f"/reports/annual.xlsx?{urlencode({'organisation': root.pk, 'year': year})}",
            kind="print",
            max_queries=None,
        )
        for name, username, root in annual
    ]
    for name, username, query in (
        ("导出 意见列表 区", "zuzhibu", ""),
        ("导出 意见列表 镇 逾期", "shuji", "?overdue=1"),
    ):
        url = f"/reports/opinions.xlsx{query}"
        job = export_is_job(User.objects.get(username=username), url)
        found.append(Scenario(name, "export", username, url, kind="export", max_queries=None, job=job))
    return found


def visit_scenarios(pages, village, year: int) -> list[Scenario]:
    """visits: the list at every scope, its searches, the entry screen, and the 民情日志 prints."""
    from visits.models import Visit

    pages("走访 /visits/ 区", "zuzhibu", "/visits/")
    pages("走访 /visits/ 镇", "shuji", "/visits/")
    pages("走访 /visits/ 村", "jingban", "/visits/")
    pages("走访 /visits/ 区 本年 限期办理", "zuzhibu", f"/visits/?year={year}&handling=deadline")
    found = [
        Scenario("搜索走访 首字母 zgh 区", "search", "zuzhibu", "/visits/?q=zgh", target_ms=SEARCH_MS),
        Scenario("搜索走访 姓名 国华 区", "search", "zuzhibu", "/visits/?q=国华", target_ms=SEARCH_MS),
        Scenario("搜索走访 全拼 zhang 镇", "search", "shuji", "/visits/?q=zhang", target_ms=SEARCH_MS),
        # A township's search for a rare name: its few matches lie scattered through the district's
        # visits, which a date-ordered page walks to find them.
        Scenario("搜索走访 首字母 zgh 镇", "search", "shuji", "/visits/?q=zgh", target_ms=SEARCH_MS),
        Scenario("搜索走访 姓名 张伟 镇", "search", "shuji", "/visits/?q=张伟", target_ms=SEARCH_MS),
        Scenario("走访 五必访 /visits/events/ 区", "list", "zuzhibu", "/visits/events/", target_ms=PAGE_MS),
        Scenario("录入走访 /visits/new/", "clerk", "jingban", "/visits/new/", target_ms=PAGE_MS),
        Scenario("经办人 走访", "clerk", "jingban", "/visits/", target_ms=PAGE_MS),
        # The Excel import of visits: its page (the log); upload to commit is timed by
        # scripts/bench_visit_import.py (10,000 rows, the jobs' work, outside a request).
        Scenario("走访 Excel 导入 /visits/import/", "clerk", "jingban", "/visits/import/", target_ms=PAGE_MS),
        Scenario(
            "民情日志 空白页 PDF", "print", "jingban", "/visits/blank/pdf/", kind="print", max_queries=None
        ),
    ]
    latest = Visit.objects.filter(organisation=village).order_by("-visited_on", "-id").first()
    if latest is not None:
        found.append(
            Scenario(
                "录入走访 户情预填",
                "clerk",
                "jingban",
                f"/visits/new/household/{latest.household_id}/",
                target_ms=PAGE_MS,
            )
        )
        found.append(Scenario("走访详情", "clerk", "jingban", f"/visits/{latest.pk}/", target_ms=PAGE_MS))
        found.append(
            Scenario(
                "民情日志 PDF 一篇",
                "print",
                "jingban",
                f"/visits/{latest.pk}/pdf/",
                kind="print",
                max_queries=None,
            )
        )
        found.append(
            Scenario(
                "民情日志 PDF 家访人全年",
                "print",
                "jingban",
                f"/visits/booklet/pdf/?visitor={latest.visitor_id}&year={year}",
                kind="print",
                max_queries=None,
            )
        )
    return found


def compliance_scenarios(pages, village, township, year: int) -> list[Scenario]:
    """visits/compliance: coverage per term (district table in SQL aggregates), the drill-down to the
    households short of visits, personal quotas, the 民情分析会 grid, talks, stays and terms."""
    pages("走访落实 两委届期 /visits/terms/ 区", "zuzhibu", "/visits/terms/")
    pages("走访落实 民情分析会 /visits/meetings/ 区", "zuzhibu", f"/visits/meetings/?year={year}")
    pages("走访落实 谈心谈话 /visits/talks/ 区", "zuzhibu", f"/visits/talks/?year={year}")
    pages("走访落实 驻村调研 /visits/research/ 区", "zuzhibu", f"/visits/research/?year={year}")
    pages("走访落实 个人定额 /visits/quotas/ 区", "zuzhibu", f"/visits/quotas/?year={year}")
    pages("走访落实 个人定额 未达标 区", "zuzhibu", f"/visits/quotas/?year={year}&short=1")
    return [
        Scenario(
            "走访覆盖 /visits/coverage/ 区", "list", "zuzhibu", "/visits/coverage/", target_ms=COVERAGE_MS
        ),
        Scenario(
            "走访覆盖 镇",
            "list",
            "zuzhibu",
            f"/visits/coverage/?township={township.pk}",
            target_ms=COVERAGE_MS,
        ),
        Scenario("走访覆盖 镇（书记）", "list", "shuji", "/visits/coverage/", target_ms=COVERAGE_MS),
        Scenario(
            "走访覆盖 村 不足户", "list", "jingban", f"/visits/coverage/{village.pk}/", target_ms=PAGE_MS
        ),
        Scenario(
            "走访覆盖 村 全部户",
            "list",
            "jingban",
            f"/visits/coverage/{village.pk}/?show=all",
            target_ms=PAGE_MS,
        ),
        Scenario(
            "民情分析会 村 全年",
            "list",
            "jingban",
            f"/visits/meetings/village/{village.pk}/",
            target_ms=PAGE_MS,
        ),
    ]


def reception_scenarios(pages, village, township, year: int, *, quick: bool = False) -> list[Scenario]:
    """feedback receptions (issue 15): the session and reception lists, the visitor search, the 接待群众
    记录本 (one receiver's month, a village's year), and /public/ with its 公告, without a login."""
    from feedback.models import Reception, ReceptionSession

    pages("接待日 /receptions/sessions/ 区", "zuzhibu", "/receptions/sessions/")
    pages("接待日 /receptions/sessions/ 镇", "shuji", "/receptions/sessions/")
    pages("接待登记 /receptions/ 区", "zuzhibu", "/receptions/")
    pages("接待登记 /receptions/ 村", "jingban", "/receptions/")
    found = []
    sample = Reception.objects.filter(organisation=village).order_by("id").first()
    if sample is not None:
        found += [
            Scenario(
                "搜索接待 姓名 区",
                "search",
                "zuzhibu",
                f"/receptions/?{urlencode({'q': sample.visitor_name})}",
                target_ms=SEARCH_MS,
            ),
            Scenario(
                "搜索接待 首字母 区",
                "search",
                "zuzhibu",
                f"/receptions/?{urlencode({'q': sample.visitor_initials.strip()[:2] or 'zs'})}",
                target_ms=SEARCH_MS,
            ),
            Scenario(
                "搜索接待 电话 区",
                "search",
                "zuzhibu",
                f"/receptions/?{urlencode({'q': sample.visitor_phone})}",
                target_ms=SEARCH_MS,
            ),
            Scenario(
                "来访人 姓名 回头客 村",
                "search",
                "jingban",
                f"/receptions/visitors/?{urlencode({'q': sample.visitor_name})}",
                target_ms=SEARCH_MS,
            ),
        ]
        month = sample.received_on.replace(day=1)
        month_end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        one_receiver = urlencode(
            {
                "organisation": village.pk,
                "receiver": sample.receiver_id,
                "start": month.isoformat(),
                "end": month_end.isoformat(),
            }
        )
        found.append(
            Scenario(
                "接待群众记录本 PDF 接待人一月",
                "print",
                "jingban",
                f"/receptions/register/pdf/?{one_receiver}",
                kind="print",
                max_queries=None,
            )
        )
        if not quick:
            village_year = urlencode(
                {"organisation": village.pk, "start": f"{year}-01-01", "end": f"{year}-12-31"}
            )
            found.append(
                Scenario(
                    "接待群众记录本 PDF 村 全年",
                    "print",
                    "jingban",
                    f"/receptions/register/pdf/?{village_year}",
                    kind="print",
                    max_queries=None,
                )
            )
    found += [
        Scenario("公开 /public/ 全区（未登录）", "list", "", "/public/", target_ms=PAGE_MS),
        Scenario("公开 /public/ 镇（未登录）", "list", "", f"/public/?org={township.pk}", target_ms=PAGE_MS),
        Scenario("公开 /public/ 村（未登录）", "list", "", f"/public/?org={village.pk}", target_ms=PAGE_MS),
    ]
    session = ReceptionSession.objects.published().filter(organisation=township).order_by("-date").first()
    if session is not None:
        found.append(
            Scenario(
                "公告 PDF 镇 一月（未登录）",
                "print",
                "",
                f"/public/receptions/{township.pk}/{session.date.year}/{session.date.month}/pdf/",
                kind="print",
                max_queries=None,
            )
        )
    return found
