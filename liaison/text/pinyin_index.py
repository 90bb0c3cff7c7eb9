"""The pinyin search on an index, on both databases: `Resident.objects.filter(name_initials__pinyin="zs")`.

A name's key (liaison.text.pinyin.initials) is " zs zhangsan": a search for "zs", "zhang" or
"zhangsan" is a prefix of one of its words. `__pinyin` says exactly that, and each database answers it
from an index:
- PostgreSQL: `LIKE '% zs%'`, which the pg_trgm GIN index answers (migration 0009).
- SQLite has no trigram index, and the same LIKE read all 1.2 M residents of a district (0.73 s a
  search, issue #10). There the column gets an FTS5 index, whose words are the key's words, and the
  lookup becomes a prefix query (`MATCH '"zs"*'`) on it. The FTS5 table uses the model's table as its
  external content, and triggers keep it in step with every INSERT, UPDATE and DELETE, including
  `bulk_create` and raw SQL, which no model signal sees (liaison.text.sqlite_fts, which also checks
  the index after every `migrate`).

A column not listed in INDEXED (or a query that is not letters only) falls back to the LIKE, so
`__pinyin` is correct everywhere and fast where it matters.
"""

from __future__ import annotations

from django.db.models import CharField, Lookup
from django.db.models.expressions import Col
from django.db.models.lookups import Contains

from liaison.text import sqlite_fts
from liaison.text.pinyin import looks_like_initials, search_key
from liaison.text.sqlite_fts import Fts5

# (table, column) → the FTS5 table that indexes it on SQLite (the table's primary key is `id`).
INDEXED = {
    ("liaison_resident", "name_initials"): "liaison_resident_initials_fts",
    ("members_partymember", "name_initials"): "members_partymember_initials_fts",
}


@CharField.register_lookup
class PinyinPrefix(Lookup):
    lookup_name = "pinyin"

    def as_sql(self, compiler, connection):
        query = str(self.rhs).strip().lower()
        return compiler.compile(Contains(self.lhs, search_key(query)))

    def as_sqlite(self, compiler, connection):
        query = str(self.rhs).strip().lower()
        column = self.lhs
        fts = (
            INDEXED.get((column.target.model._meta.db_table, column.target.column))
            if isinstance(column, Col)
            else None
        )
        if fts is None or not looks_like_initials(query):
            return self.as_sql(compiler, connection)
        pk = column.target.model._meta.pk.column
        alias = compiler.quote_name_unless_alias(column.alias)
        quoted_pk = connection.ops.quote_name(pk)
        return f"{alias}.{quoted_pk} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [f'"{query}"*']


sqlite_fts.register(*(Fts5(table, column, fts) for (table, column), fts in INDEXED.items()))
