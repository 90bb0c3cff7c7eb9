"""The audit trail: every domain model registered, who/when/where/old → new recorded, the history on the
record's page scoped, masked and in a fixed number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.test import override_settings
from django.urls import reverse

from liaison.audit.registry import NOT_AUDITED, PARENTS
from liaison.models import Household, QuotaRule, Resident
from tests.factories import ResidentFactory, household_with_head
from tests.forms_utils import form_fields
from tests.test_households import VALID_ID, new_household_post

DOMAIN_APPS = ("liaison", "members", "feedback", "visits", "commitments")
pytestmark = pytest.mark.django_db


def domain_models():
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model._meta.abstract and not model._meta.proxy:
                yield model


def entries(model, pk=None):
    queryset = LogEntry.objects.get_for_model(model).order_by("timestamp", "id")
    return queryset.filter(object_id=pk) if pk is not None else queryset


class TestRegistry:
    def test_every_domain_model_is_audited_or_excluded_with_a_reason(self):
        """A model a later issue adds to any domain app must be on the trail, or listed with its reason."""
        missing = [
            m._meta.label_lower
            for m in domain_models()
            if not auditlog.contains(m) and m._meta.label_lower not in NOT_AUDITED
        ]
        assert missing == []
        audited = [m for m in domain_models() if auditlog.contains(m)]
        assert len(audited) >= 25  # households … quota rules, the work calendar, organisations, users, tags
        for name in ["household", "resident", "quotarule", "workcalendaryear", "workcalendarday", "user"]:
            assert auditlog.contains(apps.get_model("liaison", name))

    def test_exclusions_name_real_models_and_give_a_reason(self):
        labels = {m._meta.label_lower for m in domain_models()}
        for label, reason in NOT_AUDITED.items():
            assert label in labels, f"{label} no longer exists: drop it from NOT_AUDITED"
            assert len(reason) >= 8
            assert not auditlog.contains(apps.get_model(label))

    def test_every_parent_names_registered_models(self):
        for child, (parent, _) in PARENTS.items():
            assert auditlog.contains(apps.get_model(child)) and auditlog.contains(apps.get_model(parent))

    def test_passwords_never_reach_the_trail(self, tree):
        from tests.factories import UserFactory

        user = UserFactory(organisation=tree["village_a"])
        user.set_password("another-secret-1")
        user.save()
        for entry in entries(type(user), user.pk):
            assert "password" not in (entry.changes or {})


class TestRecording:
    def test_create_edit_and_resident_removal_are_recorded_with_who_when_and_where(
        self, client_for, clerk_a, tree
    ):
        client = client_for(clerk_a)
        client.post(
            reverse("household-create"), new_household_post(client, tree["village_a"]), REMOTE_ADDR="10.1.2.3"
        )
        household = Household.objects.get()
        created = entries(Household, household.pk).get()
        assert created.action == LogEntry.Action.CREATE
        assert created.actor == clerk_a and created.remote_addr == "10.1.2.3"
        assert (
            created.changes["phone"] == [None, "13812345678"] or created.changes["phone"][1] == "13812345678"
        )
        assert entries(Resident).filter(action=LogEntry.Action.CREATE).count() == 2

        url = reverse("household-update", args=[household.pk])
        data = form_fields(client.get(url).text)
        data["phone"] = "13900001111"
        spouse_index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-name") and v == "李秀英")
        data[f"residents-{spouse_index}-DELETE"] = "on"
        response = client.post(url, data, REMOTE_ADDR="10.1.2.4")
        assert response.status_code == 302
        change = entries(Household, household.pk).filter(action=LogEntry.Action.UPDATE).get()
        assert change.changes["phone"] == ["13812345678", "13900001111"]
        assert change.remote_addr == "10.1.2.4" and change.actor == clerk_a
        removed = entries(Resident).get(action=LogEntry.Action.DELETE)
        assert removed.object_repr == "李秀英" and removed.actor == clerk_a
        assert removed.additional_data == {"parent": f"liaison.household:{household.pk}"}
        # Derived columns (pinyin, sort key, timestamps) are not noise on the trail.
        assert not {"head_initials", "sort_key", "updated_at"} & set(change.changes)

    def test_forwarded_for_counts_only_behind_our_proxy_and_then_its_last_entry(
        self, client_for, clerk_a, tree
    ):
        client = client_for(clerk_a)
        headers = {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 10.9.9.9", "REMOTE_ADDR": "127.0.0.1"}
        client.post(reverse("household-create"), new_household_post(client, tree["village_a"]), **headers)
        assert entries(Household).get().remote_addr == "127.0.0.1"  # a forged header is ignored
        with override_settings(LIAISON_BEHIND_PROXY=True):
            client.post(
                reverse("household-create"),
                new_household_post(
                    client, tree["village_a"], address="桂花村三组9号", **{"residents-0-id_number": ""}
                ),
                **headers,
            )
        assert Household.objects.count() == 2
        assert entries(Household).last().remote_addr == "10.9.9.9"  # what the proxy saw

    def test_tags_are_recorded_on_the_household(self, client_for, clerk_a, tree):
        from liaison.models import HouseholdTag

        client = client_for(clerk_a)
        tag = HouseholdTag.objects.get(name="低保户")
        client.post(
            reverse("household-create"), new_household_post(client, tree["village_a"], tags=[str(tag.pk)])
        )
        m2m = [e for e in entries(Household) if "tags" in (e.changes or {})]
        assert m2m and m2m[0].changes["tags"]["objects"] == ["低保户"]

    def test_quota_rule_edit_is_recorded(self, client_for, org_dept):
        rule = QuotaRule.objects.order_by("pk").first()
        client = client_for(org_dept)
        url = reverse("quota-edit", args=[rule.pk])
        data = form_fields(client.get(url).text)
        data["minimum"] = str(int(rule.minimum) + 1)
        response = client.post(url, data)
        assert response.status_code == 302, response.text[-1500:]
        entry = entries(QuotaRule, rule.pk).get()
        assert entry.actor == org_dept
        assert entry.changes["minimum"][0].startswith(str(int(rule.minimum)))
        assert entry.changes["minimum"][1].startswith(str(int(rule.minimum) + 1))

    def test_work_calendar_year_and_its_days_are_recorded(self, org_dept):
        from liaison import workcal
        from liaison.models import WorkCalendarDay, WorkCalendarYear

        entries_before = entries(WorkCalendarDay).count()
        workcal.save_year(
            year=2031,
            source="国务院办公厅关于2031年部分节假日安排的通知",
            notes="",
            entries=[workcal.DayEntry(date=datetime.date(2031, 1, 1), is_workday=False, name="元旦")],
            user=org_dept,
        )
        year = WorkCalendarYear.objects.get(year=2031)
        assert entries(WorkCalendarYear, year.pk).exists()
        assert entries(WorkCalendarDay).count() == entries_before + 1

    def test_pairing_members_added_in_bulk_are_recorded(self, tree, township_secretary):
        from members.models import PairingMember
        from members.services.pairings import pairing_save
        from tests.factories import PartyMemberFactory

        household = household_with_head(organisation=tree["village_a"])
        member = PartyMemberFactory(organisation=tree["village_a"])
        pairing_save(
            user=township_secretary,
            pairing=None,
            household=household,
            members=[member],
            start_date=datetime.date(2025, 3, 1),
            planned_end=datetime.date(2027, 3, 1),
            help_content="种植技术",
        )
        link = PairingMember.objects.get()
        entry = entries(PairingMember, link.pk).get()
        assert entry.action == LogEntry.Action.CREATE
        assert entry.additional_data == {"parent": f"members.pairing:{link.pairing_id}"}


def history_rows(html: str) -> str:
    match = re.search(r'<section class="card mb-3 d-print-none" id="history">(.*?)</section>', html, re.S)
    assert match, "the history section is on the page"
    return match.group(1)


@pytest.fixture
def edited_household(client_for, clerk_a, tree):
    """A household created and edited by the clerk from 10.1.2.3: phone and a resident's ID number."""
    client = client_for(clerk_a)
    client.post(
        reverse("household-create"),
        new_household_post(client, tree["village_a"], phone="13812345678"),
        REMOTE_ADDR="10.1.2.3",
    )
    household = Household.objects.get()
    url = reverse("household-update", args=[household.pk])
    data = form_fields(client.get(url).text)
    data["phone"] = "13900001111"
    client.post(url, data, REMOTE_ADDR="10.1.2.3")
    client.logout()
    return household


