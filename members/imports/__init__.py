"""Excel import of households, residents and members: upload → preview → commit, all or nothing.

    batch = upload(user=…, upload=request.FILES["file"])   # quick checks, keeps the file
    read_upload(batch)                                      # parses it once, stores the rows (a job)
    plan = preview(batch)                                   # every row checked and matched, nothing written
    plan = commit(user=…, batch=batch)                      # a fresh plan, written only if it has no errors (a job)

The workbook is parsed once, by the reading job; the preview and the commit plan from the stored rows.
The views run the reading and the commit as background jobs (members/jobs.py).

Timing for 10,000 rows: scripts/bench_import.py.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from members.imports import storage
from members.imports.apply import apply_plan
from members.imports.households import plan_households, plan_residents
from members.imports.members import plan_members
from members.imports.plan import Plan, RowError, branches_index, villages_index
from members.imports.reader import FileRefused, Workbook, check_upload, read
from members.models import ImportBatch

ALREADY_DONE = "这个文件已经导入或已取消，请重新上传。"


def build_plan(workbook: Workbook, *, user) -> Plan:
    """Check and match every row of a read workbook against the database; write nothing."""
    plan = Plan(rows=workbook.data_rows)
    plan.errors.extend(RowError(e.sheet, e.row, e.column, e.message) for e in workbook.errors)
    plan.refused_cells = {(e.sheet, e.row, e.column) for e in workbook.errors}
    sheets = {title: s.rows for title, s in workbook.sheets.items()}
    villages = villages_index(user)
    households = plan_households(plan, sheets["户"], villages)
    plan_residents(plan, sheets["家庭成员"], villages, households)
    plan_members(plan, sheets["党员"], branches_index(user), user)
    plan.errors.sort(key=lambda e: (["户", "家庭成员", "党员"].index(e.sheet), e.row))
    return plan


def upload(*, user, upload) -> ImportBatch:
    """Refuse what is plainly not an import workbook (FileRefused: size, name, zip directory — no
    parsing); keep the file for `read_upload`, which the reading job runs."""
    check_upload(upload.name, upload.size, upload.file)
    storage.sweep()
    batch = ImportBatch(
        user=user, organisation=user.organisation, filename=upload.name[-200:], size=upload.size
    )
    storage.save_raw(batch, upload.file)
    batch.save()
    return batch


def read_upload(batch: ImportBatch) -> None:
    """Parse the uploaded workbook once (sheets, headers, row limit: FileRefused now rather than after
    the preview) and keep its rows for the preview and the commit, in place of the file."""
    with storage.open_raw(batch) as handle:
        workbook = read(handle)
    raw = batch.stored_name
    storage.save(batch, workbook)
    batch.save(update_fields=["stored_name", "sha256"])
    (storage.directory() / raw).unlink(missing_ok=True)


def preview(batch: ImportBatch) -> Plan:
    return build_plan(storage.load(batch), user=batch.user)


@transaction.atomic
def commit(*, user, batch: ImportBatch, progress=None) -> Plan:
    """All or nothing, in one transaction. `progress` (the commit job's) hears its two steps."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(ALREADY_DONE)
    plan = preview(batch)
    if not plan.ok:
        return plan
    if progress is not None:
        progress.in_transaction(40, f"核对无误，正在写入 {plan.rows} 行数据")
    apply_plan(plan, user=user, batch_id=batch.pk)
    counts = plan.counts()
    for name, count in counts.items():
        setattr(batch, f"{name}_created", count.created)
        setattr(batch, f"{name}_updated", count.updated)
        setattr(batch, f"{name}_unchanged", count.unchanged)
    batch.rows = plan.rows
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    storage.delete(batch)
    batch.save()
    return plan


def discard(*, batch: ImportBatch) -> None:
    storage.delete(batch)
    batch.status = ImportBatch.Status.DISCARDED
    batch.save(update_fields=["status", "stored_name"])


__all__ = ["FileRefused", "Plan", "commit", "discard", "preview", "read_upload", "upload"]
