"""Trigram (pg_trgm) GIN indexes for the search boxes, on PostgreSQL only; a no-op on SQLite.

A search is `LIKE '% zgh%'` on a pinyin key or `LIKE '%国华%'` on a name: no B-tree helps a pattern
that does not start at the beginning, so every resident of the district was read (issue #10).
A trigram index answers both. pg_trgm is a trusted extension (PostgreSQL ≥ 13): the database owner
may create it.
"""

from django.db import migrations

INDEXES = (
    ("liaison_resident_name_trgm", "liaison_resident", "name"),
    ("liaison_resident_initials_trgm", "liaison_resident", "name_initials"),
    ("liaison_household_address_trgm", "liaison_household", "address"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("liaison", "0008_pinyin_search_keys")]

    operations = [migrations.RunPython(create, drop)]
