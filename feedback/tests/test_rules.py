"""The "1234" deadlines on their exact boundaries (rules.py), on the statutory calendar table and on
hand-made calendars. Dates checked against the State Council notices for 2024–2026."""

from __future__ import annotations

import datetime

import pytest

from feedback import rules
from feedback.rules import Category, due_date, due_soon_from, is_due_soon, is_overdue, needs_reminder
from liaison.models import WorkCalendarYear
from liaison.workcal import CalendarYearMissing

D = datetime.date


class Calendar:
    """A calendar by hand: ordinary weeks, plus listed holidays and working weekend days."""

    def __init__(self, holidays=(), workdays=()) -> None:
        self.holidays, self.workdays = set(holidays), set(workdays)

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


ORDINARY = Calendar()


def test_the_four_periods_are_the_documents_numbers():
    # 004《群众意见“1234”定期办理反馈制度》三、反馈的时限
    assert rules.PERIOD_DAYS == {1: 10, 2: 20, 3: 30, 4: 40}
    assert [c.value for c in Category] == [1, 2, 3, 4]


class TestStatutoryCalendar:
    """The default: the table seeded from chinesecalendar by liaison's data migration."""

    pytestmark = pytest.mark.django_db

    def test_design_example_day_of_receipt_not_counted(self):
        # DESIGN.md / 民法典 第二百零一条: received 1 March, category 1 → due 11 March.
        assert due_date(D(2026, 3, 1), 1) == D(2026, 3, 11)
        assert due_date(D(2026, 3, 10), 1) == D(2026, 3, 20)  # not the 19th

    @pytest.mark.parametrize(
        ("category", "expected"),
        [
            (Category.OWN, D(2026, 3, 11)),  # Wednesday
            (Category.UPPER, D(2026, 3, 23)),  # the 21st is a Saturday → Monday
            (Category.UNSOLVABLE, D(2026, 3, 31)),  # Tuesday
            (Category.SEVERAL_UNITS, D(2026, 4, 10)),  # Friday, after 清明 (4–6 April)
        ],
    )
    def test_all_four_categories(self, category, expected):
        assert due_date(D(2026, 3, 1), category) == expected

    @pytest.mark.parametrize(
        ("received", "expected"),
        [
            (D(2026, 1, 31), D(2026, 2, 10)),  # across a month end
            (D(2026, 1, 21), D(2026, 2, 2)),  # lands on Saturday 31 January → Monday 2 February
            (D(2025, 12, 31), D(2026, 1, 12)),  # across a year end: 10 January is a Saturday
            (D(2026, 4, 20), D(2026, 4, 30)),  # last day of a 30-day month, a Thursday
        ],
    )
    def test_month_ends(self, received, expected):
        assert due_date(received, Category.OWN) == expected

    @pytest.mark.parametrize(
        ("received", "category", "expected"),
        [
            (D(2024, 2, 19), 1, D(2024, 2, 29)),  # 29 February exists in 2024 (a Thursday)
            (D(2024, 2, 20), 1, D(2024, 3, 1)),
            (D(2023, 2, 19), 1, D(2023, 3, 1)),  # and not in 2023
            (D(2024, 2, 29), 2, D(2024, 3, 20)),  # received on the leap day itself
            (D(2024, 1, 30), 3, D(2024, 2, 29)),
        ],
    )
    def test_leap_years(self, received, category, expected):
        assert due_date(received, category) == expected

    @pytest.mark.parametrize(
        ("received", "expected"),
        [
            (D(2026, 9, 21), D(2026, 10, 8)),  # lands on 1 October; 国庆 1–7 October 2026 → Thursday 8th
            (D(2025, 9, 25), D(2025, 10, 9)),  # lands on 5 October; 国庆中秋 1–8 October 2025 → 9th
            (D(2026, 9, 26), D(2026, 10, 8)),  # lands on 6 October, inside the holiday
            (D(2024, 9, 27), D(2024, 10, 8)),  # lands on 7 October 2024, its last holiday → 8th
        ],
    )
    def test_national_day_holiday(self, received, expected):
        assert due_date(received, Category.OWN) == expected

    @pytest.mark.parametrize(
        ("received", "expected"),
        [
            (D(2026, 2, 5), D(2026, 2, 24)),  # lands on 15 February; 春节 15–23 February 2026
            (D(2025, 1, 20), D(2025, 2, 5)),  # lands on 30 January; 春节 28 January–4 February 2025
            (
                D(2024, 2, 1),
                D(2024, 2, 18),
            ),  # lands on 11 February; 春节 10–17 February 2024; Sunday 18th worked
        ],
    )
    def test_spring_festival_holiday(self, received, expected):
        assert due_date(received, Category.OWN) == expected

    @pytest.mark.parametrize(
        ("received", "expected"),
        [
            (D(2026, 9, 30), D(2026, 10, 10)),  # Saturday 10 October 2026 is worked (国庆调休): due that day
            (D(2026, 2, 18), D(2026, 2, 28)),  # Saturday 28 February 2026 is worked (春节调休)
            (D(2025, 12, 25), D(2026, 1, 4)),  # Sunday 4 January 2026 is worked (元旦调休)
            (D(2025, 12, 22), D(2026, 1, 4)),  # lands on 1 January; 1–3 January off; Sunday 4th worked
        ],
    )
    def test_adjusted_working_weekend_day(self, received, expected):
        assert due_date(received, Category.OWN) == expected

    def test_ordinary_weekend_moves_to_monday(self):
        assert due_date(D(2026, 3, 4), Category.OWN) == D(2026, 3, 16)  # 14th is a Saturday

    def test_received_on_a_holiday(self):
        # Counting starts the next day whatever that day is; 11 October 2026 is a Sunday → Monday.
        assert due_date(D(2026, 10, 1), Category.OWN) == D(2026, 10, 12)

    @pytest.mark.parametrize(
        ("received", "category", "expected"),
        [
            (D(2026, 3, 6), 1, D(2026, 3, 20)),  # Friday: 9–13, 16–20
            (D(2026, 3, 7), 1, D(2026, 3, 20)),  # received on a Saturday: Monday is the first working day
            (D(2026, 9, 30), 1, D(2026, 10, 20)),  # 8, 9, 10 (worked Saturday), 12–16, 19, 20
            (D(2026, 2, 5), 1, D(2026, 2, 26)),  # 6, 9–13, 14 (worked Saturday), then after 春节 24–26
            (D(2026, 3, 2), 4, D(2026, 4, 28)),  # 40 working days, skipping 清明 4–6 April
        ],
    )
    def test_workdays_mode(self, received, category, expected):
        assert due_date(received, category, calendar="workdays") == expected

    def test_missing_year_is_reported_never_counted_as_ordinary_weeks(self):
        WorkCalendarYear.objects.filter(year=2026).delete()
        with pytest.raises(CalendarYearMissing) as caught:
            due_date(D(2026, 3, 1), Category.OWN)
        assert caught.value.year == 2026
        assert "2026年的法定节假日安排尚未录入" in str(caught.value)
        with pytest.raises(CalendarYearMissing):
            due_date(D(2026, 3, 1), Category.OWN, calendar="workdays")

    def test_a_period_reaching_into_a_missing_year(self):
        WorkCalendarYear.objects.filter(year__gte=2026).delete()
        assert due_date(D(2025, 12, 1), Category.OWN) == D(2025, 12, 11)  # stays in 2025: fine
        with pytest.raises(CalendarYearMissing) as caught:
            due_date(D(2025, 12, 20), Category.UPPER)
        assert caught.value.year == 2026


