"""Trigram GIN indexes for the opinion search (reporter's name and pinyin key) on PostgreSQL; a no-op on
SQLite. See liaison/migrations/0008_trigram_search.py."""

from django.db import migrations

INDEXES = (
    ("feedback_opinion_reporter_trgm", "feedback_opinion", "reporter_name"),
    ("feedback_opinion_reporter_initials_trgm", "feedback_opinion", "reporter_initials"),
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
    dependencies = [("feedback", "0003_reporter_pinyin_search_key"), ("liaison", "0009_trigram_search")]

    operations = [migrations.RunPython(create, drop)]
