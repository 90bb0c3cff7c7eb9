"""Hostile values into every field of every create and edit form: never a 500, nothing saved.

Each form is opened as its user would open it, its fields read from the HTML, and then posted once per
field and hostile value, every other field keeping what the page offered. After each post: the answer
is not a server error, and no domain row changed (a value that is plain text for a free-text field,
like "9999-12-31" in an address, may be saved; control characters, NUL and overlong text never are).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from feedback.tests.factories import answer, register
from liaison.access import sessions
from liaison.models import HouseholdTag, QuotaRule, Role
from liaison.models.access_log import AccessLog
from liaison.widgets import SEARCH_SUFFIX
from members.models import LiaisonPoint, Post, PostAssignment
from members.tests.factories import MemberFactory, branch, id_number, pairing, poor, unit_pairing
from tests.factories import OrganisationFactory, UserFactory

HUGE = "99999999999999999999999"
CONTROL, NUL, LONG = "桂花\x01村\x1b", "王\x00喆", "长" * 20001
# What each kind of field gets: a free-text box takes any printable text (a "9999-12-31" address is
# text), so it gets the characters no text may hold and a length no box allows; every other field
# (choices, ids, dates, numbers, hidden tokens) also gets huge ids and implausible dates.
HOSTILE = {
    "text": {"control": CONTROL, "nul": NUL, "long": LONG},
    "value": {
        "control": CONTROL,
        "nul": NUL,
        "huge": HUGE,
        "far-future": "9999-12-31",
        "year-one": "0001-01-01",
    },
    "check": {"control": CONTROL, "nul": NUL},
}
DOMAIN_APPS = ("liaison", "members", "feedback")


class _Fields(HTMLParser):
    """The form's fields with their kind: text (free text), check (checkbox/radio) or value."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, object] = {}
        self.kinds: dict[str, str] = {}
        self._select: str | None = None
        self._multiple = False
        self._textarea: str | None = None
        self._template = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._template += 1
        name = a.get("name")
        if self._template or not name and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file") or name == "csrfmiddlewaretoken":
                return
            if kind in ("checkbox", "radio"):
                self.kinds[name] = "check"
                if "checked" in a:
                    if kind == "checkbox":
                        self.values.setdefault(name, []).append(a.get("value", "on"))
                    else:
                        self.values[name] = a.get("value", "on")
                return
            free = kind in ("text", "search") and a.get("inputmode") not in ("numeric", "decimal", "tel")
            self.kinds[name] = "text" if free else "value"
            self.values[name] = a.get("value", "")
        elif tag == "select":
            self._select, self._multiple = name, "multiple" in a
            self.kinds[name] = "value"
            self.values.setdefault(name, [] if self._multiple else "")
        elif tag == "option" and self._select and "selected" in a:
            if self._multiple:
                self.values[self._select].append(a.get("value", ""))
            else:
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.kinds[name] = "text"
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and not self._template:
            self.values[self._textarea] += data


def read_form(html: str) -> _Fields:
    parser = _Fields()
    parser.feed(html)
    return parser


