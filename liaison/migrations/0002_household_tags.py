"""Seed the household tags named in DESIGN.md; 贫困户 and the like count towards 贫困群众100%覆盖."""

from django.db import migrations

# (name, counts as poor for 004 联系帮扶制度 一、"贫困群众100%覆盖")
TAGS = [
    ("困难户", True), ("贫困户", True), ("五保户", True), ("低保户", True), ("残疾人", False),
    ("空巢老人", False), ("留守儿童", False), ("上访户", False), ("致富能人", False), ("示范户", False),
    ("老党员", False), ("老干部", False),
]


def seed(apps, schema_editor):
    HouseholdTag = apps.get_model("liaison", "HouseholdTag")
    for order, (name, is_poor) in enumerate(TAGS, start=1):
        HouseholdTag.objects.get_or_create(name=name, defaults={"is_poor": is_poor, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("liaison", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
