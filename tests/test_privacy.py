"""Personal data masked where it is read (issue 8): edit forms, search, history; the declared fields.

The township administrator (镇街管理员) and the 组织部 see 138****1234; the village clerk sees the number.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from feedback import services as feedback_services
from feedback.tests.factories import register
from liaison.access import privacy
from liaison.models import Household, Organisation, Role
from liaison.validators import PHONE_INVALID
from members.models import PartyMember
from members.tests.factories import MemberFactory, branch, id_number
from tests.factories import UserFactory, household_with_head
from tests.forms_utils import form_fields

pytestmark = pytest.mark.django_db

HOUSEHOLD_PHONE = "13811112222"
RESIDENT_PHONE = "13933334444"
RESIDENT_ID = id_number(datetime.date(1968, 4, 9), 517)
MEMBER_PHONE = "13755556666"
MEMBER_ID = id_number(datetime.date(1975, 5, 4), 111)
REPORTER_PHONE = "13193489950"


def make_household(tree) -> Household:
    h = household_with_head(
        organisation=tree["village_a"], head_name="王喆", address="桂花村三组12号", phone=HOUSEHOLD_PHONE
    )
    head = h.residents.get()
    head.phone, head.id_number = RESIDENT_PHONE, RESIDENT_ID
    head.save()
    return h


@pytest.fixture
def household(tree):
    return make_household(tree)


@pytest.fixture
def member(tree):
    return MemberFactory(
        organisation=branch(tree["village_a"], "桂花村第一党支部", "js-gh-1"),
        name="张德明",
        phone=MEMBER_PHONE,
        id_number=MEMBER_ID,
    )


@pytest.fixture
def opinion(township_secretary, tree):
    """Received by the township, so the township administrator may edit it too."""
    return register(township_secretary, tree["township"], reporter_phone=REPORTER_PHONE)


def assert_hidden(text: str, *numbers: str) -> None:
    for number in numbers:
        assert number not in text, f"{number} is shown in full"


class TestEditForms:
    """As the 镇街管理员, /households/<pk>/edit/ showed the phone and every resident's 18-digit ID."""

    def test_household_form_shows_masks_to_the_township_admin(self, client_for, township_admin, household):
        html = client_for(township_admin).get(reverse("household-update", args=[household.pk])).text
        assert_hidden(html, HOUSEHOLD_PHONE, RESIDENT_PHONE, RESIDENT_ID)
        fields = form_fields(html)
        assert fields["phone"] == "138****2222"
        assert fields["residents-0-phone"] == "139****4444"
        assert fields["residents-0-id_number"] == privacy.mask_id_number(RESIDENT_ID)
        assert privacy.MASK_HELP in html

    def test_household_form_unchanged_keeps_the_stored_numbers(self, client_for, township_admin, household):
        client = client_for(township_admin)
        url = reverse("household-update", args=[household.pk])
        data = form_fields(client.get(url).text)
        data["address"] = "桂花村三组14号"
        assert client.post(url, data).status_code == 302
        household.refresh_from_db()
        head = household.residents.get()
        assert household.address == "桂花村三组14号"
        assert (household.phone, head.phone, head.id_number) == (HOUSEHOLD_PHONE, RESIDENT_PHONE, RESIDENT_ID)

    def test_a_changed_number_is_validated_and_saved(self, client_for, township_admin, household):
        client = client_for(township_admin)
        url = reverse("household-update", args=[household.pk])
        data = form_fields(client.get(url).text)
        data["phone"] = "138****22"  # an edited mask is not a number
        response = client.post(url, data)
        assert response.status_code == 200 and PHONE_INVALID in response.text
        assert_hidden(response.text, HOUSEHOLD_PHONE, RESIDENT_PHONE, RESIDENT_ID)
        household.refresh_from_db()
        assert household.phone == HOUSEHOLD_PHONE
        data["phone"] = "13800009999"
        assert client.post(url, data).status_code == 302
        household.refresh_from_db()
        assert household.phone == "13800009999"
        assert household.residents.get().id_number == RESIDENT_ID

    def test_the_clerk_still_edits_the_full_numbers(self, client_for, clerk_a, household):
        fields = form_fields(client_for(clerk_a).get(reverse("household-update", args=[household.pk])).text)
        assert (fields["phone"], fields["residents-0-id_number"]) == (HOUSEHOLD_PHONE, RESIDENT_ID)

    def test_member_form(self, client_for, township_admin, member):
        client = client_for(township_admin)
        url = reverse("member-update", args=[member.pk])
        html = client.get(url).text
        assert_hidden(html, MEMBER_PHONE, MEMBER_ID)
        data = form_fields(html)
        assert data["phone"] == "137****6666"
        data["title"] = "村民小组长"
        assert client.post(url, data).status_code == 302
        member.refresh_from_db()
        assert (member.title, member.phone, member.id_number) == ("村民小组长", MEMBER_PHONE, MEMBER_ID)

    def test_opinion_form(self, client_for, township_admin, opinion):
        client = client_for(township_admin)
        url = reverse("opinion-update", args=[opinion.pk])
        html = client.get(url).text
        assert_hidden(html, REPORTER_PHONE)
        data = form_fields(html)
        assert data["reporter_phone"] == "131****9950"
        data["remarks"] = "已电话联系"
        assert client.post(url, data).status_code == 302
        opinion.refresh_from_db()
        assert (opinion.remarks, opinion.reporter_phone) == ("已电话联系", REPORTER_PHONE)
        # The unchanged phone is not a change in the history either.
        assert all(label != "联系电话" for label, *_ in opinion.events.last().changes)


