"""The demo district drawn by `manage.py seed_demo`."""

from __future__ import annotations

from django.db import connection


def refresh_statistics() -> None:
    """Tell the planner how big the tables now are, after a bulk load.

    Until autovacuum gets round to it, a PostgreSQL table that was last analysed empty is planned as
    holding one row, whatever it holds now: joins over thousands of households then run as nested loops
    for minutes (the demo district in CI, 2026-12-02). SQLite chooses indexes from its sqlite_stat1 table,
    which ANALYZE fills the same way."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
