"""Party members: create/edit with positions through the HTML form, filters, masking, the leader quota."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from members.models import PartyMember, Position
from members.tests.factories import MemberFactory, id_number, pairing
from tests.forms_utils import form_fields
from tests.xlsx_utils import read_sheet

pytestmark = pytest.mark.django_db
VALID_ID = id_number(datetime.date(1980, 2, 29), 357)


def field_error(response, field: str) -> str:
    match = re.search(rf'id="error_1_id_{field}"><strong>(.*?)</strong>', response.text)
    return match.group(1) if match else ""


def new_member(client, branch, **values) -> dict:
    data = form_fields(client.get(reverse("member-create")).text)
    data.update(
        {
            "organisation": str(branch.pk),
            "name": "周瑄",
            "gender": "F",
            "birth_date": "1980-02-29",
            "join_date": "2005-07-01",
            "id_number": VALID_ID.lower(),
            "phone": "139 8765 4321",
            "education": "bachelor",
            "title": "村妇联主席",
            "category": "full",
            "positions-0-organisation": str(branch.parent_id),
            "positions-0-role": "committee",
            "positions-0-start_date": "2021-10-01",
        }
    )
    data.update(values)
    return data


class TestCreate:
    def test_member_with_a_position(self, client_for, clerk_a, branches):
        client = client_for(clerk_a)
        response = client.post(reverse("member-create"), new_member(client, branches["a"]))
        member = PartyMember.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "member-detail", args=[member.pk]
        )
        assert (
            member.id_number == VALID_ID
            and member.phone == "13987654321"
            and member.name_initials == " zx zhouxuan"
        )
        position = member.positions.get()
        assert (
            position.organisation_id == branches["a"].parent_id and position.role == Position.Role.COMMITTEE
        )

    @pytest.mark.parametrize(
        ("field", "values", "message"),
        [
            ("join_date", {"join_date": "1979-01-01"}, "入党时间必须晚于出生日期。"),
            ("id_number", {"id_number": "500113198002293571"}, "身份证号校验位不对，请核对后重新输入。"),
            ("phone", {"phone": "12345"}, "请输入正确的联系电话"),
            ("name", {"name": ""}, "这个字段是必填项。"),
        ],
    )
    def test_bad_input_next_to_the_field(self, client_for, clerk_a, branches, field, values, message):
        client = client_for(clerk_a)
        response = client.post(reverse("member-create"), new_member(client, branches["a"], **values))
        assert message in field_error(response, field)
        assert not PartyMember.objects.exists() and not Position.objects.exists()

    def test_duplicate_id_number(self, client_for, clerk_a, branches):
        MemberFactory(organisation=branches["b"], id_number=VALID_ID)
        client = client_for(clerk_a)
        response = client.post(reverse("member-create"), new_member(client, branches["a"]))
        assert field_error(response, "id_number") == "该身份证号已登记为党员，请勿重复登记。"
        assert PartyMember.objects.count() == 1

    def test_branch_out_of_scope_is_refused(self, client_for, clerk_a, branches):
        client = client_for(clerk_a)
        response = client.post(
            reverse("member-create"), new_member(client, branches["a"], organisation=str(branches["b"].pk))
        )
        assert field_error(response, "organisation") == "所选党组织不在您的管辖范围内。"
        assert not PartyMember.objects.exists()

    def test_a_bad_position_saves_nothing(self, client_for, clerk_a, branches):
        client = client_for(clerk_a)
        data = new_member(client, branches["a"], **{"positions-0-end_date": "2020-01-01"})
        response = client.post(reverse("member-create"), data)
        assert "离任时间不能早于任职时间。" in response.text
        assert not PartyMember.objects.exists()

    def test_edit_adds_a_delegate_post(self, client_for, township_secretary, tree, member_a):
        client = client_for(township_secretary)
        url = reverse("member-update", args=[member_a.pk])
        data = form_fields(client.get(url).text)
        data.update(
            {
                "positions-TOTAL_FORMS": "1",
                "positions-0-organisation": str(tree["township"].pk),
                "positions-0-role": "delegate",
                "positions-0-start_date": "2021-12-20",
            }
        )
        assert client.post(url, data).status_code == 302
        assert member_a.positions.get().role == Position.Role.DELEGATE


class TestListAndFilters:
    @pytest.fixture
    def people(self, branches, tree, household_a):
        secretary = MemberFactory(organisation=branches["a"], name="陈婷")
        Position.objects.create(
            member=secretary,
            organisation=branches["a"],
            role="secretary",
            start_date=datetime.date(2021, 10, 1),
        )
        delegate = MemberFactory(organisation=branches["a"], name="曾辉")
        Position.objects.create(
            member=delegate,
            organisation=tree["township"],
            role="delegate",
            start_date=datetime.date(2021, 12, 1),
        )
        former = MemberFactory(organisation=branches["a"], name="唐斌")
        Position.objects.create(
            member=former,
            organisation=branches["a"],
            role="secretary",
            start_date=datetime.date(2016, 10, 1),
            end_date=datetime.date(2021, 9, 30),
        )
        paired = MemberFactory(organisation=branches["b"], name="谭琼英")
        pairing(household_a, paired)
        return {"secretary": secretary, "delegate": delegate, "former": former, "paired": paired}

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"position": "secretary"}, ["陈婷"]),  # 唐斌's term is over
            ({"delegate": "true"}, ["曾辉"]),
            ({"has_pairing": "true"}, ["谭琼英"]),
            ({"has_pairing": "false"}, ["唐斌", "曾辉", "陈婷"]),
            ({"q": "tqy"}, ["谭琼英"]),
            ({"q": "曾"}, ["曾辉"]),
        ],
    )
    def test_filters(self, client_for, township_secretary, people, query, expected):
        page = client_for(township_secretary).get(reverse("member-list"), query).context["page"]
        assert sorted(m.name for m in page.object_list) == sorted(expected)

    def test_organisation_filter_keeps_the_subtree(self, client_for, township_secretary, people, tree):
        page = (
            client_for(township_secretary)
            .get(reverse("member-list"), {"organisation": tree["village_b"].pk})
            .context["page"]
        )
        assert [m.name for m in page.object_list] == ["谭琼英"]

    def test_a_foreign_organisation_in_the_filter_does_not_widen_the_scope(
        self, client_for, clerk_a, people, tree
    ):
        page = (
            client_for(clerk_a)
            .get(reverse("member-list"), {"organisation": tree["village_b"].pk})
            .context["page"]
        )
        assert "谭琼英" not in [m.name for m in page.object_list]


class TestMasking:
    def test_clerk_sees_the_full_phone(self, client_for, clerk_a, member_a):
        assert "13800001111" in client_for(clerk_a).get(reverse("member-detail", args=[member_a.pk])).text

    @pytest.mark.parametrize("persona", ["org_dept", "township_admin"])
    def test_masked_in_list_page_and_export(self, client_for, request, member_a, persona):
        client = client_for(request.getfixturevalue(persona))
        for url in (reverse("member-list"), reverse("member-detail", args=[member_a.pk])):
            text = client.get(url).text
            assert "13800001111" not in text and "138****1111" in text
            assert member_a.id_number not in text
        rows = read_sheet(client.get(reverse("member-export")), "党员")
        assert (
            rows[0]["联系电话"] == "138****1111"
            and rows[0]["身份证号"] == member_a.id_number[:6] + "********" + member_a.id_number[-4:]
        )

    def test_export_in_full_for_the_clerk(self, client_for, clerk_a, member_a):
        rows = read_sheet(client_for(clerk_a).get(reverse("member-export")), "党员")
        assert (
            rows[0]["姓名"] == "张德明"
            and rows[0]["联系电话"] == "13800001111"
            and rows[0]["身份证号"] == member_a.id_number
        )


class TestTownshipLeaderQuota:
    """002 二: 乡党政领导班子成员每人结对联系2户以上困难群众."""

    @pytest.mark.parametrize(("households", "met"), [(1, False), (2, True)])
    def test_boundary(
        self, client_for, township_secretary, tree, branches, household_a, household_a2, households, met
    ):
        leader = MemberFactory(organisation=branches["township"], name="周德勇")
        Position.objects.create(
            member=leader,
            organisation=tree["township"],
            role="leadership",
            start_date=datetime.date(2021, 10, 1),
        )
        for household in [household_a, household_a2][:households]:
            pairing(household, leader)
        text = client_for(township_secretary).get(reverse("member-detail", args=[leader.pk])).text
        summary = re.search(
            r"乡镇领导班子成员结对 (\d) 户 / 不少于 2 户 <span class=\"badge ([^\"]+)\">(.*?)</span>", text
        )
        assert summary.group(1) == str(households)
        assert summary.group(3) == ("达标" if met else "未达标")

    def test_not_shown_for_an_ordinary_member(self, client_for, clerk_a, member_a):
        assert (
            "乡镇领导班子成员结对"
            not in client_for(clerk_a).get(reverse("member-detail", args=[member_a.pk])).text
        )
