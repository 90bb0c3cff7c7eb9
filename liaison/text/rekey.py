"""Recompute stored pinyin search keys in batches: used by the data migrations that widen them."""

from __future__ import annotations

from liaison.text.pinyin import initials

BATCH = 2000


def rekey(model, source: str, target: str) -> None:
    """Set `target` = initials(`source`) on every row, in batches of primary keys (flat memory)."""
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", source)[:BATCH])
        if not rows:
            return
        objs = [model(pk=pk, **{target: initials(name)}) for pk, name in rows]
        model.objects.bulk_update(objs, [target])
        last = rows[-1][0]
