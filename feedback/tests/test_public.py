"""/public/ (no login): the 三公开 of the published reception days, by township and village, this week
and this month; the monthly 公告; nothing of any visitor or resident, checked against the database."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from feedback.models import Opinion, Reception, ReceptionSession
from feedback.tests.reception_factories import committee, published, session
from liaison.models import Household, Organisation, Resident
from liaison.panels import public_sections
from members.models import PartyMember, Position
from tests.pdf_utils import pdf_text, response_bytes

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Read per test, never at import: a run may cross midnight in Shanghai."""
    return timezone.localdate()


@pytest.fixture
def schedule(clerk_a, tree):
    people = committee(tree["village_a"], ["李书记", "王副书记"])
    day = today() + datetime.timedelta(days=1)
    shown = published(clerk_a, people[0], day=day, place="桂花村便民服务中心二楼")
    hidden = session(clerk_a, people[1], day=day, kind="member", place="草稿地点", now_day=today())
    return shown, hidden


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_anonymous_sees_published_sessions_not_drafts(client, schedule, tree):
    shown, hidden = schedule
    response = client.get(reverse("public-home"), {"org": tree["township"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "桂花村便民服务中心二楼" in html and "023-66230001" in html and "李书记" in html
    assert "草稿地点" not in html
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
    assert "script-src" in response["Content-Security-Policy"] and "<script>" not in html
    assert "csrfmiddlewaretoken" not in html
    village = client.get(reverse("public-home"), {"org": tree["village_a"].pk}).content.decode()
    assert "桂花村便民服务中心二楼" in village
    other = client.get(reverse("public-home"), {"org": tree["village_b"].pk}).content.decode()
    assert "桂花村便民服务中心二楼" not in other


def test_the_page_is_the_same_for_a_logged_in_user(client_for, clerk_a, schedule, tree):
    html = client_for(clerk_a).get(reverse("public-home"), {"org": tree["township"].pk}).content.decode()
    assert clerk_a.full_name not in html and "退出" not in html


def test_bad_choices_fall_back_to_the_district(client, schedule):
    for value in ("abc", "99999999999999999999", "-1"):
        response = client.get(reverse("public-home"), {"org": value})
        assert response.status_code == 200
        assert "没有找到所选的党组织" in response.content.decode()


def test_room_for_any_number_of_sections(client, schedule, monkeypatch, tree):
    panels = list(public_sections._panels)
    monkeypatch.setattr(
        public_sections,
        "_panels",
        [
            *panels,
            lambda request, organisation=None: "<section>公开承诺公示</section>",
            lambda request, **_: None,
        ],
    )
    html = client.get(reverse("public-home"), {"org": tree["township"].pk}).content.decode()
    assert "公开承诺公示" in html and "党组织书记接待群众日程" in html
    monkeypatch.setattr(public_sections, "_panels", [])
    assert "暂无公开信息" in client.get(reverse("public-home")).content.decode()


def test_the_login_page_links_here(client):
    assert f'href="{reverse("public-home")}"' in client.get(reverse("login")).content.decode()


def test_the_monthly_notice(client, schedule, tree):
    shown, _ = schedule
    url = reverse(
        "public-reception-notice-pdf", args=[tree["village_a"].pk, shown.date.year, shown.date.month]
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(pdf_text(response_bytes(response)).split())
    for word in ("公告", "桂花村", "桂花村便民服务中心", "李书记", "023-66230001", "联系电话"):
        assert word in text
    assert "草稿地点" not in text
    bad = reverse("public-reception-notice-pdf", args=[tree["village_a"].pk, shown.date.year, 13])
    assert client.get(bad).status_code == 404
    assert client.get(reverse("public-reception-notice-pdf", args=[999999, 2026, 1])).status_code == 404


def test_every_string_on_public_pages_is_checked_against_the_database(client):
    """With the demo district: no visitor's or resident's name, phone or ID number appears on /public/
    or any monthly notice — only the receivers', who are published by name (三公开)."""
    call_command("seed_demo", stdout=StringIO())
    receivers = set(ReceptionSession.objects.values_list("receiver__name", flat=True))
    officials = set(
        PartyMember.objects.filter(pk__in=Position.objects.values("member")).values_list("name", flat=True)
    )
    names = set(Resident.objects.values_list("name", flat=True)) | set(
        Household.objects.values_list("head_name", flat=True)
    )
    names |= set(Reception.objects.values_list("visitor_name", flat=True))
    names |= set(Opinion.objects.values_list("reporter_name", flat=True))
    names -= receivers | officials
    # a two-character name inside a receiver's (王丽 in 王丽萍) is the receiver's, not the resident's
    names = {n for n in names if not any(n in official for official in receivers | officials)}
    numbers = set()
    for values in (
        Resident.objects.values_list("phone", "id_number"),
        Household.objects.values_list("phone"),
        Reception.objects.values_list("visitor_phone"),
        Opinion.objects.values_list("reporter_phone"),
        PartyMember.objects.values_list("phone", "id_number"),
    ):
        for row in values:
            numbers |= {v for v in row if v}
    addresses = set(Household.objects.values_list("address", flat=True)) | set(
        Reception.objects.values_list("visitor_address", flat=True)
    )
    matters = set(Reception.objects.values_list("matter", flat=True))
    assert names and numbers and matters
    pages = [reverse("public-home")] + [
        f"{reverse('public-home')}?org={pk}" for pk in Organisation.objects.values_list("pk", flat=True)
    ]
    seen = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        seen.append(text_of(response.content.decode()))
        for href in re.findall(r'href="(/public/receptions/[^"]+)"', response.content.decode()):
            seen.append(pdf_text(response_bytes(client.get(href))))
    everything = "\n".join(seen)
    compact = re.sub(r"\s+", "", everything)
    assert "接待人" in everything and any(name in everything for name in receivers)
    assert not {n for n in names if n in compact}, "a resident's or visitor's name is public"
    assert not {n for n in numbers if n.replace("-", "") in compact.replace("-", "")}
    assert not {a for a in addresses if a and a in compact}
    assert not {m for m in matters if m in compact}
