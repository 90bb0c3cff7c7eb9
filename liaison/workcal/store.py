"""The one write to the work calendar: a year's days replaced as a whole, then `work_calendar_changed`.

Apps that stored dates counted on the calendar (feedback's due dates) listen to the signal and recompute.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from liaison.audit import bulk as audit
from liaison.models import WorkCalendarDay, WorkCalendarYear
from liaison.workcal.days import DayEntry

# Sent after a year's days were saved: work_calendar_changed.send(sender=WorkCalendarYear, years=[2027]).
work_calendar_changed = Signal()


@transaction.atomic
def save_year(*, year: int, source: str, notes: str, entries: list[DayEntry], user=None) -> WorkCalendarYear:
    """Create or replace one year: its days are the year's content, so they are replaced as a whole."""
    calendar_year, _ = WorkCalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": source}
    )
    calendar_year.source = source
    calendar_year.notes = notes
    calendar_year.updated_by = user if user is not None and user.is_authenticated else None
    calendar_year.full_clean()
    calendar_year.save()
    calendar_year.days.all().delete()
    days = WorkCalendarDay.objects.bulk_create(
        [
            WorkCalendarDay(calendar_year=calendar_year, date=e.date, is_workday=e.is_workday, name=e.name)
            for e in entries
        ]
    )
    audit.log_created(days)  # bulk_create sends no signals
    transaction.on_commit(lambda: work_calendar_changed.send(sender=WorkCalendarYear, years=[year]))
    return calendar_year
