"""GIN indexes on the one- and two-character pieces of residents' names and households' addresses, on
PostgreSQL only (liaison.text.short_search); a no-op on SQLite."""

from django.db import migrations

from liaison.text.short_search import index_operation


class Migration(migrations.Migration):
    dependencies = [("liaison", "0018_organisation_unit_kind")]

    operations = [index_operation(("liaison_resident", "name"), ("liaison_household", "address"))]
