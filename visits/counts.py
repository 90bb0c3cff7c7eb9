"""The pairing visit counter registered with members.visit_counts (002 二: 每年走访不少于2次)."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.db.models.functions import ExtractYear

from visits.models import Visit


def count_pairing_visits(pairing_ids: list[int], years: list[int]) -> dict[tuple[int, int], int]:
    """{(pairing_id, year): visits}, one grouped query over the (pairing, visited_on) index."""
    rows = (
        Visit.objects.filter(
            pairing_id__in=pairing_ids,
            visited_on__gte=datetime.date(min(years), 1, 1),
            visited_on__lte=datetime.date(max(years), 12, 31),
        )
        .annotate(year=ExtractYear("visited_on"))
        .values("pairing_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    )
    wanted = set(years)
    return {(r["pairing_id"], r["year"]): r["n"] for r in rows if r["year"] in wanted}
