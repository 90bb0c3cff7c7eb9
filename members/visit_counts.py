"""Where a pairing's visit counts come from.

Visits belong to the visits app, which does not exist yet. It will register a counter here (in its
AppConfig.ready) without members importing it:

    from members.visit_counts import pairing_visit_source
    pairing_visit_source.register(count_pairing_visits)  # (pairing_ids, years) -> {(pairing_id, year): n}

Until a counter is registered, `available` is False and every count is 0; the pages say that visit
records are not online yet instead of pretending the pairings were never visited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

VisitCounter = Callable[[list[int], list[int]], Mapping[tuple[int, int], int]]

NOT_AVAILABLE = "走访记录功能尚未上线：暂无走访数据，各年度走访次数按 0 次显示。"


class VisitSource:
    def __init__(self) -> None:
        self._counter: VisitCounter | None = None

    def register(self, counter: VisitCounter) -> VisitCounter:
        self._counter = counter
        return counter

    def unregister(self) -> None:
        self._counter = None

    @property
    def available(self) -> bool:
        return self._counter is not None

    def counts(self, pairing_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], int]:
        ids, year_list = sorted(set(pairing_ids)), sorted(set(years))
        if self._counter is None or not ids or not year_list:
            return {}
        return dict(self._counter(ids, year_list))


pairing_visit_source = VisitSource()
