"""Seed the quota rules from fixtures/quota_rules.json. Existing rules are left as the organisation
department edited them; only missing codes are added."""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent.parent / "fixtures" / "quota_rules.json"


def seed(apps, schema_editor):
    QuotaRule = apps.get_model("liaison", "QuotaRule")
    for rule in json.loads(FIXTURE.read_text(encoding="utf-8")):
        QuotaRule.objects.get_or_create(code=rule["code"], defaults={k: v for k, v in rule.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [("liaison", "0003_quota_rules_and_sequences")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