class TestHistoryPage:
    def test_clerk_sees_full_values_but_no_address(self, client_for, clerk_a, edited_household):
        html = client_for(clerk_a).get(reverse("household-detail", args=[edited_household.pk])).text
        rows = history_rows(html)
        assert "13812345678 → 13900001111" in rows
        assert VALID_ID in rows  # the resident's ID number as created
        assert "刘晓燕" in rows and "新增" in rows and "修改" in rows
        assert "10.1.2.3" not in rows

    @pytest.mark.parametrize("persona", ["org_dept", "township_admin"])
    def test_masked_roles_see_masked_values_and_the_address(
        self, request, client_for, persona, edited_household
    ):
        user = request.getfixturevalue(persona)
        html = client_for(user).get(reverse("household-detail", args=[edited_household.pk])).text
        rows = history_rows(html)
        assert "138****5678 → 139****1111" in rows
        assert "13812345678" not in rows and "13900001111" not in rows
        assert VALID_ID not in rows and "110105********002X" in rows
        assert "10.1.2.3" in rows

    def test_out_of_scope_household_and_its_history_are_404(self, client_for, outsider, edited_household):
        response = client_for(outsider).get(reverse("household-detail", args=[edited_household.pk]))
        assert response.status_code == 404

    def test_a_removed_resident_stays_in_the_household_history(self, client_for, clerk_a, tree):
        household = household_with_head(organisation=tree["village_a"])
        resident = ResidentFactory(household=household, name="赵错录", relation="child", phone="")
        resident.delete()
        html = client_for(clerk_a).get(reverse("household-detail", args=[household.pk])).text
        rows = history_rows(html)
        assert "删除" in rows and "赵错录" in rows

    def test_history_queries_do_not_grow_with_entries(
        self, client_for, clerk_a, tree, django_assert_num_queries
    ):
        household = household_with_head(organisation=tree["village_a"])
        client = client_for(clerk_a)
        url = reverse("household-detail", args=[household.pk])
        client.get(url)
        with django_assert_num_queries(HOUSEHOLD_DETAIL_QUERIES):
            client.get(url)
        for n in range(20):
            household.phone = f"1380000{n:04d}"
            household.save()
            ResidentFactory(household=household, name=f"成员{n}", relation="child", phone="")
        with django_assert_num_queries(HOUSEHOLD_DETAIL_QUERIES):
            response = client.get(url)
        rows = history_rows(response.text)
        assert "共 42 条" in rows  # the factory's household and head, then 20 edits and 20 residents
        assert rows.count("<tr>") == 1 + 42
        assert "（空） → （空）" not in rows  # empty fields of a new record are not listed


