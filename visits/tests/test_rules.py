"""The boundaries of visits/rules.py, exactly."""

from __future__ import annotations

import datetime
from decimal import Decimal

from visits import rules


def test_housing_area_up_to_ten_thousand():
    assert rules.housing_area_ok(None)
    assert rules.housing_area_ok(Decimal("0"))
    assert rules.housing_area_ok(Decimal("10000"))
    assert not rules.housing_area_ok(Decimal("10000.01"))
    assert not rules.housing_area_ok(Decimal("-0.01"))


def test_income_up_to_ten_million():
    assert rules.annual_income_ok(Decimal("10000000"))
    assert not rules.annual_income_ok(Decimal("10000000.01"))
    assert not rules.annual_income_ok(Decimal("-1"))


def test_age_in_the_year_of_the_visit():
    assert rules.age_on(1970, datetime.date(2026, 1, 1)) == 56
    assert rules.age_on(None, datetime.date(2026, 1, 1)) is None
    assert rules.age_on(2027, datetime.date(2026, 1, 1)) == 0


def test_days_open_counts_from_the_event_day():
    day = datetime.date(2026, 3, 3)
    assert rules.days_open(day, day) == 0
    assert rules.days_open(day, day + datetime.timedelta(days=1)) == 1


def test_five_family_rows_a_sheet():
    assert rules.family_sheets(0) == 1
    assert rules.family_sheets(5) == 1
    assert rules.family_sheets(6) == 2
    assert rules.family_sheets(10) == 2
    assert rules.family_sheets(11) == 3
