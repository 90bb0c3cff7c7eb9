"""Crawl every page, form, lookup, export and PDF as each masked role, and find no full phone or ID number
from the database (issue 8: "Enforce masking in one place … so that a new page cannot forget it").

The routes are enumerated from the URLconf: each named route is either in COVERED (with the URLs that
exercise it on the demo district's records) or in IGNORED (with the reason). A new route in neither
fails `test_every_route_is_crawled_or_ignored`: say how the crawl reaches it, or why it need not.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from commitments import scope as commitment_scope
from commitments.models import ProgressNote
from feedback import services as feedback_services
from feedback.models import Assignment, Extension, Opinion, Urge
from feedback.scope import visible_opinions, visible_receptions, visible_sessions
from feedback.states import Action, allowed
from liaison.access import privacy
from liaison.access.scoping import scoped, visible_organisations
from liaison.models import Household, Job, Organisation, QuotaRule, Resident, User, WorkCalendarYear
from liaison.panels import dashboard_panels
from members.scope import (
    visible_assignments,
    visible_members,
    visible_pairings,
    visible_points,
    visible_posts,
    visible_unit_pairings,
)
from tests.pdf_utils import pdf_text, response_bytes
from visits.compliance import meetings
from visits.compliance import scope as compliance_scope
from visits.scope import visible_events, visible_visits

MASKED_PERSONAS = ["zhenjie", "zuzhibu"]  # 镇街管理员 (南泉街道) and 组织部 of the demo district


@dataclass
class Crawl:
    user: User
    year: int

    def first(self, queryset):
        return queryset.order_by("pk").first()

    def household(self) -> Household | None:
        with_id = Resident.objects.exclude(id_number="").values("household")
        return self.first(scoped(Household.objects.exclude(phone="").filter(pk__in=with_id), self.user))

    def opinion(self) -> Opinion | None:
        with_phone = visible_opinions(self.user).exclude(reporter_phone="")
        return self.first(with_phone.filter(events__kind="edit").distinct()) or self.first(with_phone)

    def reception(self):
        return self.first(visible_receptions(self.user).exclude(visitor_phone=""))

    def session(self):
        return self.first(visible_sessions(self.user).exclude(status="draft"))

    def commitment(self):
        return self.first(commitment_scope.visible_commitments(self.user).filter(votes__isnull=False))

    def member(self):
        return self.first(visible_members(self.user).exclude(phone="").exclude(id_number=""))

    def grassroots(self) -> Organisation | None:
        return self.first(
            visible_organisations(self.user).filter(
                level__in=[Organisation.Level.VILLAGE, Organisation.Level.COMMUNITY], opinions__isnull=False
            )
        )


def _pk(record) -> list:
    return [record.pk] if record is not None else []


def one(name: str, get: Callable[[Crawl], object]) -> Callable[[Crawl], list[str]]:
    """The route for one record the persona may see (none: the route is not reached by this persona)."""
    return lambda c: [reverse(name, args=_pk(record)) for record in [get(c)] if record is not None]


def plain(name: str, *queries: str) -> Callable[[Crawl], list[str]]:
    url = reverse(name)
    return lambda c: [url, *(f"{url}?{q}" for q in queries)]


def searches(name: str, numbers: Callable[[Crawl], list[str]]) -> Callable[[Crawl], list[str]]:
    """The list or lookup, then searched by fragments and by complete numbers of records in scope."""
    url = reverse(name)

    def urls(c: Crawl) -> list[str]:
        found = [url, f"{url}?q=王"]
        for number in numbers(c):
            found += [
                f"{url}?q={number[:3]}",
                f"{url}?q={number[:7]}",
                f"{url}?q={number[-6:]}",
                f"{url}?q={number}",
            ]
        return found

    return urls


def household_numbers(c: Crawl) -> list[str]:
    h = c.household()
    if h is None:
        return []
    resident = h.residents.exclude(id_number="").first()
    return [h.phone, resident.id_number]


def member_numbers(c: Crawl) -> list[str]:
    m = c.member()
    return [m.phone, m.id_number] if m else []


def opinion_numbers(c: Crawl) -> list[str]:
    o = c.opinion()
    return [o.reporter_phone] if o else []


def reception_numbers(c: Crawl) -> list[str]:
    r = c.reception()
    return [r.visitor_phone] if r else []


def reception_register(name: str) -> Callable[[Crawl], list[str]]:
    def urls(c: Crawl) -> list[str]:
        r = c.reception()
        if r is None:
            return [reverse(name)]
        year = r.received_on.year
        return [
            f"{reverse(name)}?organisation={r.organisation_id}&year={year}",
            f"{reverse(name)}?organisation={r.organisation_id}&receiver={r.receiver_id}&year={year}",
        ]

    return urls


def visit_of(c: Crawl):
    """A visit whose snapshot carries a phone, of a household with someone working away (a second phone)."""
    with_phone = visible_visits(c.user).exclude(phone="")
    return c.first(with_phone.filter(members__is_away=True).distinct()) or c.first(with_phone)


def visit_numbers(c: Crawl) -> list[str]:
    v = visit_of(c)
    return [v.phone] if v else []


def booklet(c: Crawl) -> list[str]:
    v = visit_of(c)
    return [f"{reverse('visit-booklet-pdf')}?visitor={v.visitor_id}&year={v.visited_on.year}"] if v else []


def register(name: str) -> Callable[[Crawl], list[str]]:
    def urls(c: Crawl) -> list[str]:
        org = c.grassroots()
        if org is None:
            return [reverse(name)]
        return [f"{reverse(name)}?organisation={org.pk}&start={c.year}-01-01&end={c.year}-12-31"]

    return urls


def persona_job(c: Crawl):
    """A 登记簿 printed as a background job by the persona (it runs at once in tests)."""
    from liaison.jobs.services import job_start

    org = c.grassroots()
    if org is None:
        return None
    return Job.objects.filter(user=c.user).first() or job_start(
        user=c.user,
        kind="feedback.register_pdf",
        title="群众意见办理情况登记簿",
        params={"organisation": str(org.pk), "start": f"{c.year}-01-01", "end": f"{c.year}-12-31"},
    )


def job_route(name: str) -> Callable[[Crawl], list[str]]:
    return lambda c: [reverse(name, args=[job.token]) for job in [persona_job(c)] if job is not None]


def opinion_action(name: str) -> Callable[[Crawl], list[str]]:
    return one(name, lambda c: c.opinion())


COVERED: dict[str, Callable[[Crawl], list[str]]] = {
    "dashboard": plain("dashboard", "full=1"),
    "dashboard-panel": lambda c: [reverse("dashboard-panel", args=[i]) for i in range(len(dashboard_panels))],
    "dashboard-section": lambda c: [
        reverse("dashboard-section", args=[n]) for n in ("compliance", "trends", "receptions")
    ],
    "compliance": lambda c: [
        reverse("compliance"),
        *(f"{reverse('compliance')}?organisation={o.pk}" for o in [c.grassroots()] if o),
    ],
    # who falls short: households (coverage), pairings, opinions, unit pairings, posts
    "compliance-rule": lambda c: [
        reverse("compliance-rule", args=[key])
        for key in (
            "visits-household-term",
            "pairing-visits",
            "opinions-on-time",
            "unit-member",
            "talks-leader",
        )
    ],
    "healthz": plain("healthz"),
    "login": plain("login"),
    "logout": plain("logout"),
    "favicon.ico": lambda c: ["/favicon.ico"],
    # households
    "household-list": searches("household-list", household_numbers),
    "household-create": plain("household-create"),
    "household-export": plain("household-export"),
    "household-detail": one("household-detail", Crawl.household),
    "household-update": one("household-update", Crawl.household),
    "household-pdf": one("household-pdf", Crawl.household),
    "household-archived": plain("household-archived"),
    "household-archive": one("household-archive", Crawl.household),
    "household-purge": one("household-purge", Crawl.household),
    # configuration
    "quota-list": plain("quota-list"),
    "quota-edit": one("quota-edit", lambda c: QuotaRule.objects.first()),
    "quota-history": one("quota-history", lambda c: QuotaRule.objects.first()),
    "quota-local-create": one("quota-local-create", lambda c: QuotaRule.objects.first()),
    "calendar-list": plain("calendar-list"),
    "calendar-create": plain("calendar-create"),
    "calendar-year": lambda c: [
        reverse("calendar-year", args=[y.year]) for y in WorkCalendarYear.objects.all()[:1]
    ],
    "calendar-edit": lambda c: [
        reverse("calendar-edit", args=[y.year]) for y in WorkCalendarYear.objects.all()[:1]
    ],
    "accesslog-list": plain("accesslog-list", "kind=view"),
    # background jobs
    "job-list": lambda c: [reverse("job-list") for _ in [persona_job(c)]],
    "job-detail": job_route("job-detail"),
    "job-status": job_route("job-status"),
    "job-download": job_route("job-download"),
    # members
    "member-list": searches("member-list", member_numbers),
    "member-create": plain("member-create"),
    "member-export": plain("member-export"),
    "members-member-lookup": searches("members-member-lookup", member_numbers),
    "members-household-lookup": searches("members-household-lookup", household_numbers),
    "member-detail": one("member-detail", Crawl.member),
    "member-update": one("member-update", Crawl.member),
    "pairing-list": plain("pairing-list"),
    "pairing-create": plain("pairing-create"),
    "pairing-export": plain("pairing-export"),
    "pairing-cards-pdf": lambda c: [
        f"{reverse('pairing-cards-pdf')}?organisation={p.household.organisation_id}"
        for p in [c.first(visible_pairings(c.user))]
        if p
    ],
    "pairing-detail": one("pairing-detail", lambda c: c.first(visible_pairings(c.user))),
    "pairing-update": one("pairing-update", lambda c: c.first(visible_pairings(c.user))),
    "pairing-pdf": one("pairing-pdf", lambda c: c.first(visible_pairings(c.user))),
    "unitpairing-list": plain("unitpairing-list"),
    "unitpairing-create": plain("unitpairing-create"),
    "unitpairing-detail": one("unitpairing-detail", lambda c: c.first(visible_unit_pairings(c.user))),
    "unitpairing-update": one("unitpairing-update", lambda c: c.first(visible_unit_pairings(c.user))),
    "unitrecord-create": one("unitrecord-create", lambda c: c.first(visible_unit_pairings(c.user))),
    "coverage": plain("coverage"),
    "point-list": plain("point-list"),
    "point-create": plain("point-create"),
    "point-detail": one("point-detail", lambda c: c.first(visible_points(c.user))),
    "point-update": one("point-update", lambda c: c.first(visible_points(c.user))),
    "point-contact-create": one("point-contact-create", lambda c: c.first(visible_points(c.user))),
    "post-list": plain("post-list"),
    "post-create": plain("post-create"),
    "post-standard": plain("post-standard"),
    "post-detail": one("post-detail", lambda c: c.first(visible_posts(c.user))),
    "post-update": one("post-update", lambda c: c.first(visible_posts(c.user))),
    "post-assign": one("post-assign", lambda c: c.first(visible_posts(c.user))),
    "post-holder-update": one("post-holder-update", lambda c: c.first(visible_assignments(c.user))),
    "post-holder-report": one("post-holder-report", lambda c: c.first(visible_assignments(c.user))),
    "import-home": plain("import-home"),
    "import-template": plain("import-template"),
    "import-upload": plain("import-upload"),
    "visit-import-home": plain("visit-import-home"),
    "visit-import-template": plain("visit-import-template"),
    "visit-import-upload": plain("visit-import-upload"),
    # feedback
    "opinion-list": searches("opinion-list", opinion_numbers),
    "report-index": plain("report-index"),
    "report-annual-xlsx": lambda c: [
        f"{reverse('report-annual-xlsx')}?organisation={org.pk}&year={datetime.date.today().year}"
        for org in [c.grassroots()]
        if org is not None
    ],
    "report-opinions-xlsx": searches("report-opinions-xlsx", opinion_numbers),
    "opinion-create": plain("opinion-create"),
    "opinion-due-dates": plain("opinion-due-dates", "received_on=2026-03-03"),
    "opinion-register": register("opinion-register"),
    "opinion-register-pdf": register("opinion-register-pdf"),
    "opinion-register-xlsx": register("opinion-register-xlsx"),
    "opinion-detail": opinion_action("opinion-detail"),
    "opinion-update": opinion_action("opinion-update"),
    "opinion-pdf": opinion_action("opinion-pdf"),
    "opinion-feedback-slip-pdf": opinion_action("opinion-feedback-slip-pdf"),
    "opinion-start": opinion_action("opinion-start"),
    "opinion-result": opinion_action("opinion-result"),
    "opinion-feedback": opinion_action("opinion-feedback"),
    "opinion-close": opinion_action("opinion-close"),
    "opinion-reopen": opinion_action("opinion-reopen"),
    "opinion-assign": opinion_action("opinion-assign"),
    "opinion-urge": opinion_action("opinion-urge"),
    "opinion-extension": opinion_action("opinion-extension"),
    "opinion-case": opinion_action("opinion-case"),
    "opinion-transfer": opinion_action("opinion-transfer"),
    "opinion-transfer-accept": opinion_action("opinion-transfer-accept"),
    "assignment-receive": one(
        "assignment-receive",
        lambda c: c.first(Assignment.objects.filter(opinion__in=visible_opinions(c.user).values("pk"))),
    ),
    "assignment-pdf": one(
        "assignment-pdf",
        lambda c: c.first(Assignment.objects.filter(opinion__in=visible_opinions(c.user).values("pk"))),
    ),
    "urge-answer": one(
        "urge-answer",
        lambda c: c.first(Urge.objects.filter(opinion__in=visible_opinions(c.user).values("pk"))),
    ),
    "extension-decide": one(
        "extension-decide",
        lambda c: c.first(Extension.objects.filter(opinion__in=visible_opinions(c.user).values("pk"))),
    ),
    # visits: terms, coverage, quotas, 民情分析会, 谈心谈话, 驻村调研
    "visit-coverage": lambda c: [
        reverse("visit-coverage"),
        *(f"{reverse('visit-coverage')}?township={o.parent_id}" for o in [c.grassroots()] if o),
    ],
    "visit-coverage-village": lambda c: [
        f"{reverse('visit-coverage-village', args=[o.pk])}?show={show}"
        for o in [c.grassroots()]
        if o
        for show in ("short", "all")
    ],
    "yearly-duties": plain("yearly-duties", "short=1", "kind=delegate"),
    "term-list": plain("term-list"),
    "term-create": plain("term-create"),
    "term-update": one("term-update", lambda c: c.first(compliance_scope.visible_terms(c.user))),
    "meeting-list": plain("meeting-list"),
    "meeting-create": lambda c: [
        reverse("meeting-create"),
        *(
            f"{reverse('meeting-create')}?organisation={m.organisation_id}&month={m.month:%Y-%m}"
            for m in [c.first(meetings.visible_meetings(c.user))]
            if m
        ),
    ],
    "meeting-year": one("meeting-year", Crawl.grassroots),
    "meeting-detail": one("meeting-detail", lambda c: c.first(meetings.visible_meetings(c.user))),
    "meeting-update": one("meeting-update", lambda c: c.first(meetings.visible_meetings(c.user))),
    "talk-list": plain("talk-list"),
    "talk-create": plain("talk-create"),
    "talk-detail": one("talk-detail", lambda c: c.first(compliance_scope.visible_talks(c.user))),
    "talk-update": one("talk-update", lambda c: c.first(compliance_scope.visible_talks(c.user))),
    "research-list": plain("research-list", f"year={datetime.date.today().year - 1}"),
    "research-create": plain("research-create"),
    "research-detail": one("research-detail", lambda c: c.first(compliance_scope.visible_research(c.user))),
    "research-update": one("research-update", lambda c: c.first(compliance_scope.editable_research(c.user))),
    "report-create": plain("report-create"),
    "report-file": one("report-file", lambda c: c.first(compliance_scope.visible_reports(c.user))),
    # receptions (附件1) and reception sessions (接待日)
    "reception-list": searches("reception-list", reception_numbers),
    "reception-create": plain("reception-create"),
    "reception-visitor-lookup": searches("reception-visitor-lookup", reception_numbers),
    "reception-receiver-lookup": plain("reception-receiver-lookup", "q=李", "q=ls"),
    "reception-detail": one("reception-detail", Crawl.reception),
    "reception-update": one("reception-update", Crawl.reception),
    "reception-pdf": one("reception-pdf", Crawl.reception),
    "reception-register": reception_register("reception-register"),
    "reception-register-pdf": reception_register("reception-register-pdf"),
    "reception-blank-pdf": plain("reception-blank-pdf", "cover=1"),
    "session-list": plain("session-list", "status=published"),
    "session-create": plain("session-create"),
    "session-generate": plain("session-generate"),
    "session-compliance": plain("session-compliance"),
    "session-detail": one("session-detail", Crawl.session),
    "session-update": one("session-update", Crawl.session),
    # the public pages (no login; also checked anonymously against every name and number in
    # feedback/tests/test_public.py)
    "public-home": lambda c: (
        [reverse("public-home")]
        + [
            f"{reverse('public-home')}?org={pk}"
            for pk in visible_organisations(c.user).values_list("pk", flat=True)[:12]
        ]
    ),
    "public-reception-notice-pdf": lambda c: [
        reverse("public-reception-notice-pdf", args=[s.organisation_id, s.date.year, s.date.month])
        for s in [c.session()]
        if s is not None
    ],
    # visits
    "visit-list": searches("visit-list", visit_numbers),
    "visit-create": lambda c: [
        reverse("visit-create"),
        *(f"{reverse('visit-create')}?household={h.pk}" for h in [c.household()] if h),
    ],
    "visit-household-section": one("visit-household-section", Crawl.household),
    "visit-detail": one("visit-detail", visit_of),
    "visit-update": one("visit-update", visit_of),
    "visit-pdf": one("visit-pdf", visit_of),
    "visit-booklet-pdf": booklet,
    "visit-blank-pdf": plain("visit-blank-pdf"),
    "event-list": plain("event-list", "state=all"),
    "event-create": lambda c: [
        reverse("event-create"),
        *(
            f"{reverse('event-create')}?household={e.household_id}"
            for e in [c.first(visible_events(c.user))]
            if e
        ),
    ],
    # commitments
    "commitment-list": plain("commitment-list", "year=2026", "q=道路", "state=published"),
    "commitment-create": plain("commitment-create"),
    **{
        name: one(name, Crawl.commitment)
        for name in (
            "commitment-detail",
            "commitment-update",
            "commitment-comment",
            "commitment-vote",
            "commitment-approve",
            "commitment-refuse",
            "commitment-publish",
            "commitment-progress",
            "commitment-revise",
            "commitment-withdraw",
        )
    },
    "progress-evidence": one(
        "progress-evidence",
        lambda c: c.first(
            ProgressNote.objects.exclude(evidence="").filter(
                commitment__in=commitment_scope.visible_commitments(c.user).values("pk")
            )
        ),
    ),
    "commitment-pledge-pdf": lambda c: [
        reverse("commitment-pledge-pdf", args=[org.pk, c.year - 1]) for org in [c.grassroots()] if org
    ],
    "inspection-list": plain("inspection-list", "year=2025"),
    "inspection-create": lambda c: [
        f"{reverse('inspection-create')}?organisation={org.pk}" for org in [c.grassroots()] if org
    ],
    "inspection-detail": one(
        "inspection-detail", lambda c: c.first(commitment_scope.visible_inspections(c.user))
    ),
    "assessment-list": plain("assessment-list", "final_grade=fail"),
    "assessment-create": lambda c: [
        f"{reverse('assessment-create')}?organisation={org.pk}&year={c.year}"
        for org in [c.grassroots()]
        if org
    ],
    **{
        name: one(name, lambda c: c.first(commitment_scope.visible_assessments(c.user)))
        for name in (
            "assessment-detail",
            "assessment-tallies",
            "assessment-check",
            "assessment-finalise",
            "assessment-publish",
        )
    },
    "personal-list": searches("personal-list", member_numbers),
    "personal-create": plain("personal-create"),
    "personal-update": one("personal-update", lambda c: c.first(commitment_scope.visible_personal(c.user))),
    "personal-review": one("personal-review", lambda c: c.first(commitment_scope.visible_personal(c.user))),
}

IGNORED: dict[str, str] = {
    "session-publish": "POST only: publishes drafts and redirects to the schedule list",
    "session-outcome": "POST only: records held or missed and redirects to the session page",
    "session-delete": "POST only: removes a draft and redirects",
    "household-restore": "POST only: restores an archived household and redirects to its page",
    "household-purge-due": "POST only (组织部): removes what is past the retention period and redirects",
    "resident-archive": "the form shows only the resident's name and the archive fields; no number",
    "resident-restore": "POST only: restores an archived resident and redirects to the household page",
    "admin:*": "the Django admin is for staff; masked roles are not staff (test_admin_is_closed_to_masked_roles)",
    "import-preview": "shows the uploader's own workbook before it is saved; its token is the uploader's alone",
    "import-commit": "POST only: saves the uploader's workbook and redirects",
    "import-discard": "POST only: drops the uploader's workbook and redirects",
    "visit-import-preview": "the uploader's own visits workbook before it is saved (names of 家访人 and 户主, "
    "no number); its token is the uploader's alone",
    "visit-import-commit": "POST only: saves the uploader's visits workbook and redirects",
    "visit-import-discard": "POST only: drops the uploader's visits workbook and redirects",
    "password-change": "the user's own password form: old and new password boxes, no resident's data",
    "job-retry": "POST only: starts the same job again for the asking user and redirects to its page",
    "keepalive": "an empty 204 that only restarts the idle clock (liaison.access.sessions)",
}


def _routes(patterns, prefix: str = "", namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace:
                names.add(f"{pattern.namespace}:*")
                continue
            names |= _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else prefix + str(pattern.pattern))
    return names


def test_every_route_is_crawled_or_ignored():
    routes = _routes(get_resolver().url_patterns)
    assert not set(COVERED) & set(IGNORED)
    missing = routes - set(COVERED) - set(IGNORED)
    stale = (set(COVERED) | set(IGNORED)) - routes
    assert not missing, (
        f"add these routes to COVERED (how to reach them) or IGNORED (why not): {sorted(missing)}"
    )
    assert not stale, f"these routes no longer exist: {sorted(stale)}"


# -- reading what a response shows ---------------------------------------------------------------------


def shown_text(response) -> str:
    content_type = response.get("Content-Type", "")
    body = response_bytes(response)
    if content_type.startswith("application/pdf"):
        return pdf_text(body)
    if "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return body.decode("utf-8", errors="replace")


def personal_numbers() -> set[str]:
    """Every phone and ID number the database holds, as stored and as bare digits.

    Less the working phones of the cadres and offices (a user's own, an organisation's): a village
    clerk who is a party member has one phone, masked on the member's page and printed in full on a
    交办单 as the contact to call; that is the number's purpose there (privacy.NOT_PERSONAL)."""
    from django.apps import apps

    numbers: set[str] = set()
    for label, fields in privacy.PERSONAL_FIELDS.items():
        for values in apps.get_model(label).objects.values_list(*fields):
            for value in values:
                if value:
                    numbers |= {value, value.replace("-", "")}
    working = set(User.objects.exclude(phone="").values_list("phone", flat=True))
    working |= set(Organisation.objects.exclude(phone="").values_list("phone", flat=True))
    return numbers - working - {number.replace("-", "") for number in working}


