"""Measuring one scenario: warm timings, SQL queries per request, peak memory, and its baseline.

- Timings: one cold request is thrown away, then `runs` warm requests, each timed around the whole
  response, streamed content read to the end; median and p95 (nearest rank).
- Queries: every SQL statement of one request (CaptureQueriesContext).
- Memory: the peak of Python allocations during one request (tracemalloc, on a run of its own, since
  tracing slows Python down). WeasyPrint, openpyxl and the ORM allocate through Python, so this is
  what grows with a page count or a row count.
- Baseline, measured in the same run on the same database:
  - a page: its heaviest query alone (each captured SELECT re-run through a cursor and fetched; the
    slowest one's median), so the ratio says how much the page adds to the query it cannot avoid;
  - an export: a bare openpyxl write-only dump of the same rows (every captured SELECT re-run and
    its rows appended to a write-only workbook saved to a temporary file).
"""

from __future__ import annotations

import datetime
import re
import statistics
import tempfile
import time
import tracemalloc
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

# An export or print slower than this runs once only: the harness must finish in reasonable time on
# a district, and one run of a 30 s request tells all there is to know.
SLOW_SECONDS = 10.0


@dataclass
class Result:
    scenario: str
    group: str
    database: str
    dataset: str
    status: int
    runs: int
    median_ms: float
    p95_ms: float
    queries: int
    peak_mb: float
    baseline: str
    baseline_ms: float | None
    ratio: float | None
    target: str = ""
    meets: bool | None = None
    bytes: int = 0
    note: str = ""
    heaviest_sql: str = field(default="", repr=False)

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.4999))  # nearest rank
    return ordered[min(rank, len(ordered)) - 1]


def _request(client: Client, url: str) -> tuple[int, int]:
    response = client.get(url)
    size = 0
    if response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    return response.status_code, size


def timed(client: Client, url: str, runs: int) -> tuple[list[float], int, int]:
    started = time.perf_counter()
    status, size = _request(client, url)  # cold: thrown away
    cold = time.perf_counter() - started
    if cold > SLOW_SECONDS:
        return [cold * 1000], status, size
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        _request(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return times, status, size


def captured(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        _request(client, url)
    return [q["sql"] for q in context.captured_queries]


def peak_memory(client: Client, url: str) -> float:
    tracemalloc.start()
    try:
        _request(client, url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1024 / 1024


# On PostgreSQL `QuerySet.iterator()` reads through a server-side cursor: the captured statement is
# `DECLARE "_django_curs_…" NO SCROLL CURSOR WITH HOLD FOR SELECT …`, whose SELECT is the rows.
_CURSOR = re.compile(
    r"^\s*DECLARE\s+\S+\s+(?:NO\s+)?SCROLL\s+CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+", re.I
)


def _selects(statements: list[str]) -> list[str]:
    """The SELECTs among the captured statements, a server-side cursor's included."""
    plain = (_CURSOR.sub("", s, count=1) for s in statements)
    return [s for s in plain if s.lstrip().upper().startswith(("SELECT", "WITH", "(SELECT"))]


def _run_sql(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def heaviest_query(statements: list[str], runs: int) -> tuple[float | None, str]:
    """The slowest captured SELECT, alone: its median over `runs` warm runs."""
    best: tuple[float, str] | None = None
    for sql in _selects(statements):
        try:
            _run_sql(sql)  # warm
            times = []
            for _ in range(max(1, min(runs, 5))):
                started = time.perf_counter()
                _run_sql(sql)
                times.append((time.perf_counter() - started) * 1000)
        except Exception:
            continue
        median = statistics.median(times)
        if best is None or median > best[0]:
            best = (median, sql)
    return (best[0], best[1]) if best else (None, "")


def bare_openpyxl(statements: list[str]) -> float:
    """The same rows written by openpyxl's write-only mode and nothing else."""
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    for index, sql in enumerate(_selects(statements)):
        sheet = workbook.create_sheet(title=f"s{index}")
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while rows := cursor.fetchmany(2000):
                for row in rows:
                    # Excel has no time zones: a bare dump drops them, as the app's exports do.
                    sheet.append(
                        [v.replace(tzinfo=None) if isinstance(v, datetime.datetime) else v for v in row]
                    )
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle)
    return (time.perf_counter() - started) * 1000
