"""A name or address search of one or two characters on an index: `Resident.objects.filter(name__part="国华")`.

The search boxes find "国华" anywhere in a name (`LIKE '%国华%'`). On PostgreSQL the pg_trgm index
(liaison migration 0009) answers a pattern of three characters or more, but it cannot take a trigram
out of one or two: "国华" read all 1.2 M residents of a district (780 ms a search, issue #10), and a
Chinese given name is two characters. So the columns in INDEXED also get a GIN index on their set of
one- and two-character pieces (SQL function FUNCTION, migration liaison 0019): "国华" is in a name's
pieces exactly when the name contains it, so `pieces(name) @> ARRAY['国华']` gives the same rows as
the LIKE, from the index. Three characters or more, or another column: the plain LIKE (`__contains`),
which pg_trgm answers.

SQLite has neither, and every such LIKE read the whole table: 国华 took 1.2 s over a district's
households. There each column in INDEXED has an FTS5 index (liaison.text.sqlite_fts) of its pieces of two
characters: "张国华" is indexed as the words "张国 国华 华" (the last character alone). A query is then
looked up by its own pieces, the name's of any length: "张国华" must have the words 张国 and 国华, a
single "国" a word that begins with 国. That finds every row that contains the query, and maybe a few
more (张国 and 国华 in "张国 国华" apart), so the LIKE is kept to say exactly which.
"""

from __future__ import annotations

from django.apps import apps
from django.db import migrations
from django.db.models import CharField, Lookup
from django.db.models.expressions import Col
from django.db.models.lookups import Contains

from liaison.text import sqlite_fts

FUNCTION = "liaison_short_pieces"
# What a query is looked up among: at most this many characters (a longer one is a trigram search).
LONGEST = 2
# (table, column) with a GIN index on FUNCTION(column): the migrations that make them name them here.
INDEXED = {
    ("liaison_resident", "name"): "liaison_resident_name_pieces",
    ("liaison_household", "address"): "liaison_household_address_pieces",
    ("members_partymember", "name"): "members_partymember_name_pieces",
}

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(t, i, n)), '{{}}')
    FROM generate_series(1, char_length(t)) AS i, generate_series(1, {LONGEST}) AS n
    WHERE i + n - 1 <= char_length(t)
$$"""


def index_operation(*columns: tuple[str, str]) -> migrations.RunPython:
    """The migration operation that makes (or drops) the pieces index of each (table, column), with the
    function first; a no-op on SQLite. The function is left in place on the way back: another app's
    index may use it."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(CREATE_FUNCTION)
        for table, column in columns:
            name = INDEXED[(table, column)]
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({FUNCTION}({column}))"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {INDEXED[(table, column)]}")

    return migrations.RunPython(create, drop)


def _longest(table: str, column: str) -> int:
    """The column's max_length: how far into a value its SQLite pieces reach. SQLite does not enforce
    it; the forms and `full_clean` do, and a longer value is found by its first max_length characters."""
    for model in apps.get_models():
        if model._meta.db_table == table:
            return next(f.max_length for f in model._meta.concrete_fields if f.column == column)
    raise LookupError(table)


def _pieces_of(table: str, column: str) -> sqlite_fts.Fts5:
    def document(ref: str) -> str:
        # substr() past the end is '', so a short value adds only spaces.
        return " || ' ' || ".join(f"substr({ref}, {i}, 2)" for i in range(1, _longest(table, column) + 1))

    return sqlite_fts.Fts5(
        table,
        column,
        f"{table}_{column}_pieces_fts",
        document,
        options="content='', detail=none, columnsize=0",
    )


SQLITE = {key: _pieces_of(*key) for key in INDEXED}
sqlite_fts.register(*SQLITE.values())


def pieces_query(value: str) -> str | None:
    """The FTS5 query that finds every value containing `value` among the pieces (None: none can say)."""
    pairs = [value[i : i + 2] for i in range(len(value) - 1)]
    words = [f'"{pair}"' for pair in pairs if pair.isalnum()]
    if not words:  # one character, or none of its pairs is a word: a word that begins with a character
        words = [f'"{char}"*' for char in value if char.isalnum()]
    return " AND ".join(dict.fromkeys(words)) or None


@CharField.register_lookup
class Part(Lookup):
    """`column__part=value`: the column contains value, as `__contains`, found from an index."""

    lookup_name = "part"

    def as_sql(self, compiler, connection):
        return compiler.compile(Contains(self.lhs, self.rhs))

    def as_sqlite(self, compiler, connection):
        like, params = self.as_sql(compiler, connection)
        column = self.lhs
        index = (
            SQLITE.get((column.target.model._meta.db_table, column.target.column))
            if isinstance(column, Col)
            else None
        )
        query = pieces_query(str(self.rhs))
        if index is None or query is None:
            return like, params
        alias = compiler.quote_name_unless_alias(column.alias)
        pk = connection.ops.quote_name(column.target.model._meta.pk.column)
        fts = index.name
        found = f"{alias}.{pk} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
        return f"({found} AND {like})", [query, *params]

    def as_postgresql(self, compiler, connection):
        value = str(self.rhs)
        column = self.lhs
        if not (
            1 <= len(value) <= LONGEST
            and isinstance(column, Col)
            and (column.target.model._meta.db_table, column.target.column) in INDEXED
        ):
            return self.as_sql(compiler, connection)
        sql, params = compiler.compile(column)
        return f"{FUNCTION}({sql}) @> ARRAY[%s]::text[]", [*params, value]
