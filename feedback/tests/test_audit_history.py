"""The opinion page's 数据修改记录 (liaison.audit): who changed which field, masked like the page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from feedback import services
from feedback.tests.conftest import MARCH_3
from feedback.tests.factories import register

pytestmark = pytest.mark.django_db


def audit_section(html: str) -> str:
    match = re.search(r'<section class="card mb-3 d-print-none" id="history">(.*?)</section>', html, re.S)
    assert match
    return match.group(1)


def test_a_changed_reporter_phone_is_masked_for_the_org_dept_and_full_for_the_clerk(
    client_for, clerk_a, org_dept
):
    opinion = register(clerk_a, received_on=MARCH_3, reporter_phone="13193489950")
    services.opinion_update(
        user=clerk_a, opinion=opinion, version=opinion.version, reporter_phone="13911112222"
    )
    url = reverse("opinion-detail", args=[opinion.pk])
    masked = audit_section(client_for(org_dept).get(url).text)
    assert "131****9950 → 139****2222" in masked
    assert "13193489950" not in masked and "13911112222" not in masked
    full = audit_section(client_for(clerk_a).get(url).text)
    assert "13193489950 → 13911112222" in full


def test_the_locking_counter_is_not_listed_as_a_change(client_for, clerk_a):
    opinion = register(clerk_a, received_on=MARCH_3)
    services.opinion_update(
        user=clerk_a, opinion=opinion, version=opinion.version, subject="机耕道垮塌（三组）"
    )
    section = audit_section(client_for(clerk_a).get(reverse("opinion-detail", args=[opinion.pk])).text)
    assert "机耕道垮塌（三组）" in section and "版本" not in section
