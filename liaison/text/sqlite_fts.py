"""FTS5 indexes on SQLite, kept in step with their table by triggers (liaison.text.pinyin_index,
liaison.text.short_search).

Triggers see every INSERT, UPDATE and DELETE, including `bulk_create` and raw SQL, which no model signal
sees. SQLite rebuilds a table (and drops its triggers) when a migration alters it, so an index is not made
by a migration but checked after every `migrate` (post_migrate, `ensure_indexes`): what is missing is
created and the index filled again from its table. Each index's text is an SQL expression of one column,
so the triggers need nothing but SQLite itself: the database stays writable from any tool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections


def _column(ref: str) -> str:
    return ref


@dataclass(frozen=True)
class Fts5:
    """An FTS5 table `name` indexing `document(column)` of each row of `table` (primary key `id`)."""

    table: str
    column: str
    name: str
    # The SQL of the text indexed for a row, given the SQL of its column (`new.name`, `old.name`, `name`).
    document: Callable[[str], str] = field(default=_column)
    # External content (FTS5 reads the column back from the table) when the text is the column itself;
    # otherwise contentless, storing only the index.
    options: str = ""

    def __post_init__(self) -> None:
        if not self.options:
            object.__setattr__(self, "options", f"content='{self.table}', content_rowid='id'")

    @property
    def objects(self) -> list[str]:
        return [self.name, *(f"{self.name}_{event}" for event in ("insert", "delete", "update"))]

    def statements(self) -> list[str]:
        fts, table, column, doc = self.name, self.table, self.column, self.document
        add = f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, {doc(f'new.{column}')});"
        remove = (
            f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, {doc(f'old.{column}')});"
        )
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({column}, {self.options}, tokenize='unicode61')",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {column} ON {table} BEGIN {remove} {add} END",
        ]

    def fill(self) -> list[str]:
        """Empty the index and index every row of the table again."""
        return [
            f"INSERT INTO {self.name}({self.name}) VALUES ('delete-all')",
            f"INSERT INTO {self.name}(rowid, {self.column}) SELECT id, {self.document(self.column)} FROM {self.table}",
        ]


# Every FTS5 index, registered by the module whose lookup reads it.
INDEXES: list[Fts5] = []


def register(*indexes: Fts5) -> None:
    INDEXES.extend(index for index in indexes if index not in INDEXES)


def _present(cursor, names: list[str]) -> set[str]:
    marks = ",".join("%s" for _ in names)
    cursor.execute(f"SELECT name FROM sqlite_master WHERE name IN ({marks})", names)
    return {row[0] for row in cursor.fetchall()}


def ensure_indexes(using: str = "default", **kwargs) -> list[str]:
    """Create what is missing of each FTS5 index on SQLite and fill it from its table; returns the
    indexes it had to repair (post_migrate handler; a no-op elsewhere)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        for index in INDEXES:
            if not _present(cursor, [index.table]):
                continue  # migrating from zero: the table comes later
            if _present(cursor, index.objects) == set(index.objects):
                continue
            for statement in index.statements():
                cursor.execute(statement)
            for statement in index.fill():
                cursor.execute(statement)
            repaired.append(index.name)
    return repaired


@contextmanager
def bulk_load(using: str = "default") -> Iterator[None]:
    """Load many rows with the indexes' triggers dropped, then fill each index once (`ensure_indexes`).

    FTS5 writes its pending terms out as a new segment at the end of every statement, so a row-by-row
    load through the triggers writes one segment per row: 51,993 residents took 13–20 s through the
    triggers and 2.1 s without them (`seed_demo --scale district`). Every trigger is back and every
    index filled from its table when the block ends, also when it fails."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        for index in INDEXES:
            for trigger in index.objects[1:]:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    try:
        yield
    finally:
        ensure_indexes(using)
