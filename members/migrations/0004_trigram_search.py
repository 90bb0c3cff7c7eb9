"""Trigram GIN indexes for the member search (name, pinyin key) on PostgreSQL; a no-op on SQLite.
See liaison/migrations/0008_trigram_search.py."""

from django.db import migrations

INDEXES = (
    ("members_partymember_name_trgm", "members_partymember", "name"),
    ("members_partymember_initials_trgm", "members_partymember", "name_initials"),
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
    dependencies = [("members", "0003_pinyin_search_keys"), ("liaison", "0009_trigram_search")]

    operations = [migrations.RunPython(create, drop)]