def fingerprint() -> object:
    """Equal before and after a request means no record was written: SQLite counts every row changed
    on the connection (less the access log's rows: showing a full number is logged, by design);
    elsewhere every row of every domain table but the access log is hashed."""
    if connection.vendor == "sqlite":
        return connection.connection.total_changes - AccessLog.objects.count()
    digest = hashlib.sha256()
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if model is AccessLog:
                continue
            for row in model.objects.order_by("pk").values_list():
                digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def world(tree, township_secretary, org_dept, clerk_a):
    """One record of each kind in 桂花村, and the people who edit them."""
    branch_a = branch(tree["village_a"], "桂花村第一党支部", "js-gh-1")
    unit = OrganisationFactory(
        name="区农业农村委机关党委", code="nync", level="unit", parent=tree["district"]
    )
    member = MemberFactory(
        organisation=branch_a, name="张德明", id_number=id_number(datetime.date(1975, 5, 4), 111)
    )
    from tests.factories import household_with_head

    household = poor(
        household_with_head(organisation=tree["village_a"], head_name="王喆", address="桂花村三组12号")
    )
    HouseholdTag.objects.get_or_create(name="贫困户", defaults={"is_poor": True})
    paired = pairing(household, member)
    line = unit_pairing("line", unit, target_organisation=tree["village_a"])
    point = LiaisonPoint.objects.create(
        leader=member, organisation=tree["village_a"], started_on=datetime.date(2025, 1, 1)
    )
    post = Post.objects.create(organisation=branch_a, name="政策宣传岗", responsibilities="宣传政策")
    holder = PostAssignment.objects.create(post=post, member=member, start_date=datetime.date(2025, 1, 1))
    handler = UserFactory(username="handler", role=Role.CLERK, organisation=branch_a, full_name="张经办")
    registered = register(township_secretary, tree["village_a"], received_on=datetime.date(2026, 3, 3))
    answered = answer(
        township_secretary,
        register(township_secretary, tree["village_a"], received_on=datetime.date(2026, 3, 3)),
        on=datetime.date(2026, 3, 5),
    )
    from feedback.tests.reception_factories import committee, reception, session

    people = committee(tree["village_a"], ["李书记", "王副书记"])
    day = datetime.date.today() + datetime.timedelta(days=7)
    reception_day = session(clerk_a, people[0], day=day, now_day=datetime.date.today())
    received = reception(clerk_a, people[0], day=datetime.date.today() - datetime.timedelta(days=1))
    from commitments.tests.factories import draft, published

    return {
        "reception": received,
        "session": reception_day,
        "draft": draft(clerk_a, tree["village_a"]),
        "published": published(clerk_a, township_secretary, tree["village_a"]),
        "village": tree["village_a"],
        "household": household,
        "member": member,
        "pairing": paired,
        "unit_pairing": line,
        "point": point,
        "post": post,
        "holder": holder,
        "opinion": registered,
        "answered": answered,
        "handler": handler,
        "secretary": township_secretary,
        "org_dept": org_dept,
        "clerk": clerk_a,
    }


def _forms(world) -> dict[str, tuple[str, object]]:
    s, w = world["secretary"], world
    return {
        "household-create": (reverse("household-create"), s),
        "household-update": (reverse("household-update", args=[w["household"].pk]), s),
        "member-create": (reverse("member-create"), s),
        "member-update": (reverse("member-update", args=[w["member"].pk]), s),
        "pairing-create": (reverse("pairing-create"), s),
        "pairing-update": (reverse("pairing-update", args=[w["pairing"].pk]), s),
        "unitpairing-create": (reverse("unitpairing-create"), s),
        "unitpairing-update": (reverse("unitpairing-update", args=[w["unit_pairing"].pk]), s),
        "unitrecord-create": (reverse("unitrecord-create", args=[w["unit_pairing"].pk]), s),
        "point-create": (reverse("point-create"), s),
        "point-update": (reverse("point-update", args=[w["point"].pk]), s),
        "point-contact-create": (reverse("point-contact-create", args=[w["point"].pk]), s),
        "post-create": (reverse("post-create"), s),
        "post-update": (reverse("post-update", args=[w["post"].pk]), s),
        "post-assign": (reverse("post-assign", args=[w["post"].pk]), s),
        "post-holder-update": (reverse("post-holder-update", args=[w["holder"].pk]), s),
        "post-holder-report": (reverse("post-holder-report", args=[w["holder"].pk]), s),
        "opinion-create": (reverse("opinion-create"), s),
        "opinion-update": (reverse("opinion-update", args=[w["opinion"].pk]), s),
        "opinion-start": (reverse("opinion-start", args=[w["opinion"].pk]), s),
        "opinion-result": (reverse("opinion-result", args=[w["opinion"].pk]), s),
        "opinion-feedback": (reverse("opinion-feedback", args=[w["answered"].pk]), s),
        "opinion-assign": (reverse("opinion-assign", args=[w["opinion"].pk]), s),
        "opinion-urge": (reverse("opinion-urge", args=[w["opinion"].pk]), s),
        "opinion-extension": (reverse("opinion-extension", args=[w["opinion"].pk]), s),
        "opinion-case": (reverse("opinion-case", args=[w["opinion"].pk]), s),
        "reception-create": (reverse("reception-create"), s),
        "reception-update": (reverse("reception-update", args=[w["reception"].pk]), s),
        "session-create": (reverse("session-create"), s),
        "session-update": (reverse("session-update", args=[w["session"].pk]), s),
        "session-generate": (reverse("session-generate"), s),
        "quota-edit": (
            reverse("quota-edit", args=[QuotaRule.objects.order_by("pk").first().pk]),
            w["org_dept"],
        ),
        "calendar-create": (reverse("calendar-create"), w["org_dept"]),
        "commitment-create": (reverse("commitment-create"), s),
        "commitment-vote": (reverse("commitment-vote", args=[w["draft"].pk]), s),
        "assessment-create": (
            f"{reverse('assessment-create')}?organisation={w['village'].pk}&year={w['published'].year}",
            s,
        ),
        "personal-create": (reverse("personal-create"), s),
    }


