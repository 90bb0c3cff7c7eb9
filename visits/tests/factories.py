"""Visits made for tests, through the service as the entry screen makes them."""

from __future__ import annotations

import datetime

from visits.services import visit_record


def visit(user, household, visitor, *, on: datetime.date, **fields):
    fields.setdefault("situation", "了解生产生活情况。")
    return visit_record(user=user, household=household, visitor=visitor, visited_on=on, **fields)
