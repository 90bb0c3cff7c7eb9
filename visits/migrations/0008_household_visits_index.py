"""Coverage counts each household's visits in the index alone, joined to the households in household
order (visits.compliance.coverage._histogram): the household's index now carries the village too. The
household's own single-column index goes, since this one begins with it; it is dropped by name, so
SQLite does not copy the 1,000,000-row table to change the field's db_index."""

import django.db.models.deletion
from django.db import migrations, models

FK_INDEX = "visits_visit_household_id_4a77554f"  # Django's name for the household FK's own index


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0007_handling_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(
                fields=["household", "-visited_on", "organisation"], name="visit_household_date_org"
            ),
        ),
        migrations.RemoveIndex(
            model_name="visit",
            name="visit_household_date",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="visit",
                    name="household",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="visits",
                        to="liaison.household",
                        verbose_name="被访户",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{FK_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{FK_INDEX}" ON "visits_visit" ("household_id")',
                ),
            ],
        ),
    ]
