"""The statutory work calendar (法定节假日与调休): which days are working days.

Deadlines are counted on it (民法典 第二百零三条: a period whose last day is a statutory rest day ends
on the next working day). A day that is not listed follows the ordinary week: Monday to Friday work,
Saturday and Sunday rest. Each year lists only its exceptions, as the State Council's notice
(国务院办公厅关于××年部分节假日安排的通知) does: holidays (放假) and the weekends worked instead
(调休上班). A year with no WorkCalendarYear row is unknown, never assumed to be ordinary weeks.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from liaison.models.users import recorded_by

YEAR_RANGE = (2000, 2100)
WORKDAY_NOT_WEEKEND = "调休上班日应是周六或周日：平常的工作日无需登记。"
DATE_OUTSIDE_YEAR = "日期不在{year}年内。"


class WorkCalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(
        "年度", unique=True, validators=[MinValueValidator(YEAR_RANGE[0]), MaxValueValidator(YEAR_RANGE[1])]
    )
    source = models.CharField(
        "依据", max_length=300, help_text="国务院办公厅关于该年部分节假日安排的通知（文号）"
    )
    notes = models.CharField("说明", max_length=300, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = recorded_by("修改人")

    class Meta:
        verbose_name = "工作日历年度"
        verbose_name_plural = "工作日历年度"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_RANGE[0]) & Q(year__lte=YEAR_RANGE[1]),
                name="workcal_year_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年"


class WorkCalendarDay(models.Model):
    calendar_year = models.ForeignKey(
        WorkCalendarYear, verbose_name="年度", on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", help_text="勾选：调休上班的周末；不勾选：放假")
    name = models.CharField("节日", max_length=30, blank=True, help_text="如 国庆节、春节")

    class Meta:
        verbose_name = "节假日或调休日"
        verbose_name_plural = "节假日或调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'} {self.name}".rstrip()

    def clean(self) -> None:
        if self.date and self.calendar_year_id and self.date.year != self.calendar_year.year:
            raise ValidationError({"date": DATE_OUTSIDE_YEAR.format(year=self.calendar_year.year)})
        if self.date and self.is_workday and self.date.weekday() < 5:
            raise ValidationError({"date": WORKDAY_NOT_WEEKEND})

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


def is_ordinary_workday(day: datetime.date) -> bool:
    return day.weekday() < 5