class TestHistory:
    """A changed reporter phone appeared in full in the opinion's history to the 组织部."""

    def test_history_masks_old_and_new_for_masked_roles(
        self, client_for, township_secretary, org_dept, opinion
    ):
        feedback_services.opinion_update(
            user=township_secretary, opinion=opinion.pk, version=opinion.version, reporter_phone="13911112222"
        )
        html = client_for(org_dept).get(reverse("opinion-detail", args=[opinion.pk])).text
        assert_hidden(html, REPORTER_PHONE, "13911112222")
        assert "131****9950 → 139****2222" in html

    def test_history_shows_the_numbers_to_the_secretary(self, client_for, township_secretary, opinion):
        feedback_services.opinion_update(
            user=township_secretary, opinion=opinion.pk, version=opinion.version, reporter_phone="13911112222"
        )
        html = client_for(township_secretary).get(reverse("opinion-detail", args=[opinion.pk])).text
        assert f"{REPORTER_PHONE} → 13911112222" in html


# -- search: the digit-by-digit attack --------------------------------------------------------------


def _found(client, url: str, query: str, marker: str) -> bool:
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/json"):
        return any(marker in row["label"] for row in response.json()["results"])
    return marker in response.text


def recover(client, url: str, marker: str, *, known: str, length: int, leftwards: bool = False) -> str:
    """The attack of issue 8: the digits the mask shows (138****2222) plus one guessed digit, kept when
    the record still matches; rightwards from the first three, or leftwards from the last four.
    Returns the digits recovered beyond the known ones."""
    digits = known
    while len(digits) < length:
        for digit in "0123456789":
            guess = digit + digits if leftwards else digits + digit
            if _found(client, url, guess, marker):
                digits = guess
                break
        else:
            break
    return digits[: -len(known)] if leftwards else digits[len(known) :]


SEARCHES = [
    # (url name, fixture with the number, the number, what identifies the record in the answer)
    ("household-list", "household", HOUSEHOLD_PHONE, "王喆"),
    ("household-list", "household", RESIDENT_PHONE, "王喆"),
    ("members-household-lookup", "household", HOUSEHOLD_PHONE, "王喆户"),
    ("members-member-lookup", "member", MEMBER_PHONE, "张德明"),
    ("member-list", "member", MEMBER_PHONE, "张德明"),
    ("opinion-list", "opinion", REPORTER_PHONE, "三组机耕道垮塌"),
]


