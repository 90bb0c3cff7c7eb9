"""The household's village and sort key copied onto each pairing (members.pairing_place), filled from
the households in one UPDATE before the village becomes required."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Pairing = apps.get_model("members", "Pairing")
    Household = apps.get_model("liaison", "Household")
    household = Household.objects.filter(pk=OuterRef("household_id"))
    Pairing.objects.update(
        organisation_id=Subquery(household.values("organisation_id")),
        household_sort_key=Subquery(household.values("sort_key")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0019_short_search_pieces"),
        ("members", "0008_short_search_pieces"),
    ]

    operations = [
        migrations.AddField(
            model_name="pairing",
            name="household_sort_key",
            field=models.CharField(blank=True, editable=False, max_length=255, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="pairing",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="liaison.organisation",
                verbose_name="结对户所在村（社区）",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pairing",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="liaison.organisation",
                verbose_name="结对户所在村（社区）",
            ),
        ),
        migrations.AddIndex(
            model_name="pairing",
            index=models.Index(fields=["organisation", "status", "household_sort_key"], name="pairing_place"),
        ),
    ]
