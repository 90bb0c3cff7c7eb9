"""联系帮扶: the four kinds, records per year against the quotas, bad input, the year boundary."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from liaison.models import Organisation, QuotaRule
from members.forms import TARGET_NOT_GRASSROOTS
from members.models import UnitPairing, UnitPairingRecord
from members.selectors.units import unit_year_results
from members.services import units as service
from members.tests.factories import MemberFactory, branch, poor, record, unit_pairing
from tests.factories import OrganisationFactory
from tests.forms_utils import form_fields

pytestmark = pytest.mark.django_db
L = Organisation.Level
K = UnitPairing.Kind
D = datetime.date


def field_error(response, field: str) -> str:
    match = re.search(rf'id="error_1_id_{field}"><strong>(.*?)</strong>', response.text)
    return match.group(1) if match else ""


def form_post(client, **values) -> dict:
    data = form_fields(client.get(reverse("unitpairing-create")).text)
    data.update({"start_date": "2025-01-01", "status": "active"})
    data.update(values)
    return data


class TestCreate:
    def test_liaison_line_from_the_village_side(self, client_for, clerk_a, tree, unit):
        client = client_for(clerk_a)
        response = client.post(
            reverse("unitpairing-create"),
            form_post(
                client,
                kind="line",
                helper_organisation=str(unit["branch"].pk),
                target_organisation=str(tree["village_a"].pk),
            ),
        )
        created = UnitPairing.objects.get()
        assert response.status_code == 302
        assert (
            created.area == tree["village_a"]
            and created.kind == K.LIAISON_LINE
            and created.created_by == clerk_a
        )

    def test_member_pairing_with_a_poor_household(self, client_for, clerk_a, unit, household_a, member_a):
        poor(household_a)
        client = client_for(clerk_a)
        client.post(
            reverse("unitpairing-create"),
            form_post(
                client,
                kind="member",
                helper_organisation=str(unit["branch"].pk),
                target_household=str(household_a.pk),
                members=[str(member_a.pk)],
                # a leftover from switching kinds in the browser: ignored for 党员结对
                target_organisation=str(household_a.organisation_id),
            ),
        )
        created = UnitPairing.objects.get()
        assert created.target_household == household_a and created.target_organisation is None
        assert list(created.members.all()) == [member_a] and created.area == household_a.organisation

    def test_hand_in_hand_with_a_community_member(self, township_secretary, tree, branches, two_new):
        member = MemberFactory(organisation=branches["a"])
        created = service.unit_pairing_save(
            user=township_secretary,
            pairing=None,
            kind=K.WORKER_FARMER,
            helper_organisation=two_new,
            target_member=member,
            start_date=D(2025, 5, 1),
        )
        assert created.area == tree["village_a"] and created.target_member == member

    @pytest.mark.parametrize(
        ("kind", "target", "field", "message"),
        [
            ("line", "township", "target_organisation", TARGET_NOT_GRASSROOTS),
            ("line", "village_b", "target_member", None),
            ("marriage", "community", "target_organisation", service.MARRIAGE_TARGET),
            ("hand", "village_a", "target_organisation", service.HAND_TARGET),
        ],
    )
    def test_the_target_must_fit_the_kind(
        self, client_for, township_admin, tree, unit, two_new, mass, kind, target, field, message
    ):
        client = client_for(township_admin)
        helper = {"marriage": two_new, "hand": mass}.get(kind, unit["branch"])
        response = client.post(
            reverse("unitpairing-create"),
            form_post(
                client,
                kind=kind,
                helper_organisation=str(helper.pk),
                target_organisation=str(tree[target].pk),
            ),
        )
        if message is None:  # 联线 with a village in scope is fine
            assert response.status_code == 302 and UnitPairing.objects.get().area == tree[target]
            return
        assert field_error(response, field) == message
        assert not UnitPairing.objects.exists()

    def test_a_village_branch_is_not_a_helper(self, client_for, township_admin, tree, branches):
        response = client_for(township_admin).post(
            reverse("unitpairing-create"),
            form_post(
                client_for(township_admin),
                kind="line",
                helper_organisation=str(branches["a"].pk),
                target_organisation=str(tree["village_b"].pk),
            ),
        )
        assert field_error(response, "helper_organisation") == service.HELPER_LEVEL
        assert not UnitPairing.objects.exists()

    def test_member_pairing_needs_a_poor_household(self, client_for, clerk_a, unit, household_a, member_a):
        client = client_for(clerk_a)
        response = client.post(
            reverse("unitpairing-create"),
            form_post(
                client,
                kind="member",
                helper_organisation=str(unit["branch"].pk),
                target_household=str(household_a.pk),
                members=[str(member_a.pk)],
            ),
        )
        assert field_error(response, "target_household") == service.NOT_POOR
        assert not UnitPairing.objects.exists()

    def test_members_outside_the_scope_are_refused(self, client_for, clerk_a, unit, household_a, member_b):
        poor(household_a)
        client = client_for(clerk_a)
        response = client.post(
            reverse("unitpairing-create"),
            form_post(
                client,
                kind="member",
                helper_organisation=str(unit["branch"].pk),
                target_household=str(household_a.pk),
                members=[str(member_b.pk)],
            ),
        )
        assert field_error(response, "members") == "所选党员不在您的管辖范围内。"
        assert not UnitPairing.objects.exists()

    def test_neither_side_in_scope(self, clerk_a, tree, unit):
        with pytest.raises(ValidationError) as caught:
            service.unit_pairing_save(
                user=clerk_a,
                pairing=None,
                kind=K.LIAISON_LINE,
                helper_organisation=unit["branch"],
                target_organisation=tree["village_b"],
                start_date=D(2025, 1, 1),
            )
        assert caught.value.message_dict["helper_organisation"] == [service.NEITHER_SIDE_IN_SCOPE]

    def test_the_helping_unit_may_record_its_own_line(self, unit, tree):
        from liaison.models import Role
        from tests.factories import UserFactory

        unit_clerk = UserFactory(role=Role.CLERK, organisation=unit["unit"])
        created = service.unit_pairing_save(
            user=unit_clerk,
            pairing=None,
            kind=K.LIAISON_LINE,
            helper_organisation=unit["branch"],
            target_organisation=tree["village_b"],
            start_date=D(2025, 1, 1),
        )
        assert created.area == tree["village_b"]

    def test_the_database_refuses_a_target_that_does_not_fit(self, tree, unit, household_a):
        with pytest.raises(IntegrityError), transaction.atomic():
            UnitPairing.objects.create(
                kind=K.LIAISON_LINE,
                helper_organisation=unit["branch"],
                target_household=household_a,
                area=tree["village_a"],
                start_date=D(2025, 1, 1),
            )


class TestRecords:
    @pytest.fixture
    def line(self, tree, unit):
        return unit_pairing(
            K.LIAISON_LINE, unit["branch"], target_organisation=tree["village_a"], start=D(2024, 6, 1)
        )

    def test_add_a_record(self, client_for, clerk_a, line):
        response = client_for(clerk_a).post(
            reverse("unitrecord-create", args=[line.pk]),
            {"date": "2025-03-08", "content": "捐赠办公电脑2台", "money": "", "goods": "电脑2台"},
        )
        assert response.status_code == 302
        created = UnitPairingRecord.objects.get()
        assert created.money == 0 and created.goods == "电脑2台" and created.created_by == clerk_a

    @pytest.mark.parametrize(
        ("values", "field", "message"),
        [
            ({"money": "-1"}, "money", "帮扶资金不能为负数。"),
            ({"money": "-0.01"}, "money", "帮扶资金不能为负数。"),
            ({"date": "2024-05-31"}, "date", service.RECORD_BEFORE_START.format(start="2024-06-01")),
            ({"date": "2999-01-01"}, "date", "日期不能晚于今天。"),
            ({"content": ""}, "content", "这个字段是必填项。"),
        ],
    )
    def test_bad_record_next_to_the_field_and_nothing_saved(
        self, client_for, clerk_a, line, values, field, message
    ):
        data = {"date": "2025-03-08", "content": "慰问", "money": "100", "goods": "", **values}
        response = client_for(clerk_a).post(reverse("unitrecord-create", args=[line.pk]), data)
        assert response.status_code == 200
        assert field_error(response, field) == message
        assert not UnitPairingRecord.objects.exists()

    def test_the_database_refuses_negative_money(self, line):
        with pytest.raises(IntegrityError), transaction.atomic():
            UnitPairingRecord.objects.create(
                pairing=line, date=D(2025, 1, 1), content="x", money=Decimal("-5")
            )


class TestYearResults:
    """Met or unmet per calendar year, against the quota read from the QuotaRule table."""

    def test_records_on_31_december_and_1_january(self, tree, unit):
        line = unit_pairing(
            K.LIAISON_LINE, unit["branch"], target_organisation=tree["village_a"], start=D(2024, 1, 1)
        )
        record(line, D(2024, 6, 1))
        record(line, D(2024, 12, 31))  # the second 实事 of 2024, on its last day
        record(line, D(2025, 1, 1))  # the first of 2025
        results = {r.year: r for r in unit_year_results(line, today=D(2026, 3, 1))}
        assert (results[2024].achieved, results[2024].state) == (2, "met")
        assert (results[2025].achieved, results[2025].state) == (1, "unmet")
        assert (results[2026].achieved, results[2026].state) == (0, "pending")

    def test_one_short_on_31_december_is_unmet(self, tree, unit):
        line = unit_pairing(
            K.LIAISON_LINE, unit["branch"], target_organisation=tree["village_a"], start=D(2024, 1, 1)
        )
        record(line, D(2024, 12, 31))
        record(line, D(2025, 1, 1))
        results = {r.year: r.state for r in unit_year_results(line, today=D(2025, 6, 1))}
        assert results == {2024: "unmet", 2025: "pending"}

    @pytest.mark.parametrize(
        ("amounts", "state"),
        [(["500"], "met"), (["499.99"], "unmet"), (["200", "300"], "met"), (["250", "249.99"], "unmet")],
    )
    def test_500_yuan_a_year(self, tree, unit, household_a, member_a, amounts, state):
        pairing = unit_pairing(
            K.MEMBER_PAIRING,
            unit["branch"],
            target_household=poor(household_a),
            members=[member_a],
            start=D(2025, 1, 1),
        )
        for amount in amounts:
            record(pairing, D(2025, 12, 31), money=amount)
        record(pairing, D(2026, 1, 1), money="1000")  # next year's money does not help
        results = {r.year: r for r in unit_year_results(pairing, today=D(2026, 2, 1))}
        assert results[2025].state == state
        assert results[2025].achieved == sum(Decimal(a) for a in amounts)

    def test_the_quota_comes_from_the_table(self, tree, unit):
        line = unit_pairing(
            K.LIAISON_LINE, unit["branch"], target_organisation=tree["village_a"], start=D(2024, 1, 1)
        )
        record(line, D(2024, 3, 1))
        record(line, D(2024, 4, 1))
        assert unit_year_results(line, today=D(2025, 1, 5))[-1].state == "met"
        QuotaRule.objects.filter(code="unit-liaison-line").update(minimum=3)
        assert unit_year_results(line, today=D(2025, 1, 5))[-1].state == "unmet"

    def test_an_ended_pairing_stops_counting_years(self, tree, unit):
        line = unit_pairing(
            K.LIAISON_LINE,
            unit["branch"],
            target_organisation=tree["village_a"],
            start=D(2023, 5, 1),
            status="ended",
            ended_on=D(2024, 8, 1),
        )
        assert [r.year for r in unit_year_results(line, today=D(2026, 1, 1))] == [2024, 2023]

    def test_list_shows_the_chosen_year(self, client_for, clerk_a, tree, unit):
        line = unit_pairing(
            K.LIAISON_LINE, unit["branch"], target_organisation=tree["village_a"], start=D(2024, 1, 1)
        )
        record(line, D(2024, 3, 1))
        record(line, D(2024, 4, 1))
        this_year = datetime.date.today().year
        response = client_for(clerk_a).get(reverse("unitpairing-list"), {"year": 2024})
        (row,) = response.context["rows"]
        assert row[1].achieved == 2 and row[1].state == "met"
        response = client_for(clerk_a).get(reverse("unitpairing-list"), {"year": this_year})
        assert response.context["rows"][0][1].state == "pending"


class TestOtherUnits:
    def test_a_mass_organisation_branch_under_the_district_may_help(self, tree):
        women = OrganisationFactory(
            name="区妇联机关党支部", code="fl", level="branch", parent=tree["district"]
        )
        assert service.is_helper_organisation(women)
        assert not service.is_helper_organisation(branch(tree["village_a"], "桂花村第三党支部", "gh-3"))
        assert not service.is_helper_organisation(tree["village_a"])


class TestHelperKinds:
    """004 三（三）工农联姻 is a “两新” organisation's, 三（四）社团牵手 a mass organisation's (Organisation.kind)."""

    def test_marriage_needs_a_two_new_organisation(self, township_secretary, tree, unit, two_new):
        with pytest.raises(ValidationError) as caught:
            service.unit_pairing_save(
                user=township_secretary,
                pairing=None,
                kind=K.WORKER_FARMER,
                helper_organisation=unit["branch"],  # a 机关's branch: its unit's kind counts
                target_organisation=tree["village_a"],
                start_date=D(2025, 5, 1),
            )
        assert caught.value.error_dict["helper_organisation"][0].messages == [
            service.HELPER_KIND_WRONG[K.WORKER_FARMER].format(kind="机关")
        ]
        made = service.unit_pairing_save(
            user=township_secretary,
            pairing=None,
            kind=K.WORKER_FARMER,
            helper_organisation=two_new,
            target_organisation=tree["village_a"],
            start_date=D(2025, 5, 1),
        )
        assert made.helper_organisation == two_new

    def test_hand_in_hand_needs_a_mass_organisation(self, org_dept, tree, two_new, mass):
        with pytest.raises(ValidationError) as caught:
            service.unit_pairing_save(
                user=org_dept,
                pairing=None,
                kind=K.HAND_IN_HAND,
                helper_organisation=two_new,
                target_organisation=tree["community"],
                start_date=D(2025, 5, 1),
            )
        assert "群团、社团组织" in caught.value.error_dict["helper_organisation"][0].messages[0]
        made = service.unit_pairing_save(
            user=org_dept,
            pairing=None,
            kind=K.HAND_IN_HAND,
            helper_organisation=mass,
            target_organisation=tree["community"],
            start_date=D(2025, 5, 1),
        )
        assert made.helper_organisation == mass

    def test_an_unknown_kind_says_where_to_set_it(self, org_dept, tree):
        company = OrganisationFactory(
            name="某公司党支部", code="x-co", level=L.BRANCH, parent=tree["district"]
        )
        with pytest.raises(ValidationError) as caught:
            service.unit_pairing_save(
                user=org_dept,
                pairing=None,
                kind=K.WORKER_FARMER,
                helper_organisation=company,
                target_organisation=tree["village_a"],
                start_date=D(2025, 5, 1),
            )
        assert caught.value.error_dict["helper_organisation"][0].messages == [service.HELPER_KIND_UNKNOWN]

    def test_only_units_have_a_kind(self, tree):
        village = tree["village_a"]
        village.unit_kind = "two_new"
        with pytest.raises(ValidationError):
            village.full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            village.save()
