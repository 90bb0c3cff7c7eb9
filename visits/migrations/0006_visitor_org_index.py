"""The visits a subtree's members made outside it, counted from an index (visits.scope.visit_sides); the
visitor's own single-column index goes, since visit_visitor_date and this one both begin with it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0008_transfers"),
        ("liaison", "0019_short_search_pieces"),
        ("members", "0009_pairing_place"),
        ("visits", "0005_coverage_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="visit",
            name="visitor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="visits",
                to="members.partymember",
                verbose_name="家访人",
            ),
        ),
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(fields=["visitor", "organisation"], name="visit_visitor_org"),
        ),
    ]
