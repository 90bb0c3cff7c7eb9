"""The 组织部's district list by 处理方式 within a year, read from an index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0006_visitor_org_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(fields=["handling", "-visited_on"], name="visit_handling_date"),
        ),
    ]
