"""The chinesecalendar package: the years it knows and their holidays, to import into the table."""

from __future__ import annotations

from liaison.workcal.days import DayEntry

PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def package_years() -> set[int]:
    from chinese_calendar import constants

    return {day.year for day in constants.holidays} | {day.year for day in constants.workdays}


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinesecalendar")
    except PackageNotFoundError:
        return "?"


def package_entries(year: int) -> list[DayEntry]:
    """The year's holidays and adjusted working days as the chinesecalendar package lists them."""
    from chinese_calendar import constants

    entries = [
        DayEntry(day, False, PACKAGE_NAMES.get(str(name), str(name)))
        for day, name in constants.holidays.items()
        if day.year == year
    ]
    entries += [
        DayEntry(day, True, f"{PACKAGE_NAMES.get(str(name), str(name))}调休上班")
        for day, name in constants.workdays.items()
        if day.year == year
    ]
    return sorted(entries, key=lambda entry: entry.date)


def package_source(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知（据节假日数据包第 {package_version()} 版导入）"