PAGES = {
    "unitrecord-create": lambda w: reverse("unitpairing-detail", args=[w["unit_pairing"].pk]),
    "point-contact-create": lambda w: reverse("point-detail", args=[w["point"].pk]),
    "opinion-start": lambda w: reverse("opinion-detail", args=[w["opinion"].pk]),
}
FORM_NAMES = [
    "household-create",
    "household-update",
    "member-create",
    "member-update",
    "pairing-create",
    "pairing-update",
    "unitpairing-create",
    "unitpairing-update",
    "unitrecord-create",
    "point-create",
    "point-update",
    "point-contact-create",
    "post-create",
    "post-update",
    "post-assign",
    "post-holder-update",
    "post-holder-report",
    "opinion-create",
    "opinion-update",
    "opinion-start",
    "opinion-result",
    "opinion-feedback",
    "opinion-assign",
    "opinion-urge",
    "opinion-extension",
    "opinion-case",
    "reception-create",
    "reception-update",
    "session-create",
    "session-update",
    "session-generate",
    "quota-edit",
    "calendar-create",
    "commitment-create",
    "commitment-vote",
    "assessment-create",
    "personal-create",
]


def fuzzed(name: str) -> bool:
    """Every field, but of a formset only its first row (the other rows are the same form again), and
    not the formset's management counts (capped by Django's absolute maximum; see the formset caps)."""
    if name.endswith(SEARCH_SUFFIX):  # a picker's search box: the browser's, never read by the server
        return False
    return not re.match(r"^[a-z_]+-([1-9]\d*-|(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$)", name)


def hostile_posts(fields: _Fields):
    """(field, label, data, must_be_refused) for each field and hostile value."""
    for name, kind in fields.kinds.items():
        if not fuzzed(name):
            continue
        for label, value in HOSTILE[kind].items():
            data = dict(fields.values)
            data[name] = value
            yield name, label, data


@pytest.mark.parametrize("form_name", FORM_NAMES)
def test_hostile_values_never_500_and_never_saved(client, world, form_name, monkeypatch):
    # The idle clock stamps the session once a minute: on a loaded machine this loop outlasts a minute,
    # and that session write is not a saved record (SQLite's fingerprint counts every changed row).
    monkeypatch.setattr(sessions, "STAMP_EVERY", 10**9)
    url, user = _forms(world)[form_name]
    client.force_login(user)
    client.raise_request_exception = False
    # A form that only takes POST lives on its record's page.
    page = client.get(PAGES.get(form_name, lambda w: url)(world))
    assert page.status_code == 200, f"{form_name}: GET {page.status_code}"
    fields = read_form(page.content.decode())
    assert fields.kinds, f"{form_name}: no fields found"
    failures = []
    for name, label, data in hostile_posts(fields):
        before = fingerprint()
        response = client.post(url, data)
        if response.status_code >= 500:
            failures.append(f"{name}={label}: {response.status_code}")
        elif fingerprint() != before:
            failures.append(f"{name}={label}: saved")
    assert failures == []
