"""A GIN index on the one- and two-character pieces of party members' names, on PostgreSQL only
(liaison.text.short_search); a no-op on SQLite."""

from django.db import migrations

from liaison.text import short_search

COLUMNS = (("members_partymember", "name"),)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(short_search.create_index_sql(table, column))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(short_search.drop_index_sql(table, column))


class Migration(migrations.Migration):
    dependencies = [("members", "0007_import_job"), ("liaison", "0019_short_search_pieces")]

    operations = [migrations.RunPython(create, drop)]
