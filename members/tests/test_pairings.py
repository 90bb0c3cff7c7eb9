"""结对帮扶 through the pages: create and edit, the 2-year warning, bad input next to the field, visits."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from liaison.models import QuotaRule
from members.models import Pairing, PairingMember
from members.services.common import ENDED_BEFORE_START, ENDED_NEEDS_DATE, PLANNED_END_BEFORE_START
from members.services.pairings import ALREADY_PAIRED, pairing_save
from members.tests.factories import pairing
from members.visit_counts import NOT_AVAILABLE, pairing_visit_source
from tests.forms_utils import form_fields

pytestmark = pytest.mark.django_db


def post_data(client, url, **values) -> dict:
    data = form_fields(client.get(url).text)
    data.update(
        {
            "start_date": "2025-03-01",
            "planned_end": "2027-02-28",
            "help_content": "柑橘种植技术、代办医保",
            "status": "active",
        }
    )
    data.update(values)
    return data


def field_error(response, field: str) -> str:
    """The text of the error crispy renders next to `field` (id="error_1_id_<field>")."""
    match = re.search(rf'id="error_1_id_{field}"><strong>(.*?)</strong>', response.text)
    return match.group(1) if match else ""


class TestCreate:
    def test_one_member_one_household(self, client_for, clerk_a, household_a, member_a):
        client = client_for(clerk_a)
        url = reverse("pairing-create")
        response = client.post(
            url, post_data(client, url, household=str(household_a.pk), members=[str(member_a.pk)])
        )
        created = Pairing.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "pairing-detail", args=[created.pk]
        )
        assert created.household == household_a and list(created.members.all()) == [member_a]
        assert created.created_by == clerk_a and created.status == Pairing.Status.ACTIVE
        page = client.get(response["Location"]).text
        assert "不足" not in page  # exactly 2 years: no warning

    def test_several_members_one_household(self, client_for, clerk_a, household_a, member_a, member_a2):
        client = client_for(clerk_a)
        url = reverse("pairing-create")
        client.post(
            url,
            post_data(
                client, url, household=str(household_a.pk), members=[str(member_a.pk), str(member_a2.pk)]
            ),
        )
        assert set(Pairing.objects.get().members.all()) == {member_a, member_a2}

    def test_one_member_several_households(self, client_for, clerk_a, household_a, household_a2, member_a):
        client = client_for(clerk_a)
        url = reverse("pairing-create")
        for household in (household_a, household_a2):
            client.post(url, post_data(client, url, household=str(household.pk), members=[str(member_a.pk)]))
        assert member_a.pairings.count() == 2

    def test_a_plan_shorter_than_two_years_is_saved_with_a_visible_warning(
        self, client_for, clerk_a, household_a, member_a
    ):
        client = client_for(clerk_a)
        url = reverse("pairing-create")
        response = client.post(
            url,
            post_data(
                client,
                url,
                household=str(household_a.pk),
                members=[str(member_a.pk)],
                planned_end="2027-02-27",
            ),
            follow=True,
        )
        assert Pairing.objects.count() == 1
        assert "结对计划不足 2 年" in response.text  # the message after saving and the alert on the page
        assert 'class="alert alert-warning"' in response.text
        assert "不足2年" in client.get(reverse("pairing-list")).text

    def test_the_warning_follows_the_quota_table(self, client_for, clerk_a, household_a, member_a):
        QuotaRule.objects.filter(code="pairing-duration").update(minimum=3)
        client = client_for(clerk_a)
        url = reverse("pairing-create")
        response = client.post(
            url,
            post_data(client, url, household=str(household_a.pk), members=[str(member_a.pk)]),
            follow=True,
        )
        assert "结对计划不足 3 年" in response.text

    def test_prefilled_from_the_member_page(self, client_for, clerk_a, member_a):
        fields = form_fields(client_for(clerk_a).get(reverse("pairing-create"), {"member": member_a.pk}).text)
        assert fields["members"] == [str(member_a.pk)]


class TestBadInput:
    @pytest.mark.parametrize(
        ("field", "values", "message"),
        [
            ("planned_end", {"planned_end": "2025-03-01"}, PLANNED_END_BEFORE_START.format(start="结对时间")),
            ("planned_end", {"planned_end": "2024-12-31"}, PLANNED_END_BEFORE_START.format(start="结对时间")),
            (
                "ended_on",
                {"status": "ended", "ended_on": "2025-02-28"},
                ENDED_BEFORE_START.format(start="结对时间"),
            ),
            ("ended_on", {"status": "ended", "ended_on": ""}, ENDED_NEEDS_DATE),
            ("help_content", {"help_content": ""}, "这个字段是必填项。"),
            ("start_date", {"start_date": "2025-02-30"}, "输入一个有效的日期。"),
        ],
    )
    def test_message_next_to_the_field_and_nothing_saved(
        self, client_for, clerk_a, household_a, member_a, field, values, message
    ):
        client = client_for(clerk_a)
        url = reverse("pairing-create")
        response = client.post(
            url, post_data(client, url, household=str(household_a.pk), members=[str(member_a.pk)], **values)
        )
        assert response.status_code == 200
        assert field_error(response, field) == message
        assert not Pairing.objects.exists() and not PairingMember.objects.exists()

    def test_member_outside_the_scope_is_refused_next_to_the_field(
        self, client_for, clerk_a, household_a, member_a, member_b
    ):
        client = client_for(clerk_a)
        url = reverse("pairing-create")
        response = client.post(
            url,
            post_data(
                client, url, household=str(household_a.pk), members=[str(member_a.pk), str(member_b.pk)]
            ),
        )
        assert field_error(response, "members") == "所选党员不在您的管辖范围内。"
        assert not Pairing.objects.exists()

    def test_household_outside_the_scope_is_refused_next_to_the_field(
        self, client_for, clerk_a, household_b, member_a
    ):
        client = client_for(clerk_a)
        url = reverse("pairing-create")
        response = client.post(
            url, post_data(client, url, household=str(household_b.pk), members=[str(member_a.pk)])
        )
        assert field_error(response, "household") == "所选户不在您的管辖范围内。"
        assert not Pairing.objects.exists()

    def test_the_service_refuses_out_of_scope_members_too(self, clerk_a, household_a, member_b):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as caught:
            pairing_save(
                user=clerk_a,
                pairing=None,
                household=household_a,
                members=[member_b],
                start_date=datetime.date(2025, 1, 1),
                planned_end=None,
                help_content="x",
            )
        assert "王国华" in caught.value.message_dict["members"][0]
        assert not Pairing.objects.exists()

    def test_the_same_member_cannot_pair_twice_with_one_household(
        self, client_for, clerk_a, household_a, member_a
    ):
        pairing(household_a, member_a)
        client = client_for(clerk_a)
        url = reverse("pairing-create")
        response = client.post(
            url, post_data(client, url, household=str(household_a.pk), members=[str(member_a.pk)])
        )
        assert field_error(response, "members") == ALREADY_PAIRED.format(names="张德明")
        assert Pairing.objects.count() == 1

    def test_the_database_refuses_an_end_before_the_start(self, household_a):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            Pairing.objects.create(
                household=household_a,
                start_date=datetime.date(2025, 3, 1),
                planned_end=datetime.date(2025, 2, 1),
                help_content="x",
            )


class TestEdit:
    def test_end_a_pairing(self, client_for, clerk_a, household_a, member_a):
        existing = pairing(household_a, member_a)
        client = client_for(clerk_a)
        url = reverse("pairing-update", args=[existing.pk])
        data = form_fields(client.get(url).text)
        assert data["household"] == str(household_a.pk) and data["members"] == [str(member_a.pk)]
        data.update({"status": "ended", "ended_on": "2026-01-15", "end_reason": "党员调离"})
        assert client.post(url, data).status_code == 302
        existing.refresh_from_db()
        assert existing.status == "ended" and existing.ended_on == datetime.date(2026, 1, 15)

    def test_a_member_from_another_subtree_already_on_the_pairing_stays(
        self, client_for, clerk_a, household_a, member_a, member_out
    ):
        existing = pairing(household_a, member_out)  # a township leader's pairing, say
        client = client_for(clerk_a)
        url = reverse("pairing-update", args=[existing.pk])
        data = form_fields(client.get(url).text)
        data["members"] = [str(member_out.pk), str(member_a.pk)]
        assert client.post(url, data).status_code == 302
        assert set(existing.members.all()) == {member_out, member_a}

    def test_editing_needs_the_household_in_scope(self, client_for, clerk_b, household_a, member_b):
        existing = pairing(household_a, member_b)  # visible to 石岗村 through its member, not editable there
        client = client_for(clerk_b)
        assert client.get(reverse("pairing-detail", args=[existing.pk])).status_code == 200
        assert client.get(reverse("pairing-update", args=[existing.pk])).status_code == 404


@pytest.fixture
def visit_source():
    """The registered counter (the visits app's) put back after a test swaps it."""
    saved = pairing_visit_source._counter
    yield pairing_visit_source
    pairing_visit_source._counter = saved


class TestVisits:
    def test_zero_visits_are_shown_honestly_while_visits_are_not_online(
        self, client_for, clerk_a, household_a, member_a, visit_source
    ):
        visit_source.unregister()
        existing = pairing(household_a, member_a, start=datetime.date(2025, 3, 1))
        text = client_for(clerk_a).get(reverse("pairing-detail", args=[existing.pk])).text
        assert NOT_AVAILABLE in text
        assert "待走访记录上线" in text and "未达标" not in text
        assert "不少于 2 次" in text

    def test_a_registered_visit_source_fills_the_counts(
        self, client_for, clerk_a, household_a, member_a, visit_source
    ):
        existing = pairing(household_a, member_a, start=datetime.date(2025, 3, 1))
        visit_source.register(lambda ids, years: {(existing.pk, 2025): 2, (existing.pk, 2026): 1})
        text = client_for(clerk_a).get(reverse("pairing-detail", args=[existing.pk])).text
        assert NOT_AVAILABLE not in text
        rows = re.findall(
            r"<tr><td>(\d{4})</td><td>(\d+)</td><td>不少于 2 次</td>\s*<td>(.*?)</td></tr>", text, re.S
        )
        states = {year: (count, re.sub(r"<[^>]+>", "", state).strip()) for year, count, state in rows}
        assert states["2025"] == ("2", "达标")
        assert states["2026"][0] == "1" and states["2026"][1] in ("进行中，尚差 1", "未达标")
