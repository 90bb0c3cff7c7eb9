"""An Excel import is a user's action: every record it creates or changes is on the audit trail, each
entry naming the batch, with the importer and the address."""

from __future__ import annotations

import copy

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from liaison.models import Household, Resident
from members.models import ImportBatch, PartyMember
from members.tests.import_utils import SHEETS, upload, workbook_bytes

pytestmark = pytest.mark.django_db


def run_import(client, content: bytes) -> ImportBatch:
    response = client.post(reverse("import-upload"), {"file": upload(content)}, REMOTE_ADDR="10.7.7.7")
    assert response.status_code == 302
    batch = ImportBatch.objects.latest("id")
    client.post(reverse("import-commit", args=[batch.token]), REMOTE_ADDR="10.7.7.7")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    return batch


def test_every_imported_record_has_its_own_entry(client_for, clerk_a, branches):
    client = client_for(clerk_a)
    batch = run_import(client, workbook_bytes())
    for model, count in ((Household, 3), (Resident, 6), (PartyMember, 2)):
        created = LogEntry.objects.get_for_model(model).filter(action=LogEntry.Action.CREATE)
        assert created.count() == count == model.objects.count()
        assert set(created.values_list("object_id", flat=True)) == set(
            model.objects.values_list("pk", flat=True)
        )
        for entry in created:
            assert entry.actor == clerk_a and entry.remote_addr == "10.7.7.7"
            assert entry.additional_data["import_batch"] == batch.pk
    resident_entry = LogEntry.objects.get_for_model(Resident).first()
    assert resident_entry.additional_data["parent"].startswith("liaison.household:")
    zhou = Household.objects.get(head_name="周瑄")
    tags = [e for e in LogEntry.objects.get_for_object(zhou) if "tags" in (e.changes or {})]
    assert tags[0].changes["tags"]["objects"] == ["低保户"]
    page = client.get(reverse("household-detail", args=[zhou.pk])).text
    assert f"Excel 导入（批次 {batch.pk}）" in page


def test_changes_from_a_second_import_are_recorded_old_to_new(client_for, clerk_a, branches):
    client = client_for(clerk_a)
    run_import(client, workbook_bytes())
    household = Household.objects.get(head_name="周瑄")
    old_phone = household.phone

    sheets = copy.deepcopy(SHEETS)
    for row in sheets["户"]:
        if row[3] == "周瑄":
            row[4] = "13600001111"
    batch = run_import(client, workbook_bytes(sheets))
    update = (
        LogEntry.objects.get_for_object(household)
        .filter(action=LogEntry.Action.UPDATE)
        .exclude(changes__has_key="tags")
    )
    entry = update.get()
    assert entry.changes["phone"] == [old_phone, "13600001111"]
    assert entry.additional_data["import_batch"] == batch.pk


def test_an_archived_household_or_resident_in_the_file_is_refused_on_its_row(client_for, clerk_a, branches):
    """Before: the row made a second household, or hit the unique ID number at commit (a conflict)."""
    import datetime

    from liaison import retention
    from members.imports.households import ARCHIVED_HOUSEHOLD, ARCHIVED_RESIDENT
    from members.tests.factories import id_number

    haoran_id = id_number(datetime.date(2005, 8, 9), 517)
    sheets = copy.deepcopy(SHEETS)
    for row in sheets["家庭成员"]:
        if row[3] == "周浩然":
            row[7] = haoran_id
    client = client_for(clerk_a)
    run_import(client, workbook_bytes(sheets))
    retention.household_archive(
        user=clerk_a, household=Household.objects.get(head_name="吴祎"), reason="deceased"
    )
    retention.resident_archive(
        user=clerk_a, resident=Resident.objects.get(id_number=haoran_id), reason="moved_away"
    )
    response = client.post(reverse("import-upload"), {"file": upload(workbook_bytes(sheets))})
    page = client.get(response["Location"])
    messages = [e.message for e in page.context["errors"]]
    assert ARCHIVED_HOUSEHOLD in messages
    assert ARCHIVED_RESIDENT.format(household=Household.objects.get(head_name="周瑄")) in messages
    assert Household.all_objects.filter(head_name="吴祎").count() == 1
