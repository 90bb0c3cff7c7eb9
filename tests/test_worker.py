"""A worker (gunicorn liaison.wsgi) loads every view and freezes its start-up heap, so that Python's full
garbage collections walk only what requests create (liaison/worker.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, json, sys
import liaison.wsgi
gc.collect()  # what the import left as garbage, so that only live objects are counted
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
    "views": "members.views.posts" in sys.modules and "visits.views.visits" in sys.modules,
}))
"""


def test_the_wsgi_worker_freezes_its_start_up_heap_with_every_view_loaded():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "liaison.settings_test"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    assert found["views"]  # the URL conf was loaded before freezing: its modules are in the frozen heap
    # Django, the views, openpyxl and the pinyin tables: some 300,000 objects out of the collector's way,
    # against a few thousand left for it to walk.
    assert found["frozen"] > 100_000
    assert found["tracked"] < found["frozen"] / 10