class TestHandMadeCalendars:
    def test_any_object_with_is_workday(self):
        every_wednesday_off = type("C", (), {"is_workday": lambda self, d: d.weekday() not in (2, 5, 6)})()
        assert due_date(D(2026, 3, 1), 1, workcal=every_wednesday_off) == D(2026, 3, 12)

    def test_holiday_then_adjusted_saturday(self):
        cal = Calendar(holidays={D(2030, 5, d) for d in range(1, 6)}, workdays={D(2030, 5, 11)})
        assert due_date(D(2030, 4, 21), 1, workcal=cal) == D(2030, 5, 6)  # lands on 1 May, off until the 5th
        assert due_date(D(2030, 5, 1), 1, workcal=cal) == D(2030, 5, 11)  # the worked Saturday itself
        assert due_date(D(2030, 5, 2), 1, workcal=cal) == D(2030, 5, 13)  # Sunday 12th is not worked
        assert due_date(D(2030, 5, 1), 1, workcal=cal, calendar="workdays") == D(2030, 5, 16)

    def test_a_calendar_without_working_days_is_an_error_not_a_hang(self):
        never = type("C", (), {"is_workday": lambda self, d: False})()
        with pytest.raises(ValueError, match="没有一个工作日"):
            due_date(D(2026, 3, 1), 1, workcal=never)

    @pytest.mark.parametrize("category", [0, 5, None, "x"])
    def test_category_must_be_1_to_4(self, category):
        with pytest.raises(ValueError, match=rules.CATEGORY_INVALID):
            due_date(D(2026, 3, 1), category, workcal=ORDINARY)

    def test_mode_must_be_known(self):
        with pytest.raises(ValueError, match=rules.MODE_INVALID):
            due_date(D(2026, 3, 1), 1, calendar="lunar", workcal=ORDINARY)

    def test_a_datetime_is_not_a_date(self):
        with pytest.raises(TypeError):
            due_date(datetime.datetime(2026, 3, 1, 9), 1, workcal=ORDINARY)


