"""Pagination that stays fast at both ends of a district-sized list.

OFFSET makes a database walk every row it skips: the last page of 400,000 households walks them
all. A page in the second half of the list is read from the other end instead: the queryset's
ordering reversed, a small OFFSET from the end, and the rows put back in order. The first and the
last page then cost the same; only pages deep in the middle pay for their OFFSET, and filters
(a village, a 村民小组, a search) are the way there.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class BothEndsPaginator(Paginator):
    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        count = self.count
        if top + self.orphans >= count:
            top = count
        object_list = self.object_list
        if isinstance(object_list, QuerySet) and object_list.ordered and bottom > count // 2:
            # rows [bottom, top) counted from the end are [count - top, count - bottom)
            rows = list(object_list.reverse()[count - top : count - bottom])
            rows.reverse()
            return self._get_page(rows, number, self)
        return self._get_page(object_list[bottom:top], number, self)
