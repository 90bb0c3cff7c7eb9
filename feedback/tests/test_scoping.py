"""Every feedback URL answers 404 for a record of another subtree, PDFs and exports included."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback import services
from feedback.models import Urge
from feedback.tests.factories import hand_over, make_due, register
from liaison.models import Organisation
from tests.factories import OrganisationFactory, UserFactory
from tests.pdf_utils import pdf_text, response_bytes
from tests.xlsx_utils import read_sheet

D = datetime.date
pytestmark = pytest.mark.django_db

OPINION_GET = [
    "opinion-detail",
    "opinion-update",
    "opinion-pdf",
    "opinion-feedback-slip-pdf",
    "opinion-result",
    "opinion-feedback",
    "opinion-reopen",
    "opinion-assign",
    "opinion-urge",
    "opinion-extension",
    "opinion-case",
]
OPINION_POST = ["opinion-start", "opinion-close"] + OPINION_GET[1:]
CHILD_URLS = [
    ("assignment-receive", "assignment"),
    ("assignment-pdf", "assignment"),
    ("urge-answer", "urge"),
    ("extension-decide", "extension"),
]


@pytest.fixture
def records(clerk_a, township_secretary, branch_a, opinion_a):
    assignment = hand_over(clerk_a, opinion_a, branch_a)
    urge = services.urge_create(
        user=township_secretary, opinion=opinion_a, kind=Urge.Kind.SUPERVISE, note="请抓紧"
    )
    extension = services.extension_request(
        user=clerk_a, opinion=opinion_a, requested_due_date=D(2026, 3, 27), reason="设备未到"
    )
    return {"opinion": opinion_a, "assignment": assignment, "urge": urge, "extension": extension}


def refused_status(user, url_name: str) -> int:
    """404 for a record outside the subtree; 403 first where the role may never do it (a clerk urging)."""
    return 403 if url_name == "opinion-urge" and not user.has_perm("feedback.add_urge") else 404


@pytest.mark.parametrize("persona", ["clerk_b", "outsider", "other_secretary"])
@pytest.mark.parametrize("url_name", OPINION_GET)
def test_other_subtree_opinion_get_is_404(client_for, request, records, persona, url_name):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(reverse(url_name, args=[records["opinion"].pk])).status_code == refused_status(
        user, url_name
    )


@pytest.mark.parametrize("persona", ["clerk_b", "outsider", "other_secretary"])
@pytest.mark.parametrize("url_name", OPINION_POST)
def test_other_subtree_opinion_post_is_404_and_changes_nothing(
    client_for, request, records, persona, url_name
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    opinion = records["opinion"]
    response = client.post(
        reverse(url_name, args=[opinion.pk]), {"version": opinion.version, "subject": "x", "note": "x"}
    )
    assert response.status_code == refused_status(user, url_name)
    opinion.refresh_from_db()
    assert opinion.subject == "三组机耕道垮塌"


@pytest.mark.parametrize("persona", ["clerk_b", "outsider", "other_secretary"])
@pytest.mark.parametrize(("url_name", "record"), CHILD_URLS)
def test_other_subtree_child_records_are_404(client_for, request, records, persona, url_name, record):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse(url_name, args=[records[record].pk])).status_code == 404
    assert (
        client.post(reverse(url_name, args=[records[record].pk]), {"answer": "x", "approve": "1"}).status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["clerk_a", "township_secretary", "org_dept"])
@pytest.mark.parametrize("url_name", ["opinion-detail", "opinion-pdf", "opinion-feedback-slip-pdf"])
def test_visible_within_the_subtree(client_for, request, records, persona, url_name):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse(url_name, args=[records["opinion"].pk])).status_code == 200


@pytest.mark.parametrize("persona", ["clerk_a", "township_secretary", "org_dept"])
def test_assignment_pdf_visible_within_the_subtree(client_for, request, records, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("assignment-pdf", args=[records["assignment"].pk])).status_code == 200


def test_a_unit_sees_what_is_handed_to_it_and_nothing_else(
    client_for, clerk_a, handler_a, branch_a, opinion_a
):
    client = client_for(handler_a)
    assert client.get(reverse("opinion-detail", args=[opinion_a.pk])).status_code == 404
    assignment = hand_over(clerk_a, opinion_a, branch_a)
    assert client.get(reverse("opinion-detail", args=[opinion_a.pk])).status_code == 200
    assert client.get(reverse("assignment-pdf", args=[assignment.pk])).status_code == 200
    assert "三组机耕道垮塌" in client.get(reverse("opinion-list")).text


@pytest.mark.parametrize("by_id", [2000, 1], ids=["handed-over-by-id", "handed-over-as-subquery"])
def test_a_unit_lists_every_opinion_handed_to_it(
    client_for, clerk_a, handler_a, branch_a, monkeypatch, by_id
):
    """The list names the opinions handed to the user's subtree by id (feedback.scope), up to
    HANDED_OVER_BY_ID; beyond it the same opinions come through a subquery. Either way the unit lists
    what was handed to it, and not the village's other opinions."""
    monkeypatch.setattr("feedback.scope.HANDED_OVER_BY_ID", by_id)
    handed = [register(clerk_a, received_on=D(2026, 3, day), subject=f"交办事项{day}") for day in (3, 4)]
    register(clerk_a, received_on=D(2026, 3, 5), subject="未交办事项")
    for opinion in handed:
        hand_over(clerk_a, opinion, branch_a, issued_on=D(2026, 3, 5))
    page = client_for(handler_a).get(reverse("opinion-list"))
    assert [o.subject for o in page.context["page"].object_list] == ["交办事项4", "交办事项3"]
    assert page.context["page"].paginator.count == 2


