"""The demo opinions: a few dozen, something overdue, due soon, closed, a 包案 case, an extension, a
转报上级; once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max
from django.utils import timezone

from feedback.models import CaseOwnership, Extension, Opinion, Urge
from feedback.states import State

pytestmark = pytest.mark.django_db


def test_demo_opinions_tell_every_story_once():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "群众意见：新建 39 件" in out.getvalue()
    today = timezone.localdate()
    assert Opinion.objects.overdue(today).count() >= 7
    assert Opinion.objects.due_soon(today).count() >= 6
    closed = Opinion.objects.filter(state=State.CLOSED)
    assert closed.count() == 18 and not closed.filter(feedback_on__isnull=True).exists()
    assert closed.filter(feedback_on__gt=F("due_date")).exists()  # some answered late
    assert CaseOwnership.objects.count() == 1 and Urge.objects.filter(kind="supervise").count() == 1
    assert Extension.objects.filter(status="approved").count() == 1
    # 转报上级: 桂花村's category-2 opinion, signed for by 界石镇, its 20 days from that receipt
    moved = Opinion.objects.get(holder__isnull=False)
    assert moved.organisation.short_name == "桂花村" and moved.holder.short_name == "界石镇"
    assert moved.transfers.get().received_on == moved.holder_received_on
    for row in Opinion.objects.values("organisation", "year").annotate(n=Count("id"), top=Max("number")):
        assert row["n"] == row["top"]  # numbered 1..n without gaps
    call_command("seed_demo", stdout=StringIO())
    # and the two receptions that were not settled on the spot (feedback/reception_demo.py); the demo
    # visits' own opinions (限期办理, visits/demo.py) come on top
    assert Opinion.objects.filter(visit__isnull=True).count() == 39 + 2
    assert Opinion.objects.filter(reception__isnull=False).count() == 2
