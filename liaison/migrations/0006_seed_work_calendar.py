"""Seed the statutory work calendar from the chinesecalendar package, for every year it knows.

Years already in the table are left as the organisation department keeps them. Years the package
does not know stay missing: deadlines that reach them are reported, never counted as ordinary weeks.
"""

from importlib.metadata import PackageNotFoundError, version

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def seed(apps, schema_editor):
    from chinese_calendar import constants

    WorkCalendarYear = apps.get_model("liaison", "WorkCalendarYear")
    WorkCalendarDay = apps.get_model("liaison", "WorkCalendarDay")
    try:
        package = f"chinesecalendar {version('chinesecalendar')}"
    except PackageNotFoundError:
        package = "chinesecalendar"
    years = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    present = set(WorkCalendarYear.objects.values_list("year", flat=True))
    for year in years:
        if year in present:
            continue
        calendar_year = WorkCalendarYear.objects.create(
            year=year, source=f"国务院办公厅关于{year}年部分节假日安排的通知（由 {package} 导入）"
        )
        days = [
            WorkCalendarDay(calendar_year=calendar_year, date=day, is_workday=False, name=NAMES.get(str(name), str(name)))
            for day, name in constants.holidays.items() if day.year == year
        ] + [
            WorkCalendarDay(
                calendar_year=calendar_year, date=day, is_workday=True, name=f"{NAMES.get(str(name), str(name))}调休上班"
            )
            for day, name in constants.workdays.items() if day.year == year
        ]
        WorkCalendarDay.objects.bulk_create(sorted(days, key=lambda d: d.date))


class Migration(migrations.Migration):
    dependencies = [("liaison", "0005_work_calendar")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
