"""GIN indexes on the one- and two-character pieces of residents' names and households' addresses, on
PostgreSQL only (liaison.text.short_search); a no-op on SQLite."""

from django.db import migrations

from liaison.text import short_search

COLUMNS = (("liaison_resident", "name"), ("liaison_household", "address"))


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(short_search.CREATE_FUNCTION)
    for table, column in COLUMNS:
        schema_editor.execute(short_search.create_index_sql(table, column))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(short_search.drop_index_sql(table, column))
    # The function stays while members' and feedback's indexes use it; their migrations depend on this one.


class Migration(migrations.Migration):
    dependencies = [("liaison", "0018_organisation_unit_kind")]

    operations = [migrations.RunPython(create, drop)]