_WHITESPACE = re.compile(r"\s+")


def leaked(text: str, numbers: set[str]) -> set[str]:
    # PDFs wrap a number across lines: compare without any whitespace.
    compact = _WHITESPACE.sub("", text)
    return {number for number in numbers if number in compact}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    # Every opinion's history gets a changed reporter phone ("old → new"), the case of issue 8.
    for opinion in Opinion.objects.exclude(reporter_phone=""):
        if not allowed(opinion.state, Action.EDIT):
            continue
        feedback_services.opinion_update(
            user=admin, opinion=opinion.pk, version=opinion.version, reporter_phone=f"139{opinion.pk:08d}"
        )
    return admin


def test_no_full_number_on_any_page_for_masked_roles(demo):
    numbers = personal_numbers()
    assert len(numbers) > 1000  # the demo district: households, residents, members, opinions
    leaks: dict[str, set[str]] = {}
    reached: set[str] = set()
    visited = 0
    for username in MASKED_PERSONAS:
        user = User.objects.get(username=username)
        assert not privacy.can_see_personal_data(user)
        client = Client()
        client.force_login(user)
        crawl = Crawl(user=user, year=datetime.date.today().year)
        for name, urls_of in COVERED.items():
            urls = urls_of(crawl)
            if urls:
                reached.add(name)
            for url in urls:
                response = client.get(url)
                assert response.status_code < 500, (username, url)
                visited += 1
                # A search box shows back what the user typed in it: that number is theirs already.
                found = leaked(shown_text(response), numbers) - leaked(url, numbers)
                if found:
                    leaks[f"{username} {url}"] = found
    assert not leaks, {where: sorted(found)[:3] for where, found in leaks.items()}
    # A route whose records neither persona can see is a route the crawl did not check.
    assert set(COVERED) - reached == set()
    assert visited >= 2 * len(COVERED)


def test_admin_is_closed_to_masked_roles(db, township_admin, org_dept):
    for user in (township_admin, org_dept):
        client = Client()
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        response = client.get(reverse("admin:liaison_household_changelist"))
        assert response.status_code == 302


def test_the_crawl_finds_a_leak(demo):
    """The crawl's own check: a number on a page is found, masked or wrapped across lines."""
    numbers = personal_numbers()
    household = Household.objects.exclude(phone="").first()
    assert leaked(f"<td>{household.phone}</td>", numbers) == {
        household.phone,
        household.phone.replace("-", ""),
    }
    assert leaked(f"{household.phone[:5]}\n{household.phone[5:]}", numbers)
    assert not leaked(f"<td>{privacy.mask_phone(household.phone)}</td>", numbers)