def test_list_shows_only_the_subtree(client_for, opinion_a, opinion_b, tree):
    from liaison.models import User

    clerk_b = User.objects.get(username="clerk_b")
    page = client_for(clerk_b).get(reverse("opinion-list"), {"organisation": tree["village_a"].pk}).text
    assert "石岗村路灯不亮" in page and "三组机耕道垮塌" not in page


def test_register_of_another_subtree_is_refused(client_for, clerk_b, opinion_a, tree):
    client = client_for(clerk_b)
    query = {"organisation": tree["village_a"].pk, "year": 2026}
    for name in ("opinion-register", "opinion-register-pdf", "opinion-register-xlsx"):
        response = client.get(reverse(name), query)
        assert response.status_code in (200, 400)
        assert response["Content-Type"].startswith("text/html")
        assert "所选党组织不在您的管辖范围内" in response.text and "王喆" not in response.text


def test_register_exports_only_what_the_user_sees(client_for, township_secretary, clerk_b, opinion_a, tree):
    query = {"organisation": tree["village_a"].pk, "year": 2026}
    rows = read_sheet(client_for(township_secretary).get(reverse("opinion-register-xlsx"), query), "登记簿")
    assert [row["反映人姓名"] for row in rows] == ["王喆"]
    text = pdf_text(
        response_bytes(client_for(township_secretary).get(reverse("opinion-register-pdf"), query))
    )
    assert "王喆" in text


def test_dashboard_panel_shows_only_the_subtree(client_for, clerk_b, opinion_a):
    make_due(opinion_a, received_on=D(2026, 3, 3), due=D(2026, 3, 13))  # long overdue
    page = client_for(clerk_b).get(reverse("dashboard")).text
    assert "群众意见办理提醒" in page and "三组机耕道垮塌" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/opinions/",
        "/opinions/new/",
        "/opinions/due-dates/?received_on=2026-03-03",
        "/opinions/register/",
        "/opinions/register/pdf/?year=2026",
        "/opinions/register/xlsx/?year=2026",
        "/config/calendar/",
    ],
)
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_calendar_read_by_all_edited_by_org_dept_only(client_for, clerk_a, township_admin, org_dept):
    for user in (clerk_a, township_admin):
        client = client_for(user)
        assert client.get(reverse("calendar-list")).status_code == 200
        assert client.get(reverse("calendar-year", args=[2026])).status_code == 200
        assert client.get(reverse("calendar-create")).status_code == 403
        assert (
            client.post(reverse("calendar-edit", args=[2026]), {"source": "x", "days": ""}).status_code == 403
        )
    assert client_for(org_dept).get(reverse("calendar-edit", args=[2026])).status_code == 200


def test_a_second_district_keeps_its_opinions(client_for, org_dept, clerk_a, tree):
    """The 组织部 of a one-district database reads every opinion without the visibility conditions
    (liaison.access.scoping.sees_whole_tree); once another district shares the database, its opinions
    do not reach the first district's list, and the other way round."""
    register(clerk_a, subject="桂花村机耕道垮塌")
    with CaptureQueriesContext(connection) as queries:
        page = client_for(org_dept).get(reverse("opinion-list"))
    assert [o.subject for o in page.context["page"].object_list] == ["桂花村机耕道垮塌"]
    assert not [q for q in queries.captured_queries if "feedback_assignment" in q["sql"]]
    other = OrganisationFactory(name="綦江区", code="qj", level=Organisation.Level.DISTRICT)
    village = OrganisationFactory(name="古南村", code="qj-gn", level=Organisation.Level.VILLAGE, parent=other)
    their_clerk = UserFactory(username="qj_clerk", role="clerk", organisation=village)
    register(their_clerk, subject="古南村河道淤塞")
    page = client_for(org_dept).get(reverse("opinion-list"))
    assert [o.subject for o in page.context["page"].object_list] == ["桂花村机耕道垮塌"]
    their_dept = UserFactory(username="qj_dept", role="org_dept", organisation=other)
    page = client_for(their_dept).get(reverse("opinion-list"))
    assert [o.subject for o in page.context["page"].object_list] == ["古南村河道淤塞"]
