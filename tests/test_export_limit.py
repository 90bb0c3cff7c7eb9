"""An export that would take longer than a request may (30 s) is refused with a way to narrow it
(issue #10), until background jobs exist; one within the limit downloads as before."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.views.households import EXPORT_TOO_LARGE
from tests.factories import household_with_head

pytestmark = pytest.mark.django_db


def test_too_many_households_are_refused_with_a_way_to_narrow(client_for, township_secretary, tree, settings):
    settings.LIAISON_EXPORT_MAX_HOUSEHOLDS = 2
    for n in range(3):
        household_with_head(organisation=tree["village_a" if n else "village_b"], address=f"{n}号")
    client = client_for(township_secretary)
    response = client.get(reverse("household-export"), {"tag": ""}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("household-list"))
    html = response.content.decode()
    assert EXPORT_TOO_LARGE.format(count=3, limit=2) in html
    assert "按村（社区）、村民小组/网格或标签筛选" in html

    narrowed = client.get(reverse("household-export"), {"organisation": tree["village_a"].pk})
    assert narrowed.status_code == 200
    assert narrowed["Content-Type"].startswith("application/vnd.openxmlformats")


def test_too_many_pairings_are_refused_with_a_way_to_narrow(client_for, township_secretary, tree, settings):
    from members.tests.factories import MemberFactory, pairing
    from members.views.pairings import EXPORT_TOO_LARGE as PAIRINGS_TOO_LARGE

    settings.LIAISON_EXPORT_MAX_PAIRINGS = 2
    for n in range(3):
        village = tree["village_a" if n else "village_b"]
        household = household_with_head(organisation=village, address=f"{n}号")
        pairing(household, MemberFactory(organisation=village, name=f"党员{n}"))
    client = client_for(township_secretary)
    response = client.get(reverse("pairing-export"), {"status": ""}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("pairing-list"))
    html = response.content.decode()
    assert PAIRINGS_TOO_LARGE.format(count=3, limit=2) in html
    assert "请先按村（社区）、状态或户主、党员姓名筛选" in html

    narrowed = client.get(reverse("pairing-export"), {"organisation": tree["village_a"].pk})
    assert narrowed.status_code == 200
    assert narrowed["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(
        load_workbook(io.BytesIO(b"".join(narrowed.streaming_content))).active.iter_rows(values_only=True)
    )
    assert len(rows) == 3 and {row[4] for row in rows[1:]} == {"党员1", "党员2"}
