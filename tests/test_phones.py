"""Phone numbers shown in full are tap-to-call links; masked numbers stay plain text."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from liaison.models import Resident
from members.tests.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("shown", "html"),
    [
        ("13812341234", '<a class="tel-link" href="tel:13812341234">13812341234</a>'),
        ("023-66231234", '<a class="tel-link" href="tel:02366231234">023-66231234</a>'),
        ("138****1234", "138****1234"),
        ("023-****1234", "023-****1234"),
        ("", ""),
        ("无", "无"),
    ],
)
def test_phone_link(shown, html):
    assert Template("{% load phones %}{{ p|phone_link }}").render(Context({"p": shown})) == html


@pytest.fixture
def household(household_a):
    household_a.phone = "13987654321"
    household_a.save()
    Resident.objects.filter(household=household_a).update(phone="13700001111")
    return household_a


def test_clerk_can_tap_to_call_the_household(client_for, clerk_a, household):
    html = client_for(clerk_a).get(reverse("household-detail", args=[household.pk])).content.decode()
    assert 'href="tel:13987654321"' in html and 'href="tel:13700001111"' in html
    listing = client_for(clerk_a).get(reverse("household-list")).content.decode()
    assert 'href="tel:13987654321"' in listing


def test_masked_numbers_are_not_links(client_for, township_admin, household):
    client = client_for(township_admin)
    for url in (reverse("household-detail", args=[household.pk]), reverse("household-list")):
        html = client.get(url).content.decode()
        assert "139****4321" in html and "tel:" not in html, url


def test_member_phone_links_follow_the_mask(client_for, clerk_a, township_admin, tree):
    member = PartyMemberFactory(organisation=tree["village_a"], phone="13600002222")
    url = reverse("member-detail", args=[member.pk])
    assert 'href="tel:13600002222"' in client_for(clerk_a).get(url).content.decode()
    masked = client_for(township_admin).get(url).content.decode()
    assert "136****2222" in masked and "tel:" not in masked
