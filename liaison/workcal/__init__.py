"""The statutory work calendar that deadlines are counted on.

- `reading`: `StatutoryCalendar` answers `is_workday(date)` from the table, per year;
- `days`: the text form of a year's days the organisation department edits (parse and format);
- `package`: the holidays the chinesecalendar package knows, to import a year;
- `store`: the one write (`save_year`) and the `work_calendar_changed` signal it sends;
- `layout`: the calendar page's month grid.

Import from here: these are the calendar's public names.
"""

from liaison.workcal.days import DayEntry, format_days, parse_days
from liaison.workcal.layout import month_grid
from liaison.workcal.package import package_entries, package_source, package_version, package_years
from liaison.workcal.reading import CalendarYearMissing, StatutoryCalendar, missing_years_warning
from liaison.workcal.store import save_year, work_calendar_changed

__all__ = [
    "CalendarYearMissing",
    "DayEntry",
    "StatutoryCalendar",
    "format_days",
    "missing_years_warning",
    "month_grid",
    "package_entries",
    "package_source",
    "package_version",
    "package_years",
    "parse_days",
    "save_year",
    "work_calendar_changed",
]
