"""What a long-lived worker process does once the application is loaded (liaison/wsgi.py; the benchmark
harness does the same, so that it measures pages as a worker serves them).

Django, the URL conf with every view, openpyxl and the pinyin tables make about 330,000 objects that
the garbage collector tracks and that live as long as the process. A full collection walked all of
them (86 ms after one request, up to 157 ms in the harness), and Python starts one on its own every
ten or so requests of a list page: the district's post list took 52–69 ms, and 177–226 ms in the
requests where one fell. `gc.freeze()` moves what exists at start-up out of the collector's
generations; what requests create is still collected as before. The post list's p95 over 20 runs on
PostgreSQL: 351 → 178 ms.
"""

from __future__ import annotations

import gc


def prepare() -> int:
    """Load what every request needs, then freeze the start-up heap. Returns the objects frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # imports every view module and what it imports  # noqa: B018
    gc.collect()  # what start-up left as garbage is freed first, not frozen
    gc.freeze()
    return gc.get_freeze_count()