class TestDueSoonAndOverdue:
    """DESIGN.md: due soon when 30% or less of the time is left; overdue after the due date."""

    def test_ten_day_period(self):
        received, due = D(2026, 3, 1), D(2026, 3, 11)
        assert due_soon_from(received, due) == D(2026, 3, 8)  # 3 of 10 days left: exactly 30%
        assert not is_due_soon(received, due, D(2026, 3, 7))  # 4 of 10 left: 40%
        assert is_due_soon(received, due, D(2026, 3, 8))
        assert is_due_soon(received, due, D(2026, 3, 11))  # the due date itself is still on time
        assert not is_due_soon(received, due, D(2026, 3, 12))
        assert not is_overdue(due, D(2026, 3, 11))
        assert is_overdue(due, D(2026, 3, 12))

    @pytest.mark.parametrize(
        ("days", "soon_left"),
        [(20, 6), (30, 9), (40, 12), (13, 3), (12, 3), (11, 3), (3, 0), (0, 0)],
    )
    def test_thirty_percent_rounds_down_to_whole_days(self, days, soon_left):
        received = D(2026, 3, 2)
        due = received + datetime.timedelta(days=days)
        assert due_soon_from(received, due) == due - datetime.timedelta(days=soon_left)
        # On the first due-soon day the share left is at most 30%, the day before it is more.
        first = due_soon_from(received, due)
        if days:
            assert (due - first).days * 10 <= days * 3
            assert (due - first + datetime.timedelta(days=1)).days * 10 > days * 3

    def test_reminders_cover_three_days_ahead(self):
        due = D(2026, 3, 20)
        assert needs_reminder(due, D(2026, 3, 17))  # 3 days left
        assert not needs_reminder(due, D(2026, 3, 16))  # 4 days left
        assert needs_reminder(due, D(2026, 3, 25))  # overdue

    def test_on_time_counts_the_due_date_itself(self):
        assert rules.on_time(D(2026, 3, 20), D(2026, 3, 20))
        assert not rules.on_time(D(2026, 3, 20), D(2026, 3, 21))
