"""QuotaRule, versioned: every change kept (who, when, old → new, from which date), a past year judged by
the rules in force then, and a locality's own rule without code."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison import services
from liaison.models import QuotaRule, QuotaRuleChange
from liaison.quotas import quota, quota_rule, quotas
from tests.forms_utils import form_fields

pytestmark = pytest.mark.django_db


# Read per test, never at import: a run that crosses midnight in Shanghai would otherwise compare the
# services' today with the day the module was imported.
def today() -> datetime.date:
    return timezone.localdate()


def this_year() -> int:
    return today().year


def last_year() -> int:
    return today().year - 1


def edit(client, rule: QuotaRule, **changes):
    """Open the edit form as the browser gets it, change some boxes, post it back."""
    url = reverse("quota-edit", args=[rule.pk])
    fields = form_fields(client.get(url).text)
    fields.update({k: str(v) for k, v in changes.items()})
    return client.post(url, fields)


class TestEditingKeepsThePast:
    def test_an_edit_changes_this_years_result_and_not_last_years(self, client_for, org_dept):
        rule = QuotaRule.objects.get(code="pairing-visits")
        response = edit(client_for(org_dept), rule, minimum="3", source="区委组织部2026年新文件")
        assert response.status_code == 302 and response["Location"] == reverse(
            "quota-history", args=[rule.pk]
        )
        assert quota("pairing-visits") == 3  # today
        assert quota("pairing-visits", year=this_year()) == 3
        assert quota("pairing-visits", year=last_year()) == 2  # last year stays judged by 2
        then = quota_rule("pairing-visits", year=last_year())
        assert then.source == "002 二、结对帮扶制度" and then.minimum_display == "2"
        change = QuotaRuleChange.objects.get()
        assert (change.changed_by, change.old_minimum, change.new_minimum) == (org_dept, 2, 3)
        assert change.effective_from == today() and change.new_source == "区委组织部2026年新文件"

    def test_the_effective_date_boundary(self, client_for, org_dept):
        """A change from a later date: the day before still has the old number, the day itself the new."""
        rule = QuotaRule.objects.get(code="unit-member-pairing-funds")
        start = today() + datetime.timedelta(days=30)
        edit(client_for(org_dept), rule, minimum="800", source="新文件", effective_from=start.isoformat())
        assert quota("unit-member-pairing-funds", on=start - datetime.timedelta(days=1)) == 500
        assert quota("unit-member-pairing-funds", on=start) == 800
        assert quota("unit-member-pairing-funds") == 500  # not yet
        assert quota("unit-member-pairing-funds", year=start.year) == 800

    def test_a_change_cannot_reach_into_a_closed_year(self, client_for, org_dept):
        rule = QuotaRule.objects.get(code="pairing-visits")
        client = client_for(org_dept)
        response = edit(client, rule, minimum="3", source="x", effective_from=f"{last_year()}-12-31")
        message = services.EFFECTIVE_IN_CLOSED_YEAR.format(year=last_year(), this=this_year())
        assert response.status_code == 200 and message in response.text
        assert quota("pairing-visits", year=last_year()) == 2 and not QuotaRuleChange.objects.exists()
        # 1 January of this year is the earliest date allowed.
        assert (
            edit(client, rule, minimum="3", source="x", effective_from=f"{this_year()}-01-01").status_code
            == 302
        )
        assert quota("pairing-visits", on=datetime.date(this_year(), 1, 1)) == 3
        assert quota("pairing-visits", on=datetime.date(last_year(), 12, 31)) == 2

    def test_a_change_cannot_come_before_the_one_in_force(self, clerk_a, org_dept):
        rule = QuotaRule.objects.get(code="talks-leader")
        later = today() + datetime.timedelta(days=10)
        services.quota_rule_change(
            user=org_dept, rule=rule.pk, minimum=Decimal(4), source="甲", notes="", effective_from=later
        )
        with pytest.raises(Exception) as refused:
            services.quota_rule_change(
                user=org_dept, rule=rule.pk, minimum=Decimal(5), source="乙", notes="", effective_from=today()
            )
        assert services.EFFECTIVE_BEFORE_CURRENT.format(current=later.isoformat()) in str(refused.value)

    def test_several_changes_each_keep_their_period(self, org_dept):
        rule = QuotaRule.objects.get(code="delegate-visits")
        d1, d2 = today() + datetime.timedelta(days=5), today() + datetime.timedelta(days=40)
        for minimum, day in ((12, d1), (15, d2)):
            services.quota_rule_change(
                user=org_dept,
                rule=rule.pk,
                minimum=Decimal(minimum),
                source="文件",
                notes="",
                effective_from=day,
            )
        assert [
            quota("delegate-visits", on=d) for d in (today(), d1, d2 - datetime.timedelta(days=1), d2)
        ] == [
            10,
            12,
            12,
            15,
        ]
        assert quota("delegate-visits", year=last_year()) == 10

    def test_nothing_changed_is_not_a_change(self, client_for, org_dept):
        rule = QuotaRule.objects.get(code="pairing-visits")
        response = edit(client_for(org_dept), rule)
        assert services.NOTHING_CHANGED in response.text and not QuotaRuleChange.objects.exists()

    def test_quotas_for_a_past_year_in_two_queries(self, org_dept, django_assert_num_queries):
        for code in ("pairing-visits", "talks-leader"):
            rule = QuotaRule.objects.get(code=code)
            services.quota_rule_change(
                user=org_dept, rule=rule.pk, minimum=Decimal(9), source="新", notes="", effective_from=today()
            )
        with django_assert_num_queries(2):
            past = quotas("pairing-visits", "talks-leader", "delegate-visits", year=last_year())
        assert {code: int(rule.minimum) for code, rule in past.items()} == {
            "pairing-visits": 2,
            "talks-leader": 2,
            "delegate-visits": 10,
        }
        with django_assert_num_queries(1):
            now = quotas("pairing-visits", "talks-leader")
        assert {int(r.minimum) for r in now.values()} == {9}


class TestPages:
    def test_the_history_page_shows_who_when_old_and_new(self, client_for, org_dept, township_secretary):
        rule = QuotaRule.objects.get(code="pairing-visits")
        edit(client_for(org_dept), rule, minimum="3", source="新文件")
        page = client_for(township_secretary).get(reverse("quota-history", args=[rule.pk])).text
        assert org_dept.display_name in page and "2 → <strong>3</strong>" in page
        assert f"{today():%Y-%m-%d} 起" in page and "002 二、结对帮扶制度 → 新文件" in page
        assert "新增地方规则" not in page  # the secretary reads; only the 组织部 changes

    def test_the_list_shows_a_chosen_years_numbers(self, client_for, org_dept):
        rule = QuotaRule.objects.get(code="pairing-visits")
        client = client_for(org_dept)
        edit(client, rule, minimum="3", source="新文件")
        current = client.get(reverse("quota-list")).context["rules"]
        past = client.get(reverse("quota-list"), {"year": last_year()}).context["rules"]
        assert next(r for r in current if r.code == "pairing-visits").minimum == 3
        assert next(r for r in past if r.code == "pairing-visits").minimum == 2
        assert client.get(reverse("quota-list"), {"year": "abc"}).status_code == 200

    def test_other_roles_cannot_change_or_localise(self, client_for, township_admin):
        client = client_for(township_admin)
        rule = QuotaRule.objects.get(code="days-in-villages")
        assert client.get(reverse("quota-history", args=[rule.pk])).status_code == 200
        assert client.post(reverse("quota-local-create", args=[rule.pk]), {}).status_code == 403


class TestLocalityRule:
    def test_a_townships_own_rule_needs_no_code(self, client_for, org_dept, tree):
        """麻塘山乡's 120 days in villages (002), as a locality's own rule: its subtree, from its date."""
        general = QuotaRule.objects.get(code="days-in-villages")
        services.quota_rule_change(
            user=org_dept,
            rule=general.pk,
            minimum=Decimal(60),
            source="区通用",
            notes="",
            effective_from=today(),
        )
        client = client_for(org_dept)
        url = reverse("quota-history", args=[general.pk])
        fields = form_fields(client.get(url).text)
        fields.update(
            organisation=str(tree["township"].pk), minimum="120", source="002 一、调查研究制度", notes=""
        )
        response = client.post(reverse("quota-local-create", args=[general.pk]), fields)
        local = QuotaRule.all_rules.get(code="days-in-villages", organisation=tree["township"])
        assert response["Location"] == reverse("quota-history", args=[local.pk])
        assert quota("days-in-villages", organisation=tree["village_a"]) == 120  # below the township
        assert quota("days-in-villages", organisation=tree["township"]) == 120
        assert quota("days-in-villages", organisation=tree["community"]) == 60  # another township
        assert quota("days-in-villages") == 60
        # Code that reads the table directly still sees one general rule per code.
        assert QuotaRule.objects.filter(code="days-in-villages").count() == 1
        assert "界石镇" in client.get(reverse("quota-list")).text

    def test_a_local_rule_is_not_in_force_before_its_date(self, org_dept, tree):
        general = QuotaRule.objects.get(code="days-in-villages")
        start = today() + datetime.timedelta(days=3)
        services.quota_rule_localise(
            user=org_dept,
            rule=general.pk,
            organisation=tree["township"],
            minimum=Decimal(150),
            source="镇文件",
            notes="",
            effective_from=start,
        )
        assert (
            quota("days-in-villages", organisation=tree["village_a"], on=start - datetime.timedelta(days=1))
            == 120
        )
        assert quota("days-in-villages", organisation=tree["village_a"], on=start) == 150
        assert quota("days-in-villages", organisation=tree["village_a"], year=last_year()) == 120

    def test_one_local_rule_per_place(self, org_dept, tree):
        general = QuotaRule.objects.get(code="days-in-villages")
        kwargs = dict(
            user=org_dept,
            rule=general.pk,
            organisation=tree["township"],
            minimum=Decimal(1),
            source="x",
            notes="",
            effective_from=today(),
        )
        services.quota_rule_localise(**kwargs)
        with pytest.raises(Exception, match="已有自己的这条规则"):
            services.quota_rule_localise(**kwargs)
