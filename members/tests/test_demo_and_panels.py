"""The demo data of members/demo.py (through seed_demo) and the panels on the household page and dashboard."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from liaison.models import User
from members.models import LiaisonPoint, Pairing, PartyMember, Position, Post, PostReport, UnitPairing
from members.selectors.coverage import coverage_by_township
from members.selectors.units import unit_year_results
from members.services.pairings import short_plan_warning
from members.tests.factories import pairing, poor, unit_pairing

pytestmark = pytest.mark.django_db


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (PartyMember, Position, Pairing, UnitPairing, LiaisonPoint, Post, PostReport)
    }


def test_demo_is_realistic_and_idempotent():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "党员与结对帮扶：结对" in out.getvalue()
    first = counts()
    assert first["Pairing"] >= 20 and first["Post"] >= 20 and first["LiaisonPoint"] >= 3

    # Some quotas met and some not: 联线 years, 500 元 years, plans shorter than two years, coverage gaps.
    states = {r.state for p in UnitPairing.objects.all() for r in unit_year_results(p)}
    assert {"met"} <= states and states & {"unmet", "pending"}
    assert {k for (k,) in UnitPairing.objects.values_list("kind")} == set(UnitPairing.Kind.values)
    assert any(short_plan_warning(p.start_date, p.planned_end) for p in Pairing.objects.all())
    assert Pairing.objects.filter(status="ended").exists()
    assert Pairing.objects.filter(memberships__isnull=False).distinct().count() == Pairing.objects.count()
    _, total = coverage_by_township(User.objects.get(username="zuzhibu"))
    assert (
        0 < total.poor.covered < total.poor.total
        and 0 < total.organisations.covered < total.organisations.total
    )
    assert PartyMember.objects.get(name="陈建国").user.username == "shuji"
    assert Position.objects.filter(role="delegate").exists()

    call_command("seed_demo", stdout=StringIO())
    assert counts() == first


def test_household_page_shows_its_helpers(client_for, clerk_a, household_a, member_a, member_out, unit):
    pairing(household_a, member_a, help_content="代办医保报销")
    pairing(household_a, member_out)  # a helper from another subtree is still the household's contact
    unit_pairing(
        UnitPairing.Kind.MEMBER_PAIRING,
        unit["branch"],
        target_household=poor(household_a),
        members=[member_a],
    )
    text = client_for(clerk_a).get(reverse("household-detail", args=[household_a.pk])).text
    assert "帮扶党员（结对帮扶）" in text and "张德明" in text and "陈建军" in text and "代办医保报销" in text
    assert "党员“结对”：区农业农村委机关第一党支部" in text
    assert "13800001111" in text  # the clerk sees members' phones in full


def test_household_page_without_helpers_offers_a_pairing(client_for, clerk_a, household_a):
    text = client_for(clerk_a).get(reverse("household-detail", args=[household_a.pk])).text
    assert "尚无党员结对帮扶" in text and f"{reverse('pairing-create')}?household={household_a.pk}" in text


def test_dashboard_shows_coverage(client_for, clerk_a, household_a, member_a):
    poor(household_a)
    text = client_for(clerk_a).get(reverse("dashboard")).text
    assert "贫困群众结对覆盖" in text and "0 / 1 户" in text
    pairing(household_a, member_a)
    assert "1 / 1 户" in client_for(clerk_a).get(reverse("dashboard")).text


def test_pairing_list_marks_this_years_visits(client_for, clerk_a, household_a, member_a):
    pairing(household_a, member_a, start=timezone.localdate().replace(month=1, day=1))
    rows = client_for(clerk_a).get(reverse("pairing-list")).context["rows"]
    assert rows[0][2].year == timezone.localdate().year and rows[0][2].achieved == 0
