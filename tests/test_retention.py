"""Retention: 迁出 and 死亡 are archived, not deleted; archived rows appear nowhere but on the 已归档 list
and their own page; the 组织部 purges them after LIAISON_RETENTION_YEARS with a logged reason."""

from __future__ import annotations

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from liaison import retention
from liaison.models import Household, HouseholdTag, Resident
from tests.factories import ResidentFactory, household_with_head
from tests.forms_utils import form_fields

pytestmark = pytest.mark.django_db

ARCHIVED_HEAD = "欧阳归档"
ARCHIVED_PHONE = "13355556666"
GONE_RESIDENT = "司马已故"


@pytest.fixture
def archived(tree, clerk_a):
    """An archived household (with a poor tag and a phone) and an archived resident of a live household."""
    household = household_with_head(
        organisation=tree["village_a"], head_name=ARCHIVED_HEAD, address="桂花村五组1号", phone=ARCHIVED_PHONE
    )
    household.tags.add(HouseholdTag.objects.get(name="贫困户"))
    retention.household_archive(user=clerk_a, household=household, reason="moved_away", note="迁往渝中区")
    live = household_with_head(organisation=tree["village_a"], head_name="王在册", address="桂花村五组2号")
    gone = ResidentFactory(household=live, name=GONE_RESIDENT, relation="parent", phone="13377778888")
    retention.resident_archive(user=clerk_a, resident=gone, reason="deceased", on=datetime.date(2026, 3, 1))
    return {"household": Household.all_objects.get(pk=household.pk), "live": live, "gone": gone}


