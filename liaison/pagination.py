"""Pagination that stays fast at both ends of a district-sized list.

OFFSET makes a database walk every row it skips: the last page of 400,000 households walks them
all. A page in the second half of the list is read from the other end instead: the queryset's
ordering reversed, a small OFFSET from the end, and the rows put back in order. The first and the
last page then cost the same; only pages deep in the middle pay for their OFFSET, and filters
(a village, a 村民小组, a search) are the way there.

A list whose rows need joins that its sort does not (a pairing shows its household, the sort reads
only the pairing's own columns) passes `rows`: the page's slice is then chosen from the lean queryset
and `rows(slice)` reads just those rows with their joins, in the same single query (`pk IN (… LIMIT
n)`). Otherwise the database joins every row of the list before sorting it.

A list whose length is stored (the household list's, in liaison.totals) passes `count`, and the
paginator runs no COUNT.

A search's list passes `cap`: its count stops there, the list says "more than" and pages only through
those rows, from the front. Counting every match of a common name cost more than finding the page:
"zhang" over the district, 44,672 households, took 393 ms on PostgreSQL to count and 23 ms to count to
1,001. `counted` is the same list in the form its database counts fastest, when that is not the form
it reads a page in fastest (a common name's visits on SQLite, visits.selectors.visit_list).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

# How many of a search's matches a list counts and pages through (issue #10).
SEARCH_CAP = 1000


class BothEndsPaginator(Paginator):
    def __init__(
        self,
        object_list,
        per_page,
        *,
        rows: Callable[[QuerySet], QuerySet] | None = None,
        count: int | None = None,
        cap: int | None = None,
        counted: QuerySet | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows
        self.capped = False  # the list holds more than `count` rows, of which it shows the first
        if count is not None:  # a stored total (liaison.totals) instead of a COUNT over the list
            self.__dict__["count"] = count
        elif cap is not None:
            found = (object_list if counted is None else counted).order_by()[: cap + 1].count()
            self.capped = found > cap
            self.__dict__["count"] = min(found, cap)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        count = self.count
        if top + self.orphans >= count:
            top = count
        object_list = self.object_list
        # A capped list's end is not the list's: its pages are read from the front.
        from_the_end = bottom > count // 2 and not self.capped
        if isinstance(object_list, QuerySet) and object_list.ordered and from_the_end:
            # rows [bottom, top) counted from the end are [count - top, count - bottom)
            chosen = object_list.reverse()[count - top : count - bottom]
            if self.rows is not None:  # `rows` puts them in the list's own order
                return self._get_page(self.rows(chosen), number, self)
            rows = list(chosen)
            rows.reverse()
            return self._get_page(rows, number, self)
        chosen = object_list[bottom:top]
        return self._get_page(chosen if self.rows is None else self.rows(chosen), number, self)
