"""No lost updates, no doubled records: two people on one record, one person submitting twice.

Every form is driven through the HTML the user gets (tests.forms_utils.form_fields), as a browser
would post it back.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from feedback.models import Opinion, Urge
from liaison.models import Household, Resident
from liaison.safeguards.concurrency import StaleRecord, lock_unchanged, record_state
from members.models import (
    LiaisonContact,
    LiaisonPoint,
    Pairing,
    PartyMember,
    Post,
    UnitPairing,
    UnitPairingRecord,
)
from members.services.points import POINT_OUT_OF_SCOPE
from members.tests.factories import MemberFactory, branch, pairing, unit_pairing
from tests.factories import OrganisationFactory
from tests.forms_utils import form_fields

D = datetime.date


def opened(client, url: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    return form_fields(page.content.decode())


def errors_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def branch_a(tree):
    return branch(tree["village_a"], "桂花村第一党支部", "js-gh-1")


@pytest.fixture
def member(branch_a):
    return MemberFactory(organisation=branch_a, name="张德明")


# ---------------------------------------------------------------- lost updates


class TestStaleSaveIsRefused:
    """Two users open the same form; both save. The second is refused, told what changed, and
    nothing of the first is overwritten."""

    def test_household_with_residents(self, client, clerk_a, township_secretary, household_a):
        url = reverse("household-update", args=[household_a.pk])
        client.force_login(clerk_a)
        first = opened(client, url)
        client.force_login(township_secretary)
        second = opened(client, url)

        first["phone"] = "13911112222"
        client.force_login(clerk_a)
        assert client.post(url, first).status_code == 302

        second["residents-0-name"] = "王小喆"
        second["address"] = "桂花村三组99号"
        client.force_login(township_secretary)
        response = client.post(url, second)
        assert response.status_code == 200
        page = errors_of(response)
        assert "这条记录已被他人修改（联系电话）" in page
        household_a.refresh_from_db()
        assert household_a.phone == "13911112222" and household_a.address == "桂花村三组12号"
        assert list(household_a.residents.values_list("name", flat=True)) == ["王喆"]
        # The user's input is kept, and saving again (now knowingly, after the warning) goes through.
        again = form_fields(page)
        assert again["address"] == "桂花村三组99号"
        assert client.post(url, again).status_code == 302
        household_a.refresh_from_db()
        assert household_a.address == "桂花村三组99号"

    def test_a_changed_resident_is_named(self, client, clerk_a, household_a):
        url = reverse("household-update", args=[household_a.pk])
        client.force_login(clerk_a)
        seen = opened(client, url)
        Resident.objects.filter(household=household_a).update(occupation="务农")
        seen["skills"] = "嫁接"
        response = client.post(url, seen)
        assert "这条记录已被他人修改（家庭成员）" in errors_of(response)
        assert Household.objects.get(pk=household_a.pk).skills == ""

    def test_member(self, client, clerk_a, township_secretary, member):
        url = reverse("member-update", args=[member.pk])
        client.force_login(clerk_a)
        first = opened(client, url)
        second = opened(client, url)
        first["phone"] = "13900001111"
        assert client.post(url, first).status_code == 302
        second["title"] = "村主任"
        response = client.post(url, second)
        assert "这条记录已被他人修改（联系电话）" in errors_of(response)
        member.refresh_from_db()
        assert member.phone == "13900001111" and member.title != "村主任"

    def test_pairing(self, client, clerk_a, household_a, member):
        paired = pairing(household_a, member)
        url = reverse("pairing-update", args=[paired.pk])
        client.force_login(clerk_a)
        first, second = opened(client, url), opened(client, url)
        first["help_content"] = "花椒种植"
        assert client.post(url, first).status_code == 302
        second["notes"] = "每月电话联系"
        response = client.post(url, second)
        assert "这条记录已被他人修改（帮扶内容）" in errors_of(response)
        paired.refresh_from_db()
        assert paired.help_content == "花椒种植" and paired.notes == ""

    def test_unit_pairing(self, client, clerk_a, tree):
        unit = OrganisationFactory(
            name="区农业农村委机关党委", code="nync", level="unit", parent=tree["district"]
        )
        line = unit_pairing("line", unit, target_organisation=tree["village_a"])
        url = reverse("unitpairing-update", args=[line.pk])
        client.force_login(clerk_a)
        first, second = opened(client, url), opened(client, url)
        first["content"] = "修建便民桥"
        assert client.post(url, first).status_code == 302
        second["content"] = "资助图书室"
        response = client.post(url, second)
        assert "这条记录已被他人修改（帮扶内容）" in errors_of(response)
        assert UnitPairing.objects.get(pk=line.pk).content == "修建便民桥"

    def test_liaison_point_and_post(self, client, township_secretary, tree, member):
        point = LiaisonPoint.objects.create(
            leader=member, organisation=tree["village_a"], started_on=D(2025, 1, 1)
        )
        post = Post.objects.create(
            organisation=member.organisation, name="政策宣传岗", responsibilities="宣传"
        )
        client.force_login(township_secretary)
        for url, field, first_value, second_value, read in [
            (
                reverse("point-update", args=[point.pk]),
                "focus",
                "产业发展",
                "基层治理",
                lambda: LiaisonPoint.objects.get(pk=point.pk).focus,
            ),
            (
                reverse("post-update", args=[post.pk]),
                "responsibilities",
                "宣传政策",
                "调解纠纷",
                lambda: Post.objects.get(pk=post.pk).responsibilities,
            ),
        ]:
            first, second = opened(client, url), opened(client, url)
            first[field] = first_value
            assert client.post(url, first).status_code == 302
            second[field] = second_value
            assert "这条记录已被他人修改" in errors_of(client.post(url, second))
            assert read() == first_value

    def test_a_save_without_change_by_someone_else_is_no_conflict(self, client, clerk_a, household_a):
        url = reverse("household-update", args=[household_a.pk])
        client.force_login(clerk_a)
        first, second = opened(client, url), opened(client, url)
        assert client.post(url, first).status_code == 302  # saved as it was
        second["skills"] = "嫁接"
        assert client.post(url, second).status_code == 302

    def test_a_tampered_state_is_refused(self, client, clerk_a, household_a):
        url = reverse("household-update", args=[household_a.pk])
        client.force_login(clerk_a)
        data = opened(client, url)
        data["record_state"] = "forged"
        data["skills"] = "嫁接"
        assert "页面已过期或被改动" in errors_of(client.post(url, data))
        assert Household.objects.get(pk=household_a.pk).skills == ""

    def test_the_page_carries_hashes_not_the_numbers(self, household_a):
        household_a.phone = "13812345678"
        household_a.save()
        from django.core import signing

        state = signing.loads(
            record_state(household_a, parts=("residents",)), salt="liaison.safeguards.concurrency"
        )
        assert "13812345678" not in repr(state)

    def test_the_check_runs_under_the_row_lock(self, household_a):
        seen = record_state(household_a)
        Household.objects.filter(pk=household_a.pk).update(group="二组")
        with pytest.raises(StaleRecord) as caught:
            lock_unchanged(household_a, seen)
        assert caught.value.changed == ["村民小组/网格"]


# ---------------------------------------------------------------- doubled records


class TestRepeatedSubmissionMakesOneRecord:
    """The same page posted twice (double click, or Back and save again) makes one record, and the
    second submission lands on it with a message."""

    def post_twice(self, client, url: str, data: dict):
        first = client.post(url, data)
        second = client.post(url, data, follow=True)
        return first, second

    def test_household(self, client, clerk_a, tree):
        client.force_login(clerk_a)
        data = opened(client, reverse("household-create"))
        data.update(
            {
                "organisation": str(tree["village_a"].pk),
                "address": "桂花村五组1号",
                "residents-0-name": "陈犇",
                "residents-0-gender": "M",
            }
        )
        first, second = self.post_twice(client, reverse("household-create"), data)
        assert first.status_code == 302
        created = Household.objects.get(address="桂花村五组1号")
        assert second.redirect_chain[-1][0] == reverse("household-detail", args=[created.pk])
        assert "已经提交过一次，没有重复登记" in second.content.decode()

    def test_member_without_id_number(self, client, clerk_a, branch_a):
        client.force_login(clerk_a)
        data = opened(client, reverse("member-create"))
        data.update({"organisation": str(branch_a.pk), "name": "李秀英", "gender": "F"})
        first, second = self.post_twice(client, reverse("member-create"), data)
        assert first.status_code == 302
        assert PartyMember.objects.filter(name="李秀英").count() == 1
        assert "没有重复登记" in second.content.decode()

    def test_unit_pairing_record_money_counts_once(self, client, clerk_a, tree):
        unit = OrganisationFactory(name="区财政局机关党委", code="czj", level="unit", parent=tree["district"])
        line = unit_pairing("line", unit, target_organisation=tree["village_a"])
        client.force_login(clerk_a)
        page = client.get(reverse("unitpairing-detail", args=[line.pk])).content.decode()
        data = {
            "submission": form_fields(page)["submission"],
            "date": "2025-03-08",
            "content": "慰问困难党员",
            "money": "600",
            "goods": "",
        }
        first, second = self.post_twice(client, reverse("unitrecord-create", args=[line.pk]), data)
        assert first.status_code == 302 and "没有重复登记" in second.content.decode()
        assert UnitPairingRecord.objects.filter(pairing=line).count() == 1
        assert sum(r.money for r in UnitPairingRecord.objects.all()) == Decimal("600")

    def test_pairing_point_contact_and_post(self, client, township_secretary, tree, household_a, member):
        client.force_login(township_secretary)
        data = opened(client, reverse("pairing-create"))
        data.update(
            {
                "household": str(household_a.pk),
                "members": [str(member.pk)],
                "start_date": "2025-03-01",
                "help_content": "柑橘种植",
            }
        )
        self.post_twice(client, reverse("pairing-create"), data)
        assert Pairing.objects.count() == 1

        data = opened(client, reverse("point-create"))
        data.update(
            {"leader": str(member.pk), "organisation": str(tree["village_a"].pk), "started_on": "2025-01-01"}
        )
        self.post_twice(client, reverse("point-create"), data)
        point = LiaisonPoint.objects.get()

        page = client.get(reverse("point-detail", args=[point.pk])).content.decode()
        data = {
            "submission": form_fields(page)["submission"],
            "date": "2025-02-01",
            "method": "visit",
            "content": "走访",
        }
        self.post_twice(client, reverse("point-contact-create", args=[point.pk]), data)
        assert LiaisonContact.objects.count() == 1

        data = opened(client, reverse("post-create"))
        data.update(
            {
                "organisation": str(member.organisation.pk),
                "name": "环境卫生岗",
                "responsibilities": "督促清扫",
            }
        )
        self.post_twice(client, reverse("post-create"), data)
        assert Post.objects.filter(name="环境卫生岗").count() == 1

    def test_opinion_and_urge(self, client, township_secretary, tree):
        client.force_login(township_secretary)
        data = opened(client, reverse("opinion-create"))
        data.update(
            {
                "organisation": str(tree["village_a"].pk),
                "received_on": "2026-03-03",
                "channel": "hotline",
                "reporter_name": "王喆",
                "subject": "机耕道垮塌",
                "content": "请求修复",
                "category": "1",
            }
        )
        first, second = self.post_twice(client, reverse("opinion-create"), data)
        assert first.status_code == 302, first.content.decode()[:3000]
        opinion = Opinion.objects.get()
        assert second.redirect_chain[-1][0] == reverse("opinion-detail", args=[opinion.pk])

        url = reverse("opinion-urge", args=[opinion.pk])
        data = opened(client, url)
        data.update({"kind": "urge", "note": "请加快办理"})
        self.post_twice(client, url, data)
        assert Urge.objects.count() == 1

    def test_a_failed_submission_can_be_corrected_and_saved(self, client, clerk_a, branch_a):
        client.force_login(clerk_a)
        data = opened(client, reverse("member-create"))
        data.update({"organisation": str(branch_a.pk), "name": "", "gender": "F"})
        assert client.post(reverse("member-create"), data).status_code == 200  # name missing
        data["name"] = "李秀英"
        assert client.post(reverse("member-create"), data).status_code == 302
        assert PartyMember.objects.filter(name="李秀英").count() == 1


class TestSamePersonWarning:
    """A member with the same name, branch and birth date as one already there is warned about."""

    def test_warned_then_saved_when_confirmed(self, client, clerk_a, branch_a):
        MemberFactory(organisation=branch_a, name="李秀英", birth_date=D(1968, 2, 3))
        client.force_login(clerk_a)
        data = opened(client, reverse("member-create"))
        data.update(
            {"organisation": str(branch_a.pk), "name": "李秀英", "gender": "F", "birth_date": "1968-02-03"}
        )
        response = client.post(reverse("member-create"), data)
        assert response.status_code == 200
        assert "可能是同一人重复登记" in response.content.decode()
        assert PartyMember.objects.filter(name="李秀英").count() == 1
        again = form_fields(response.content.decode())
        again["confirm_not_duplicate"] = "on"
        assert client.post(reverse("member-create"), again).status_code == 302
        assert PartyMember.objects.filter(name="李秀英").count() == 2

    def test_another_birth_date_is_not_warned(self, client, clerk_a, branch_a):
        MemberFactory(organisation=branch_a, name="李秀英", birth_date=D(1968, 2, 3))
        client.force_login(clerk_a)
        data = opened(client, reverse("member-create"))
        data.update(
            {"organisation": str(branch_a.pk), "name": "李秀英", "gender": "F", "birth_date": "1970-02-03"}
        )
        assert client.post(reverse("member-create"), data).status_code == 302


# ---------------------------------------------------------------- records across two subtrees


class TestLiaisonPointAcrossSubtrees:
    """README “跨范围的记录”: a 联系点 at a village is recorded by whoever holds both the leader and
    the village; either side sees it; only that side changes it."""

    def test_a_village_clerk_cannot_make_a_point_in_another_township(self, client, clerk_a, tree, member):
        client.force_login(clerk_a)
        data = opened(client, reverse("point-create"))
        data.update(
            {"leader": str(member.pk), "organisation": str(tree["community"].pk), "started_on": "2025-01-01"}
        )
        response = client.post(reverse("point-create"), data)
        assert response.status_code == 200
        assert POINT_OUT_OF_SCOPE in response.content.decode()
        assert not LiaisonPoint.objects.exists()

    def test_the_district_records_a_leaders_point_anywhere_and_both_sides_see_it(
        self, client, tree, org_dept, outsider, clerk_a
    ):
        district_branch = branch(tree["district"], "区委办公室党支部", "bn-1")
        leader = MemberFactory(organisation=district_branch, name="区领导")
        point = LiaisonPoint.objects.create(
            leader=leader, organisation=tree["community"], started_on=D(2025, 1, 1)
        )
        # The point's side (南泉社区) sees it but does not change it; an unrelated village sees nothing.
        client.force_login(outsider)
        assert client.get(reverse("point-detail", args=[point.pk])).status_code == 200
        assert client.get(reverse("point-update", args=[point.pk])).status_code == 404
        client.force_login(clerk_a)
        assert client.get(reverse("point-detail", args=[point.pk])).status_code == 404

    def test_the_township_holding_both_ends_changes_it(self, client, township_secretary, tree, member):
        point = LiaisonPoint.objects.create(
            leader=member, organisation=tree["village_b"], started_on=D(2025, 1, 1)
        )
        client.force_login(township_secretary)
        assert client.get(reverse("point-update", args=[point.pk])).status_code == 200


class TestUnitPairingAcrossSubtrees:
    """A unit pairing is recorded from either side; both sides see it, change it and add its records."""

    @pytest.fixture
    def unit_clerk(self, tree):
        from liaison.models import Role
        from tests.factories import UserFactory

        unit = OrganisationFactory(
            name="区农业农村委机关党委", code="nync", level="unit", parent=tree["district"]
        )
        return UserFactory(username="unit_clerk", role=Role.CLERK, organisation=unit)

    def test_helper_side_creates_and_the_village_side_edits(self, client, unit_clerk, outsider, tree):
        client.force_login(unit_clerk)
        data = opened(client, reverse("unitpairing-create"))
        data.update(
            {
                "kind": "line",
                "helper_organisation": str(unit_clerk.organisation.pk),
                "target_organisation": str(tree["community"].pk),
                "start_date": "2025-01-01",
                "status": "active",
            }
        )
        response = client.post(reverse("unitpairing-create"), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        line = UnitPairing.objects.get()
        client.force_login(outsider)  # 南泉社区's clerk: the side helped
        assert client.get(reverse("unitpairing-detail", args=[line.pk])).status_code == 200
        assert client.get(reverse("unitpairing-update", args=[line.pk])).status_code == 200

    def test_a_third_subtree_sees_nothing(self, client, unit_clerk, clerk_a, tree):
        line = unit_pairing("line", unit_clerk.organisation, target_organisation=tree["community"])
        client.force_login(clerk_a)
        assert client.get(reverse("unitpairing-detail", args=[line.pk])).status_code == 404
        assert client.get(reverse("unitpairing-update", args=[line.pk])).status_code == 404


class TestConfigurationStaleSaves:
    def test_quota_rule(self, client, org_dept):
        from liaison.models import QuotaRule

        rule = QuotaRule.objects.order_by("pk").first()
        url = reverse("quota-edit", args=[rule.pk])
        client.force_login(org_dept)
        first, second = opened(client, url), opened(client, url)
        first["notes"] = "2027年起执行"
        assert client.post(url, first).status_code == 302
        second["minimum"] = "99"
        response = client.post(url, second)
        assert "这条记录已被他人修改" in errors_of(response)
        rule.refresh_from_db()
        assert rule.notes == "2027年起执行" and rule.minimum != 99

    def test_calendar_year(self, client, org_dept):
        from liaison.models import WorkCalendarYear

        year = WorkCalendarYear.objects.order_by("year").first()
        url = reverse("calendar-edit", args=[year.year])
        client.force_login(org_dept)
        first, second = opened(client, url), opened(client, url)
        first["notes"] = "已核对"
        assert client.post(url, first).status_code == 302
        second["notes"] = "另一位的说明"
        response = client.post(url, second)
        assert "这条记录已被他人修改" in errors_of(response)
        assert WorkCalendarYear.objects.get(pk=year.pk).notes == "已核对"
