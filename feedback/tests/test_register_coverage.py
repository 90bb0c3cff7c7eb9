"""A secretary's 登记簿 covers their organisation and everything below it by default; they may narrow it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from feedback.tests.factories import register
from tests.forms_utils import form_fields
from tests.xlsx_utils import read_sheet

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def entries(clerk_a, clerk_b, outsider):
    register(clerk_a, received_on=D(2026, 3, 3), reporter_name="王喆")
    register(clerk_a, received_on=D(2026, 3, 4), reporter_name="赵昇")
    register(clerk_b, received_on=D(2026, 3, 5), reporter_name="李堃")
    register(outsider, received_on=D(2026, 3, 6), reporter_name="外镇人")


def test_township_default_covers_the_villages(client_for, township_secretary, tree, entries):
    client = client_for(township_secretary)
    blank = client.get(reverse("opinion-register"))
    fields = form_fields(blank.content.decode())
    assert fields["organisation"] == str(tree["township"].pk) and fields["coverage"] == "all"
    fields["year"] = "2026"
    page = client.get(reverse("opinion-register"), fields)
    assert page.context["count"] == 3  # 桂花村 2 + 石岗村 1; the other township's is out of scope
    assert "界石镇党委（含下级党组织）" in page.text or "界石镇（含下级党组织）" in page.text
    rows = read_sheet(client.get(reverse("opinion-register-xlsx"), fields), "登记簿")
    assert [r["反映人姓名"] for r in rows] == ["王喆", "赵昇", "李堃"]
    # Each village numbers its own entries: the 序号 says whose.
    assert [r["序号"] for r in rows] == ["桂花村 1", "桂花村 2", "石岗村 1"]


def test_narrowed_to_the_township_itself(client_for, township_secretary, tree, entries):
    client = client_for(township_secretary)
    query = {"organisation": tree["township"].pk, "coverage": "own", "year": 2026}
    assert client.get(reverse("opinion-register"), query).context["count"] == 0
    query = {"organisation": tree["village_b"].pk, "coverage": "own", "year": 2026}
    assert client.get(reverse("opinion-register"), query).context["count"] == 1


def test_a_village_register_is_unchanged(client_for, clerk_a, tree, entries):
    rows = read_sheet(
        client_for(clerk_a).get(
            reverse("opinion-register-xlsx"), {"organisation": tree["village_a"].pk, "year": 2026}
        ),
        "登记簿",
    )
    assert [r["序号"] for r in rows] == [1, 2]
