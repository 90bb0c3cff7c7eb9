"""The work calendar table: seeded from chinesecalendar, edited as text, and a missing year never silent."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from liaison import workcal
from liaison.models import WorkCalendarDay, WorkCalendarYear
from liaison.workcal import CalendarYearMissing, StatutoryCalendar, format_days, parse_days

D = datetime.date
pytestmark = pytest.mark.django_db


def test_migration_seeds_every_year_the_package_knows_with_its_source():
    years = set(WorkCalendarYear.objects.values_list("year", flat=True))
    assert years == workcal.package_years()
    assert {2024, 2025, 2026} <= years
    national_day = WorkCalendarDay.objects.get(date=D(2026, 10, 1))
    assert not national_day.is_workday and national_day.name == "国庆节"
    assert WorkCalendarDay.objects.get(date=D(2026, 10, 10)).is_workday
    assert all(
        "国务院办公厅关于" in source for source in WorkCalendarYear.objects.values_list("source", flat=True)
    )


def test_statutory_calendar_reads_a_year_in_two_queries(django_assert_num_queries):
    calendar = StatutoryCalendar()
    with django_assert_num_queries(2):
        days = [calendar.is_workday(D(2026, 1, 1) + datetime.timedelta(days=n)) for n in range(365)]
    assert sum(days) == 248  # 2026: 365 − 104 weekend days − 19 weekday holidays + 6 worked weekend days


def test_missing_year_raises_unless_provisional_and_then_says_which():
    WorkCalendarYear.objects.filter(year=2026).delete()
    with pytest.raises(CalendarYearMissing):
        StatutoryCalendar().is_workday(D(2026, 10, 1))
    provisional = StatutoryCalendar(provisional=True)
    assert provisional.is_workday(D(2026, 10, 1))  # a Thursday, counted as ordinary only because asked to
    assert provisional.assumed_years == {2026}


@pytest.mark.parametrize(
    ("today", "missing"),
    [(D(2027, 9, 30), [2027]), (D(2026, 9, 30), []), (D(2026, 10, 1), [2027])],
)
def test_missing_years_warning_looks_at_next_year_from_october(today, missing):
    WorkCalendarYear.objects.filter(year__gte=2027).delete()
    assert workcal.missing_years_warning(today) == missing


def test_text_round_trip():
    text = "2027-10-01 至 2027-10-07 休 国庆节\n2027-09-26 班 国庆节调休\n\n# 备注行\n2027-01-01 休 元旦"
    entries = parse_days(text, year=2027)
    assert len(entries) == 9
    assert (
        format_days(entries)
        == "2027-01-01 休 元旦\n2027-09-26 班 国庆节调休\n2027-10-01 至 2027-10-07 休 国庆节"
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2027-10-01 放假", "格式不对"),
        ("2027-02-30 休 春节", "日期不存在"),
        ("2027-10-07 至 2027-10-01 休 国庆节", "结束日期早于开始日期"),
        ("2028-01-01 休 元旦", "不在2027年内"),
        ("2027-09-29 班 国庆节调休", "调休上班日应是周六或周日"),
        ("2027-10-01 休 国庆节\n2027-10-01 休 国庆节", "重复登记"),
    ],
)
def test_bad_lines_are_named(line, message):
    with pytest.raises(ValidationError) as caught:
        parse_days(line, year=2027)
    assert any(message in m for m in caught.value.messages)


def test_model_refuses_a_working_weekday():
    year = WorkCalendarYear.objects.get(year=2026)
    day = WorkCalendarDay(calendar_year=year, date=D(2026, 3, 4), is_workday=True)
    with pytest.raises(ValidationError, match="调休上班日应是周六或周日"):
        day.full_clean()


class TestConfigPages:
    def test_org_dept_enters_a_year_and_provisional_dates_are_recomputed(
        self, client_for, org_dept, clerk_a, django_capture_on_commit_callbacks
    ):
        from django.urls import reverse

        from feedback.tests.factories import refreshed, register

        WorkCalendarYear.objects.filter(year__gte=2027).delete()
        opinion = register(clerk_a, received_on=D(2026, 12, 24), category=1)  # lands on Sunday 3 January 2027
        assert opinion.due_is_provisional and opinion.due_date == D(2027, 1, 4)
        client = client_for(org_dept)
        page = client.get(reverse("calendar-create"), {"year": 2027})
        assert "国务院办公厅关于2027年部分节假日安排的通知" in page.text
        days = "2027-01-01 至 2027-01-04 休 元旦\n2027-01-09 班 元旦调休"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("calendar-create"), {"year": "2027", "source": "国办发明电〔2026〕1号", "days": days}
            )
        assert response.status_code == 302 and response["Location"] == reverse("calendar-year", args=[2027])
        assert WorkCalendarDay.objects.filter(calendar_year__year=2027).count() == 5
        opinion = refreshed(opinion)
        assert not opinion.due_date_provisional and opinion.due_date == D(2027, 1, 5)
        assert opinion.events.filter(kind="recompute").count() == 1
        grid = client.get(reverse("calendar-year", args=[2027])).text
        assert "元旦调休" in grid and "国办发明电〔2026〕1号" in grid

    def test_bad_lines_and_a_second_entry_are_refused(self, client_for, org_dept):
        from django.urls import reverse

        client = client_for(org_dept)
        response = client.post(reverse("calendar-create"), {"year": "2026", "source": "x", "days": ""})
        assert "2026年已经录入" in str(response.context["form"].errors["year"])
        WorkCalendarYear.objects.filter(year=2030).delete()
        response = client.post(
            reverse("calendar-create"), {"year": "2030", "source": "x", "days": "2030-10-01 放假"}
        )
        assert "第1行格式不对" in str(response.context["form"].errors["days"])
        assert not WorkCalendarYear.objects.filter(year=2030).exists()

    def test_edit_replaces_the_days(self, client_for, org_dept):
        from django.urls import reverse

        client = client_for(org_dept)
        url = reverse("calendar-edit", args=[2026])
        from tests.forms_utils import form_fields

        data = form_fields(client.get(url).text)
        assert "2026-10-01 至 2026-10-07 休 国庆节" in data["days"]
        assert "2026-10-10 班 国庆节调休上班" in data["days"]
        data["days"] = data["days"].replace("2026-10-10 班 国庆节调休上班", "")
        data["year"] = "1999"  # ignored: the year of the page
        assert client.post(url, data).status_code == 302
        assert not WorkCalendarDay.objects.filter(date=D(2026, 10, 10)).exists()
        assert WorkCalendarDay.objects.filter(date=D(2026, 10, 1)).exists()
        assert not WorkCalendarYear.objects.filter(year=1999).exists()
