"""An export that would take longer than a request may (30 s) is refused with a way to narrow it
(issue #10), until background jobs exist; one within the limit downloads as before."""

from __future__ import annotations

import pytest
from django.urls import reverse

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