# Session, user with its organisation, household with its relations, residents, tags, archived residents, panels (helpers),
# then the history: count, entries with actors, the organisation names its FKs point to; the access-log row;
# the visits panel: the household's visits with their opinions, its 五必访 events.
HOUSEHOLD_DETAIL_QUERIES = 15


@pytest.mark.parametrize(
    "url_name,factory",
    [
        ("member-detail", "member"),
        ("pairing-detail", "pairing"),
        ("point-detail", "point"),
        ("post-detail", "post"),
        ("unitpairing-detail", "unit"),
    ],
)
def test_members_record_pages_show_their_history(client_for, township_secretary, tree, url_name, factory):
    from members.models import LiaisonPoint, Post
    from members.tests.factories import MemberFactory, pairing, unit_pairing

    member = MemberFactory(organisation=tree["village_a"], phone="13700001234")
    household = household_with_head(organisation=tree["village_a"])
    record = {
        "member": lambda: member,
        "pairing": lambda: pairing(household, member),
        "point": lambda: LiaisonPoint.objects.create(
            organisation=tree["village_a"], leader=member, started_on=datetime.date(2025, 1, 1)
        ),
        "post": lambda: Post.objects.create(
            organisation=tree["village_a"], name="政策宣传岗", responsibilities="宣传政策"
        ),
        "unit": lambda: unit_pairing("line", tree["township"], target_organisation=tree["village_a"]),
    }[factory]()
    response = client_for(township_secretary).get(reverse(url_name, args=[record.pk]))
    assert response.status_code == 200
    rows = history_rows(response.text)
    assert "新增" in rows


def test_bulk_entries_outside_a_request_have_no_actor_even_after_one(client_for, clerk_a, tree):
    """auditlog leaves the last request's actor in its context variable; a later bulk write (a
    command, a task) must not borrow it."""
    from liaison import workcal
    from liaison.models import WorkCalendarDay

    client_for(clerk_a).post(
        reverse("household-create"), new_household_post(client_for(clerk_a), tree["village_a"])
    )
    workcal.save_year(
        year=2032,
        source="国务院办公厅关于2032年部分节假日安排的通知",
        notes="",
        entries=[workcal.DayEntry(date=datetime.date(2032, 1, 1), is_workday=False, name="元旦")],
    )
    entry = entries(WorkCalendarDay).last()
    assert entry.actor is None and entry.remote_addr is None


@pytest.mark.parametrize("url_name", ["member-detail", "pairing-detail"])
def test_members_pages_cost_the_same_however_long_the_history(
    client_for, township_secretary, tree, url_name, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.tests.factories import MemberFactory, pairing

    member = MemberFactory(organisation=tree["village_a"])
    household = household_with_head(organisation=tree["village_a"])
    record = member if url_name == "member-detail" else pairing(household, member)
    client = client_for(township_secretary)
    url = reverse(url_name, args=[record.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    field, value = ("phone", "1390000{n:04d}") if url_name == "member-detail" else ("notes", "第{n}次修改")
    for n in range(10):
        setattr(record, field, value.format(n=n))
        record.save()
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert value.format(n=9) in history_rows(response.text)
