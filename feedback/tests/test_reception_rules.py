"""The reception schedule rules (004 二、三; 002 八): periods, market days, the year's plan, rotation."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from feedback import reception_rules as rr

D = datetime.date


class TestMarketDays:
    @pytest.mark.parametrize(
        ("pattern", "days"),
        [
            ("147", [1, 4, 7, 11, 14, 17, 21, 24, 27, 31]),
            ("258", [2, 5, 8, 12, 15, 18, 22, 25, 28]),
            ("369", [3, 6, 9, 13, 16, 19, 23, 26, 29]),
        ],
    )
    def test_dates_ending_in_the_pattern(self, pattern, days):
        january = [D(2026, 1, n) for n in range(1, 32)]
        assert [d.day for d in january if rr.is_market_day(d, pattern)] == days

    def test_the_31st_ends_in_1_and_the_30th_in_0(self):
        assert rr.is_market_day(D(2026, 3, 31), "147")
        assert not any(rr.is_market_day(D(2026, 3, 30), p) for p in rr.MARKET_PATTERNS)


class TestPeriods:
    def test_weeks_are_cut_at_the_year_ends(self):
        weeks = rr.periods(2026, rr.WEEK)
        assert weeks[0] == (D(2026, 1, 1), D(2026, 1, 4))  # 2026 starts on a Thursday
        assert weeks[1] == (D(2026, 1, 5), D(2026, 1, 11))
        assert weeks[-1] == (D(2026, 12, 28), D(2026, 12, 31))
        assert len(weeks) == 53
        days = sum((end - start).days + 1 for start, end in weeks)
        assert days == 365

    def test_a_year_starting_on_monday_has_no_cut_first_week(self):
        assert rr.periods(2024, rr.WEEK)[0] == (D(2024, 1, 1), D(2024, 1, 7))

    def test_months_and_the_year(self):
        months = rr.periods(2028, rr.MONTH)
        assert months[1] == (D(2028, 2, 1), D(2028, 2, 29))  # leap year
        assert rr.periods(2026, rr.YEAR) == [(D(2026, 1, 1), D(2026, 12, 31))]

    def test_required_counts_from_the_quota(self):
        assert rr.required_count(2026, rr.YEAR, 2) == 2  # 区委书记 每年不少于2次
        assert rr.required_count(2026, rr.MONTH, 1) == 12  # 镇街书记 每月不少于1次
        assert rr.required_count(2026, rr.WEEK, 1) == 53  # 村书记 每周不少于1次

    def test_a_quota_that_is_not_a_whole_count_is_refused(self):
        from decimal import Decimal

        assert rr.whole(Decimal("2.00")) == 2
        for bad in (Decimal("1.5"), Decimal("0"), None):
            with pytest.raises(ValueError, match="正整数"):
                rr.whole(bad)


def secretary_days(plan: rr.Plan) -> list[datetime.date]:
    return [slot.day for slot in plan.slots if slot.receiver == 0]


class TestPlanByLevel:
    def test_district_two_a_year_one_in_each_half(self):
        plan = rr.plan_year(2026, period=rr.YEAR, per_period=2, members=0, rotation=rr.ROTATE_NONE)
        days = secretary_days(plan)
        assert len(days) == 2
        assert days[0].month <= 6 < days[1].month
        assert all(d.weekday() == 0 for d in days)  # the pattern's weekday: Monday

    def test_township_one_a_month_every_month(self):
        plan = rr.plan_year(2026, period=rr.MONTH, per_period=1, members=0, rotation=rr.ROTATE_NONE)
        assert [d.month for d in secretary_days(plan)] == list(range(1, 13))

    def test_village_one_every_week_including_the_cut_weeks_at_both_ends(self):
        plan = rr.plan_year(2026, period=rr.WEEK, per_period=1, members=0, rotation=rr.ROTATE_NONE)
        days = secretary_days(plan)
        assert len(days) == 53
        assert days[0] == D(2026, 1, 1)  # Thursday: week 1 has no Monday, the first working day
        assert days[1] == D(2026, 1, 5)
        assert days[-1] == D(2026, 12, 28)
        assert all(d.year == 2026 for d in days)

    def test_holidays_are_skipped_through_the_work_calendar(self):
        holidays = {D(2026, 10, d) for d in range(1, 9)}  # 国庆
        plan = rr.plan_year(
            2026,
            period=rr.WEEK,
            per_period=1,
            members=0,
            rotation=rr.ROTATE_NONE,
            is_workday=lambda d: d.weekday() < 5 and d not in holidays,
        )
        days = secretary_days(plan)
        assert not holidays & set(days)
        assert D(2026, 10, 9) in days  # the week of 5–11 October: its first working day

    def test_a_week_with_no_working_day_is_reported_and_still_planned(self):
        plan = rr.plan_year(
            2026, period=rr.WEEK, per_period=1, members=0, rotation=rr.ROTATE_NONE, is_workday=lambda d: False
        )
        assert len(secretary_days(plan)) == 53
        assert any("没有可安排的日子" in w for w in plan.warnings)

    def test_a_month_boundary_week_is_planned_once_and_split_between_months(self):
        plan = rr.plan_year(2026, period=rr.WEEK, per_period=1, members=4)
        march = rr.in_range(plan, D(2026, 3, 1), D(2026, 3, 31))
        april = rr.in_range(plan, D(2026, 4, 1), D(2026, 4, 30))
        week = [s for s in plan.slots if D(2026, 3, 30) <= s.day <= D(2026, 4, 5)]
        assert len(week) == 5  # the secretary and four members, Monday to Friday
        assert {s.day for s in week} == {
            D(2026, 3, 30),
            D(2026, 3, 31),
            D(2026, 4, 1),
            D(2026, 4, 2),
            D(2026, 4, 3),
        }
        assert set(week) <= set(march) | set(april)


class TestMarketDayPlans:
    def test_village_on_market_days_every_week(self):
        pattern = rr.Pattern(market="147")
        plan = rr.plan_year(2026, period=rr.WEEK, per_period=1, members=2, pattern=pattern)
        assert all(rr.is_market_day(s.day, "147") for s in plan.slots)
        assert all(s.at_market for s in plan.slots)
        # week 2 (5–11 January) has market days 7 and 11: the secretary on the 7th, and the two members
        # share the 11th, one in the morning and one in the afternoon
        week = [s for s in plan.slots if D(2026, 1, 5) <= s.day <= D(2026, 1, 11)]
        assert sorted((s.day.day, s.half, s.receiver > 0) for s in week) == [
            (7, "am", False),
            (11, "am", True),
            (11, "pm", True),
        ]
        assert any("上午和下午" in w for w in plan.warnings)

    def test_township_market_day_once_a_month_across_the_year_end(self):
        pattern = rr.Pattern(market="258")
        days = secretary_days(rr.plan_year(2026, period=rr.MONTH, per_period=1, members=0, pattern=pattern))
        assert days[0] == D(2026, 1, 2) and days[-1] == D(2026, 12, 2)
        assert len(days) == 12

    def test_a_cut_week_without_a_market_day_falls_back_and_says_so(self):
        pattern = rr.Pattern(market="369")  # 2027-01-01 … 01-03 (Fri–Sun): the 3rd is a market day
        plan = rr.plan_year(2027, period=rr.WEEK, per_period=1, members=0, pattern=pattern)
        assert secretary_days(plan)[0] == D(2027, 1, 3)
        pattern = rr.Pattern(market="258")  # 2027-01-01 … 01-03: 2 is a market day
        plan = rr.plan_year(2027, period=rr.WEEK, per_period=1, members=0, pattern=pattern)
        assert secretary_days(plan)[0] == D(2027, 1, 2)
        pattern = rr.Pattern(market="147")  # 1 is a market day
        plan = rr.plan_year(2027, period=rr.WEEK, per_period=1, members=0, pattern=pattern)
        assert secretary_days(plan)[0] == D(2027, 1, 1)
        # 2028 starts on a Saturday: its first week (1–2 January) has no 3/6/9 market day and no
        # working day, so the plan keeps the week and says so
        plan = rr.plan_year(2028, period=rr.WEEK, per_period=1, members=0, pattern=rr.Pattern(market="369"))
        assert secretary_days(plan)[0] == D(2028, 1, 1)
        assert plan.warnings == ["01-01至01-02没有可安排的日子，请手工安排。"]


class TestRotation:
    @pytest.mark.parametrize("members", [1, 2, 3, 4, 5, 7])
    @pytest.mark.parametrize(
        ("period", "rotation"),
        [
            (rr.WEEK, rr.ROTATE_EACH),
            (rr.WEEK, rr.ROTATE_ONE),
            (rr.MONTH, rr.ROTATE_ONE),
            (rr.YEAR, rr.ROTATE_EACH),
        ],
    )
    def test_counts_per_member_differ_by_at_most_one(self, members, period, rotation):
        plan = rr.plan_year(2026, period=period, per_period=1, members=members, rotation=rotation)
        counts = Counter(s.receiver for s in plan.slots if s.receiver)
        assert set(counts) == set(range(1, members + 1))
        assert max(counts.values()) - min(counts.values()) <= 1

    def test_each_member_once_in_every_week_and_not_always_on_the_same_weekday(self):
        plan = rr.plan_year(2026, period=rr.WEEK, per_period=1, members=4)
        for start, end in rr.periods(2026, rr.WEEK)[1:-1]:
            week = [s.receiver for s in plan.slots if start <= s.day <= end]
            assert sorted(week) == [0, 1, 2, 3, 4]
        tuesdays = Counter(s.receiver for s in plan.slots if s.day.weekday() == 1)
        assert len(tuesdays) == 4  # each member takes the Tuesday in turn

    def test_one_member_a_month_round_the_list(self):
        plan = rr.plan_year(2026, period=rr.MONTH, per_period=1, members=5, rotation=rr.ROTATE_ONE)
        members = [s.receiver for s in plan.slots if s.receiver]
        assert members == [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2]

    def test_nobody_twice_in_the_same_half_day(self):
        plan = rr.plan_year(2026, period=rr.WEEK, per_period=2, members=6, pattern=rr.Pattern(market="369"))
        keys = [(s.day, s.half, s.receiver) for s in plan.slots]
        assert len(keys) == len(set(keys))


class TestDelegates:
    def test_each_delegate_two_half_days_a_year_staggered(self):
        plan = rr.plan_delegates(2026, delegates=3, per_year=2)
        counts = Counter(s.receiver for s in plan.slots)
        assert counts == {0: 2, 1: 2, 2: 2}
        assert len({s.day for s in plan.slots}) == 6
        for delegate in range(3):
            first, second = sorted(s.day for s in plan.slots if s.receiver == delegate)
            assert (second - first).days > 120