class TestSearch:
    @pytest.mark.parametrize(("name", "fixture", "number", "marker"), SEARCHES)
    def test_masked_role_recovers_no_digit(
        self, request, client_for, township_admin, name, fixture, number, marker
    ):
        request.getfixturevalue(fixture)
        client = client_for(township_admin)
        url = reverse(name)
        assert recover(client, url, marker, known=number[:3], length=11) == ""
        assert recover(client, url, marker, known=number[-4:], length=11, leftwards=True) == ""
        # A complete number finds the record (and is on the access log).
        assert _found(client, url, number, marker)

    @pytest.mark.parametrize(("name", "fixture", "number", "marker"), SEARCHES)
    def test_the_clerk_still_finds_by_part_of_a_number(
        self, request, client_for, clerk_a, name, fixture, number, marker
    ):
        request.getfixturevalue(fixture)
        if fixture == "opinion":  # received by the township: not in the village clerk's subtree
            clerk = UserFactory(role=Role.SECRETARY, organisation=Organisation.objects.get(code="js"))
        else:
            clerk = clerk_a
        assert _found(client_for(clerk), reverse(name), number[-6:], marker)

    def test_id_number_search(self, client_for, township_admin, clerk_a, household):
        masked = client_for(township_admin)
        assert not _found(masked, reverse("household-list"), RESIDENT_ID[:14], "王喆")
        assert _found(masked, reverse("household-list"), RESIDENT_ID, "王喆")
        assert _found(client_for(clerk_a), reverse("household-list"), RESIDENT_ID[6:14], "王喆")

    def test_landline_matches_with_or_without_the_hyphen(self, client_for, township_admin, tree):
        household_with_head(organisation=tree["village_a"], head_name="李堃", phone="023-66231234")
        client = client_for(township_admin)
        assert _found(client, reverse("household-list"), "02366231234", "李堃")
        assert not _found(client, reverse("household-list"), "023-6623123", "李堃")

    def test_the_hourly_limit_ends_complete_number_searches(
        self, client_for, township_admin, household, settings
    ):
        settings.LIAISON_NUMBER_SEARCHES_PER_HOUR = 3
        client = client_for(township_admin)
        for guess in ("13811110000", "13811110001", "13811110002"):
            assert not _found(client, reverse("household-list"), guess, "王喆")
        # The fourth guess is the right number, and finds nothing: the limit is reached.
        assert not _found(client, reverse("household-list"), HOUSEHOLD_PHONE, "王喆")


class TestNumberSearchRule:
    """liaison.access.privacy.number_search: the one rule any search (and a future index) applies."""

    def test_not_a_number(self, clerk_a):
        assert privacy.number_search(clerk_a, "王喆") is None
        assert privacy.number_search(clerk_a, "zs") is None

    def test_permitted_role_matches_parts(self, clerk_a):
        search = privacy.number_search(clerk_a, " 138-1111 ")
        assert (search.text, search.partial, search.matches_nothing) == ("1381111", True, False)

    @pytest.mark.parametrize("text", ["138", "1381111222", "138111122223", "0236623", "50011319680409"])
    def test_masked_role_fragment_matches_nothing(self, township_admin, text):
        assert privacy.number_search(township_admin, text).matches_nothing

    @pytest.mark.parametrize(
        ("text", "is_id"),
        [("13811112222", False), ("138 1111 2222", False), ("023-66231234", False), (RESIDENT_ID, True)],
    )
    def test_masked_role_complete_number_matches_exactly(self, township_admin, text, is_id):
        search = privacy.number_search(township_admin, text)
        assert not search.matches_nothing and not search.partial
        assert search.is_id_number is is_id

    def test_lowercase_x_is_an_id_number(self, township_admin):
        search = privacy.number_search(township_admin, "50011319800101123x")
        assert search.text.endswith("X") and search.is_id_number


# -- what is personal is declared ---------------------------------------------------------------------

PERSONAL_NAME_HINTS = ("phone", "id_number", "id_card", "identity_number", "telephone")


def test_every_phone_or_id_field_is_declared_personal_or_not():
    """A new model with a phone or ID field must say which it is (liaison.access.privacy)."""
    undeclared = []
    for model in apps.get_models():
        base = getattr(model, "instance_type", None) or model
        label = base._meta.label_lower
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField):
                continue
            if not any(hint in field.name for hint in PERSONAL_NAME_HINTS):
                continue
            declared = field.name in privacy.PERSONAL_FIELDS.get(label, {})
            if not declared and f"{label}.{field.name}" not in privacy.NOT_PERSONAL:
                undeclared.append(f"{label}.{field.name}")
    assert undeclared == [], "declare in liaison.access.privacy: PERSONAL_FIELDS or NOT_PERSONAL"


def test_every_declared_field_exists():
    for label, fields in privacy.PERSONAL_FIELDS.items():
        model = apps.get_model(label)
        for name in fields:
            model._meta.get_field(name)
    assert Household in {apps.get_model(label) for label in privacy.PERSONAL_FIELDS}
    assert PartyMember in {apps.get_model(label) for label in privacy.PERSONAL_FIELDS}
