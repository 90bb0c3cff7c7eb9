"""The demo commitments tell every story of issue 13, once; the panels and the public page show them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from commitments import selectors
from commitments.models import Assessment, Commitment, PersonalCommitment, ProgressNote, Vote
from commitments.panels import dashboard_panel
from commitments.rules import Grade
from commitments.states import State
from liaison.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_demo_villages_go_through_the_year():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "承诺践诺：“两委会”承诺" in out.getvalue()
    last = timezone.localdate().year - 1
    villages = Organisation.objects.filter(level__in=Organisation.GRASSROOTS_LEVELS)
    graded = Assessment.objects.filter(year=last).exclude(final_grade="").exclude(published_on=None)
    assert graded.count() == villages.count() == 6  # every village graded and published last year
    for village in villages:
        items = Commitment.objects.filter(organisation=village, year=last)
        assert items.filter(state=State.ASSESSED).count() == 4
        assert Vote.objects.filter(commitment__in=items).exists()
        assert ProgressNote.objects.filter(commitment__in=items).exclude(evidence="").exists()
        assert village.pk in set(
            selectors.scope.visible_inspections(User.objects.get(username="zuzhibu")).values_list(
                "organisation_id", flat=True
            )
        )
    grades = dict(graded.values_list("organisation__short_name", "final_grade"))
    assert grades["南泉社区"] == Grade.BASIC
    assert grades["楠竹村"] == Grade.FAIL
    assert Assessment.objects.get(organisation__short_name="楠竹村", year=last - 1).final_grade == Grade.FAIL
    flagged = selectors.consecutive_failures(user=User.objects.get(username="shuji"), since_year=last)
    assert [a.organisation.display_name for a in flagged] == ["楠竹村"]
    badly = Assessment.objects.get(organisation__short_name="楠竹村", year=last)
    assert badly.dissatisfied * 2 > badly.total and badly.rectification_deadline
    huxiao = Assessment.objects.get(organisation__short_name="虎啸村", year=last)
    assert (huxiao.measured_grade, huxiao.final_grade) == (Grade.PASS, Grade.BASIC)
    # Sent back by the vote: one redrafted and adopted, one still waiting.
    assert Commitment.objects.filter(votes__result="sent_back").distinct().count() >= 2
    assert Commitment.objects.filter(state=State.SENT_BACK).exists()
    assert Commitment.objects.filter(
        votes__result="sent_back", state__in=[State.PUBLISHED, State.APPROVED]
    ).exists()
    assert Commitment.objects.filter(revision_of__isnull=False, state=State.DRAFT).exists()
    assert Commitment.objects.filter(scope="term").count() == 12
    assert PersonalCommitment.objects.exists()
    assert selectors.members_without_commitment(
        user=User.objects.get(username="zuzhibu"), year=last + 1
    ).exists()
    call_command("seed_demo", stdout=StringIO())
    assert Commitment.objects.filter(year=last).count() == 24


def test_the_township_dashboard_shows_two_years_failed():
    call_command("seed_demo", stdout=StringIO())
    request = RequestFactory().get("/")
    request.user = User.objects.get(username="shuji")
    html = dashboard_panel(request)
    assert "连续两年综合考评不合格" in html and "楠竹村" in html
    request.user = User.objects.get(username="zhenjie")  # 南泉街道: 楠竹村 is not theirs
    assert "楠竹村" not in (dashboard_panel(request) or "")
