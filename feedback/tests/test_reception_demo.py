"""The demo schedule: every organisation with a quota publishes this year's, some held, some missed,
receptions on held days, two of them opinions; and the public phones are office numbers."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback import reception_rules as rr
from feedback.models import Reception, ReceptionSession, SessionKind, SessionStatus
from liaison.access import privacy
from liaison.models import Organisation

pytestmark = pytest.mark.django_db


def test_every_organisation_has_a_published_schedule_and_a_history():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "接待日：" in out.getvalue()
    today = timezone.localdate()
    with_quota = Organisation.objects.filter(level__in=list(rr.QUOTA_OF_LEVEL))
    for organisation in with_quota:
        sessions = ReceptionSession.objects.filter(organisation=organisation).exclude(
            status=SessionStatus.DRAFT
        )
        assert sessions.exists(), organisation.name
        if organisation.level != "district":  # the demo district has no secretary, only its delegates
            assert sessions.filter(kind=SessionKind.SECRETARY).exists(), organisation.name
    past = ReceptionSession.objects.filter(date__lt=today).exclude(status=SessionStatus.DRAFT)
    assert not past.filter(status=SessionStatus.PUBLISHED).exists()  # every past half-day is held or missed
    if past.exists():
        assert past.filter(status=SessionStatus.HELD).exists()
    market = ReceptionSession.objects.filter(organisation__code="BN-JS-SG", place_kind="market")
    assert market.exists() and all(rr.is_market_day(s.date, "258") for s in market)
    assert ReceptionSession.objects.filter(kind=SessionKind.DELEGATE, organisation__code="BN").count() >= 2
    assert Reception.objects.filter(opinion__isnull=False).count() == 2
    # /public/ by default (the district and the townships) shows this month; next month waits as drafts
    # for the 镇街管理员 to publish
    from feedback.public import month_of, published_sessions

    assert published_sessions(None, *month_of(today)).filter(organisation__level="township").exists()
    drafts = ReceptionSession.objects.filter(status=SessionStatus.DRAFT)
    assert drafts.filter(organisation__level="township").exists()
    assert not drafts.filter(date__lt=today).exists()
    # the published phones are office numbers, never anybody's personal phone
    personal = set()
    for label, fields in privacy.PERSONAL_FIELDS.items():
        from django.apps import apps

        for values in apps.get_model(label).objects.values_list(*fields):
            personal |= {v for v in values if v}
    assert not set(ReceptionSession.objects.values_list("phone", flat=True)) & personal
    count = ReceptionSession.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert ReceptionSession.objects.count() == count
