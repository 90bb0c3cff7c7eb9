"""Quota rules are data with their sources; gapless numbering holds under concurrent saves."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse

from liaison.models import QuotaRule, Sequence
from liaison.numbering import next_number
from liaison.quotas import QuotaMissing, quota, quotas
from liaison.rules import quota_met

DESIGN_DEFAULTS = {
    "reception-district-secretary": 2,
    "reception-township-secretary": 1,
    "reception-village-secretary": 1,
    "visits-district-leader": 2,
    "visits-township-member": 4,
    "visits-village-committee-household": 6,
    "analysis-meeting": 1,
    "pairing-visits": 2,
    "pairing-duration": 2,
    "households-paired-township-leader": 2,
    "talks-leader": 2,
    "days-in-villages": 120,
    "delegate-receptions": 2,
    "delegate-visits": 10,
    "personal-commitments": 1,
    "unit-liaison-line": 2,
    "unit-member-pairing-funds": 500,
    "unit-worker-farmer": 2,
    "unit-hand-in-hand": 2,
    "opinions-on-time": 100,
}


@pytest.mark.django_db
class TestQuotaRules:
    def test_migration_seeds_the_documents_numbers_with_sources(self):
        for code, minimum in DESIGN_DEFAULTS.items():
            assert quota(code) == Decimal(minimum), code
        assert all(rule.source for rule in QuotaRule.objects.all())

    def test_met_exactly_at_the_minimum(self):
        rule = QuotaRule.objects.get(code="unit-member-pairing-funds")
        assert quota_met(Decimal("500"), rule.minimum) and not quota_met(Decimal("499.99"), rule.minimum)

    def test_missing_rule_is_a_clear_error(self):
        with pytest.raises(QuotaMissing):
            quota("no-such-rule")
        with pytest.raises(QuotaMissing):
            quotas("pairing-visits", "no-such-rule")

    def test_org_dept_edits_a_rule(self, client_for, org_dept):
        rule = QuotaRule.objects.get(code="pairing-visits")
        client = client_for(org_dept)
        response = client.post(
            reverse("quota-edit", args=[rule.pk]), {"minimum": "3", "source": "新文件", "notes": ""}
        )
        assert response.status_code == 302
        assert quota("pairing-visits") == 3

    def test_negative_minimum_is_refused(self, client_for, org_dept):
        rule = QuotaRule.objects.get(code="pairing-visits")
        response = client_for(org_dept).post(
            reverse("quota-edit", args=[rule.pk]), {"minimum": "-1", "source": "x"}
        )
        assert "最低要求不能为负数" in response.text and quota("pairing-visits") == 2

    @pytest.mark.parametrize("persona", ["clerk_a", "township_secretary", "township_admin"])
    def test_other_roles_read_but_cannot_edit(self, client_for, request, persona):
        client = client_for(request.getfixturevalue(persona))
        rule = QuotaRule.objects.first()
        assert client.get(reverse("quota-list")).status_code == 200
        assert client.get(reverse("quota-edit", args=[rule.pk])).status_code == 403


@pytest.mark.django_db
class TestNumbering:
    def test_numbers_count_per_organisation_year_and_kind(self, tree):
        with transaction.atomic():
            numbers = [
                next_number(organisation=tree["village_a"], year=2026, kind="opinion") for _ in range(3)
            ]
            other = next_number(organisation=tree["village_b"], year=2026, kind="opinion")
            next_year = next_number(organisation=tree["village_a"], year=2027, kind="opinion")
            other_kind = next_number(organisation=tree["village_a"], year=2026, kind="assignment")
        assert numbers == [1, 2, 3] and other == next_year == other_kind == 1

    def test_rolled_back_save_leaves_no_gap(self, tree):
        with pytest.raises(RuntimeError), transaction.atomic():
            next_number(organisation=tree["village_a"], year=2026, kind="opinion")
            raise RuntimeError("the record failed to save")
        with transaction.atomic():
            assert next_number(organisation=tree["village_a"], year=2026, kind="opinion") == 1

    @pytest.mark.django_db(transaction=True)
    def test_outside_a_transaction_is_refused(self, tree):
        with pytest.raises(RuntimeError):
            next_number(organisation=tree["village_a"], year=2026, kind="opinion")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_is_gapless_and_unique(tree):
    """Eight clerks save at once, five times each: 1..40, no duplicates, no gaps."""
    village = tree["village_a"]
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def clerk():
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    results.append(next_number(organisation=village, year=2026, kind="opinion"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == list(range(1, 41))
    assert Sequence.objects.get(organisation=village).last == 40
