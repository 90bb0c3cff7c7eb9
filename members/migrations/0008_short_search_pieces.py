"""A GIN index on the one- and two-character pieces of party members' names, on PostgreSQL only
(liaison.text.short_search); a no-op on SQLite."""

from django.db import migrations

from liaison.text.short_search import index_operation


class Migration(migrations.Migration):
    dependencies = [("members", "0007_import_job"), ("liaison", "0019_short_search_pieces")]

    operations = [index_operation(("members_partymember", "name"))]