def body(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return "\n".join(
            str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value
        )
    return response.content.decode()


class TestArchivedRowsAppearNowhere:
    @pytest.mark.parametrize(
        "url",
        [
            reverse("household-list"),
            reverse("household-list") + "?q=欧阳",
            reverse("household-list") + f"?q={ARCHIVED_PHONE}",
            reverse("household-list") + "?q=oy",
            reverse("household-list") + "?q=司马",
            reverse("household-export"),
            reverse("members-household-lookup") + "?q=欧阳",
            reverse("members-household-lookup") + "?q=欧阳&poor=1",
            reverse("coverage"),
            reverse("pairing-create"),
            reverse("dashboard"),
        ],
    )
    def test_lists_searches_lookups_exports_and_counts(self, client_for, township_secretary, archived, url):
        response = client_for(township_secretary).get(url)
        assert response.status_code == 200
        text = body(response)
        for value in (ARCHIVED_HEAD, ARCHIVED_PHONE, GONE_RESIDENT):
            # the search box and the export link repeat the query
            text = text.replace(f"q={value}", "").replace(f'value="{value}"', "")
        assert ARCHIVED_HEAD not in text and ARCHIVED_PHONE not in text
        assert GONE_RESIDENT not in text

    def test_the_export_lists_the_live_household_without_the_archived_resident(
        self, client_for, township_secretary, archived
    ):
        text = body(client_for(township_secretary).get(reverse("household-export")))
        assert "王在册" in text and GONE_RESIDENT not in text

    def test_counts_and_managers(self, archived, tree, township_secretary):
        from members.selectors.coverage import poor_households

        assert not Household.objects.filter(head_name=ARCHIVED_HEAD).exists()
        assert not Resident.objects.filter(name__in=[ARCHIVED_HEAD, GONE_RESIDENT]).exists()
        assert not tree["village_a"].households.filter(head_name=ARCHIVED_HEAD).exists()
        assert [r.name for r in archived["live"].residents.all()] == ["王在册"]
        assert not poor_households(township_secretary).filter(head_name=ARCHIVED_HEAD).exists()

    def test_dashboard_counts_leave_archived_out(self, client_for, township_secretary, archived):
        response = client_for(township_secretary).get(reverse("dashboard"))
        assert response.context["totals"]["households"] == 1
        assert response.context["totals"]["residents"] == 1
        counts = {o.name: o.household_count for o in response.context["grassroots"]}
        assert counts["桂花村"] == 1
        # the tag counts come from the link table, which no manager filters
        assert "贫困户" not in [t["householdtag__name"] for t in response.context["tags"]]


class TestArchivedList:
    def test_scope_sees_archived_households_and_residents(self, client_for, clerk_a, archived):
        text = client_for(clerk_a).get(reverse("household-archived")).text
        assert ARCHIVED_HEAD in text and "迁出" in text and "迁往渝中区" in text
        assert GONE_RESIDENT in text and "死亡" in text

    def test_other_subtree_does_not(self, client_for, outsider, clerk_b, archived):
        for user in (outsider, clerk_b):
            text = client_for(user).get(reverse("household-archived")).text
            assert ARCHIVED_HEAD not in text and GONE_RESIDENT not in text
            response = client_for(user).get(reverse("household-detail", args=[archived["household"].pk]))
            assert response.status_code == 404

    def test_archived_household_page_offers_restore_but_not_edit_or_print(
        self, client_for, clerk_a, archived
    ):
        pk = archived["household"].pk
        client = client_for(clerk_a)
        text = client.get(reverse("household-detail", args=[pk])).text
        assert "已归档" in text and "恢复" in text
        assert client.get(reverse("household-update", args=[pk])).status_code == 404
        assert client.get(reverse("household-pdf", args=[pk])).status_code == 404

    def test_restore_brings_it_back(self, client_for, clerk_a, archived):
        client = client_for(clerk_a)
        response = client.post(reverse("household-restore", args=[archived["household"].pk]))
        assert response.status_code == 302
        assert ARCHIVED_HEAD in client.get(reverse("household-list")).text
        response = client.post(reverse("resident-restore", args=[archived["live"].pk, archived["gone"].pk]))
        assert Resident.objects.filter(name=GONE_RESIDENT).exists()

    def test_org_dept_cannot_restore(self, client_for, org_dept, archived):
        response = client_for(org_dept).post(reverse("household-restore", args=[archived["household"].pk]))
        assert response.status_code == 403

    def test_archived_list_query_count(self, client_for, org_dept, archived, django_assert_num_queries):
        client = client_for(org_dept)
        client.get(reverse("household-archived"))
        with django_assert_num_queries(ARCHIVED_LIST_QUERIES):
            client.get(reverse("household-archived"))
        for n in range(5):
            household = household_with_head(organisation=archived["live"].organisation, address=f"七组{n}号")
            retention.household_archive(user=org_dept, household=household, reason="other")
        with django_assert_num_queries(ARCHIVED_LIST_QUERIES):
            client.get(reverse("household-archived"))


# session, user with its organisation; households count + page; residents count + page; the purge box's two counts
ARCHIVED_LIST_QUERIES = 9


class TestArchiving:
    def test_clerk_archives_a_household_through_the_form(self, client_for, clerk_a, household_a):
        client = client_for(clerk_a)
        url = reverse("household-archive", args=[household_a.pk])
        data = form_fields(client.get(url).text)
        data.update({"reason": "deceased", "archived_on": "2026-01-15", "note": "户主病故，无其他成员"})
        response = client.post(url, data)
        assert response.status_code == 302
        household = Household.all_objects.get(pk=household_a.pk)
        assert household.archived_on == datetime.date(2026, 1, 15) and household.archive_reason == "deceased"
        assert household.archived_by == clerk_a
        entry = LogEntry.objects.get_for_object(household).filter(action=LogEntry.Action.UPDATE).get()
        assert entry.changes["archive_reason"] == ["", "deceased"] and entry.actor == clerk_a

    def test_reason_is_required_and_future_dates_refused(self, client_for, clerk_a, household_a):
        client = client_for(clerk_a)
        url = reverse("household-archive", args=[household_a.pk])
        assert retention.REASON_REQUIRED in client.post(url, {"reason": ""}).text
        tomorrow = datetime.date.today() + datetime.timedelta(days=2)
        response = client.post(url, {"reason": "moved_away", "archived_on": tomorrow.isoformat()})
        assert retention.DATE_IN_FUTURE in response.text
        assert Household.objects.filter(pk=household_a.pk).exists()

    def test_household_with_active_pairing_is_refused(self, client_for, clerk_a, household_a, tree):
        from members.tests.factories import MemberFactory, pairing

        pairing(household_a, MemberFactory(organisation=tree["village_a"], name="李帮扶"))
        response = client_for(clerk_a).post(
            reverse("household-archive", args=[household_a.pk]), {"reason": "moved_away"}
        )
        assert "进行中的结对帮扶（李帮扶）" in response.text
        assert Household.objects.filter(pk=household_a.pk).exists()

    def test_out_of_scope_archive_is_404(self, client_for, outsider, household_a):
        url = reverse("household-archive", args=[household_a.pk])
        assert client_for(outsider).post(url, {"reason": "moved_away"}).status_code == 404

    def test_resident_archived_from_the_edit_form_and_typo_row_deleted(
        self, client_for, clerk_a, household_a
    ):
        spouse = ResidentFactory(household=household_a, name="李外迁", relation="spouse", phone="")
        typo = ResidentFactory(household=household_a, name="错录行", relation="child", phone="")
        client = client_for(clerk_a)
        url = reverse("household-update", args=[household_a.pk])
        data = form_fields(client.get(url).text)
        index = {v: k.split("-")[1] for k, v in data.items() if k.endswith("-name")}
        data[f"residents-{index['李外迁']}-departure"] = "moved_away"
        data[f"residents-{index['李外迁']}-departed_on"] = "2026-02-01"
        data[f"residents-{index['错录行']}-DELETE"] = "on"
        response = client.post(url, data)
        assert response.status_code == 302, response.text[-3000:]
        spouse = Resident.all_objects.get(pk=spouse.pk)
        assert spouse.archive_reason == "moved_away" and spouse.archived_on == datetime.date(2026, 2, 1)
        assert not Resident.all_objects.filter(pk=typo.pk).exists()
        deleted = LogEntry.objects.get(action=LogEntry.Action.DELETE, object_id=typo.pk)
        assert deleted.actor == clerk_a and deleted.object_repr == "错录行"
        page = client.get(reverse("household-detail", args=[household_a.pk])).text
        assert "已归档的家庭成员" in page and "李外迁" in page

    def test_delete_and_depart_on_one_row_is_refused(self, client_for, clerk_a, household_a):
        ResidentFactory(household=household_a, name="李两选", relation="spouse", phone="")
        client = client_for(clerk_a)
        url = reverse("household-update", args=[household_a.pk])
        data = form_fields(client.get(url).text)
        i = next(k.split("-")[1] for k, v in data.items() if k.endswith("-name") and v == "李两选")
        data[f"residents-{i}-departure"] = "deceased"
        data[f"residents-{i}-DELETE"] = "on"
        response = client.post(url, data)
        assert response.status_code == 200
        from liaison.forms import DELETE_OR_DEPART

        assert DELETE_OR_DEPART in response.text
        assert Resident.objects.filter(name="李两选").exists()

    def test_head_who_died_is_archived_while_a_new_head_is_chosen(self, client_for, clerk_a, household_a):
        ResidentFactory(household=household_a, name="李继任", relation="spouse", phone="")
        client = client_for(clerk_a)
        url = reverse("household-update", args=[household_a.pk])
        data = form_fields(client.get(url).text)
        index = {v: k.split("-")[1] for k, v in data.items() if k.endswith("-name")}
        data[f"residents-{index['王喆']}-departure"] = "deceased"
        data[f"residents-{index['李继任']}-relation"] = "head"
        response = client.post(url, data)
        assert response.status_code == 302, response.text[-3000:]
        household = Household.objects.get(pk=household_a.pk)
        assert household.head_name == "李继任"
        assert Resident.all_objects.get(name="王喆").archive_reason == "deceased"

    def test_head_cannot_be_archived_alone(self, client_for, clerk_a, household_a):
        head = household_a.residents.get()
        with pytest.raises(ValidationError) as exc:
            retention.resident_archive(user=clerk_a, resident=head, reason="deceased")
        assert retention.HEAD_CANNOT_BE_ARCHIVED in exc.value.messages

    def test_retyping_an_archived_household_says_restore_it(self, client_for, clerk_a, tree, archived):
        from tests.test_households import new_household_post

        client = client_for(clerk_a)
        data = new_household_post(
            client,
            tree["village_a"],
            address="桂花村五组1号",
            **{"residents-0-name": ARCHIVED_HEAD, "residents-0-id_number": ""},
        )
        response = client.post(reverse("household-create"), data)
        assert response.status_code == 200
        from liaison.forms import DUPLICATE_ARCHIVED_HOUSEHOLD

        assert DUPLICATE_ARCHIVED_HOUSEHOLD in response.text


class TestRetentionRules:
    def test_purge_due_boundary(self):
        archived_on = datetime.date(2021, 6, 30)
        assert retention.purge_due(archived_on, 5) == datetime.date(2026, 6, 30)
        assert not retention.may_purge(archived_on, datetime.date(2026, 6, 29), 5)
        assert retention.may_purge(archived_on, datetime.date(2026, 6, 30), 5)
        assert retention.purge_cutoff(datetime.date(2026, 6, 30), 5) == archived_on

    def test_leap_day(self):
        assert retention.purge_due(datetime.date(2024, 2, 29), 5) == datetime.date(2029, 3, 1)
        assert retention.purge_cutoff(datetime.date(2028, 2, 29), 5) == datetime.date(2023, 2, 28)

    def test_default_is_five_years_and_a_setting_changes_it(self):
        assert retention.retention_years() == 5
        with override_settings(LIAISON_RETENTION_YEARS=10):
            assert retention.purge_due(datetime.date(2020, 1, 1)) == datetime.date(2030, 1, 1)


def _age(record, years: int, days: int = 0):
    """Pretend the record was archived `years` years (plus `days`) before today."""
    today = datetime.date.today()
    record.archived_on = retention.purge_cutoff(today, years) - datetime.timedelta(days=days)
    type(record).all_objects.filter(pk=record.pk).update(archived_on=record.archived_on)
    return record


class TestPurge:
    def test_only_the_org_dept_may_purge(self, client_for, township_secretary, clerk_a, archived):
        for user in (township_secretary, clerk_a):
            url = reverse("household-purge", args=[archived["household"].pk])
            assert client_for(user).post(url, {"reason": "期满"}).status_code == 403
            assert (
                client_for(user).post(reverse("household-purge-due"), {"reason": "期满"}).status_code == 403
            )

    def test_younger_records_are_refused_in_chinese(self, client_for, org_dept, archived):
        _age(archived["household"], 5, days=-1)  # one day short
        url = reverse("household-purge", args=[archived["household"].pk])
        response = client_for(org_dept).post(url, {"reason": "保存期满"})
        assert response.status_code == 200
        assert "未满 5 年保存期限" in response.text
        assert Household.all_objects.filter(pk=archived["household"].pk).exists()

    def test_reason_is_required(self, client_for, org_dept, archived):
        _age(archived["household"], 6)
        url = reverse("household-purge", args=[archived["household"].pk])
        response = client_for(org_dept).post(url, {"reason": "  "})
        assert retention.PURGE_REASON_REQUIRED in response.text
        assert Household.all_objects.filter(pk=archived["household"].pk).exists()

    def test_purge_removes_the_household_and_keeps_the_trail_without_personal_values(
        self, client_for, org_dept, archived
    ):
        household = _age(archived["household"], 5)  # exactly on the boundary
        pk = household.pk
        head_pk = Resident.all_objects.get(household_id=pk).pk
        response = client_for(org_dept).post(
            reverse("household-purge", args=[pk]),
            {"reason": "依个人信息保护法第四十七条删除"},
            REMOTE_ADDR="10.0.0.9",
        )
        assert response.status_code == 302
        assert not Household.all_objects.filter(pk=pk).exists()
        assert not Resident.all_objects.filter(pk=head_pk).exists()
        deleted = LogEntry.objects.get(
            object_id=pk, action=LogEntry.Action.DELETE, content_type__model="household"
        )
        assert deleted.actor == org_dept and deleted.remote_addr == "10.0.0.9"
        assert "依个人信息保护法第四十七条删除" in deleted.additional_data["reason"]
        assert deleted.additional_data["retention_years"] == 5
        assert LogEntry.objects.filter(object_id=head_pk, action=LogEntry.Action.DELETE).exists()
        trail = str(
            list(LogEntry.objects.filter(object_id__in=[pk, head_pk]).values("changes", "object_repr"))
        )
        assert ARCHIVED_PHONE not in trail and ARCHIVED_HEAD not in trail
        assert retention.PURGED_REDACTED in trail

    def test_purge_all_due_purges_only_the_old_ones(self, client_for, org_dept, archived, tree):
        _age(archived["household"], 7)
        young = household_with_head(organisation=tree["village_a"], head_name="年轻档", address="九组1号")
        retention.household_archive(user=org_dept, household=young, reason="moved_away")
        _age(archived["gone"], 5)
        client = client_for(org_dept)
        page = client.get(reverse("household-archived")).text
        assert "保存期满的记录：1 户、1 名家庭成员" in page
        response = client.post(reverse("household-purge-due"), {"reason": "年度清理"}, follow=True)
        assert "已永久删除 1 户、1 名家庭成员" in response.text
        assert list(
            Household.all_objects.filter(archived_on__isnull=False).values_list("head_name", flat=True)
        ) == ["年轻档"]
        assert not Resident.all_objects.filter(name=GONE_RESIDENT).exists()

    def test_org_dept_of_another_district_branch_cannot_purge_outside_scope(self, archived, tree):
        from liaison.models import Role
        from tests.factories import UserFactory

        _age(archived["household"], 6)
        other = UserFactory(role=Role.ORG_DEPT, organisation=tree["other_township"])
        households, residents = retention.purgeable(other)
        assert not households.exists() and not residents.exists()

    def test_management_command_is_a_dry_run_by_default(self, archived):
        _age(archived["household"], 6)
        out = io.StringIO()
        call_command("purge_archived", stdout=out)
        assert "1 户、0 名家庭成员" in out.getvalue() and "试运行" in out.getvalue()
        assert Household.all_objects.filter(pk=archived["household"].pk).exists()
        with pytest.raises(CommandError, match="理由"):
            call_command("purge_archived", "--commit", stdout=io.StringIO())
        call_command("purge_archived", "--commit", "--reason", "年度清理", stdout=out)
        assert not Household.all_objects.filter(pk=archived["household"].pk).exists()
        entry = LogEntry.objects.get(
            object_id=archived["household"].pk, action=LogEntry.Action.DELETE, content_type__model="household"
        )
        assert "年度清理（manage.py purge_archived）" in entry.additional_data["reason"]
