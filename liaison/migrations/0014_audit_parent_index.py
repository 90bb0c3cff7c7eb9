"""An index for a record's history page: the entries of the records shown on it (a household's residents)
are found by additional_data["parent"] (liaison/audit/registry.py PARENTS). PostgreSQL indexes the JSON
expression Django's lookup produces; SQLite (the demo database) has no matching expression index."""

from django.db import migrations

INDEX = "auditlog_logentry_parent"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON auditlog_logentry (("additional_data" -> \'parent\'))'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0013_household_resident_archive"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(create, drop)]
