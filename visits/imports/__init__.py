"""Excel import of visits, for villages catching up on a year of paper 民情日志: the members import's flow
and machinery (members.imports: the defensive reader, the stored rows, the jobs), with one sheet.

    batch = upload(user=…, upload=request.FILES["file"])   # quick checks, keeps the file
    read_upload(batch)                                      # parses it once, stores the rows (a job)
    plan = preview(batch)                                   # every row checked and matched, nothing written
    plan = commit(user=…, batch=batch)                      # a fresh plan, written only if it has no errors (a job)

All or nothing; idempotent: a visit already on record (same 家访人, household and day — the unique
constraint's key) is counted, not created again, so importing the same file twice creates nothing new.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from members.imports import storage
from members.imports.reader import FileRefused, check_upload, read
from visits.imports.apply import apply_plan
from visits.imports.columns import SHEETS
from visits.imports.plan import VisitPlan, build_plan
from visits.models import VisitImport

ALREADY_DONE = "这个文件已经导入或已取消，请重新上传。"


def upload(*, user, upload) -> VisitImport:
    check_upload(upload.name, upload.size, upload.file)
    sweep()
    batch = VisitImport(
        user=user, organisation=user.organisation, filename=upload.name[-200:], size=upload.size
    )
    storage.save_raw(batch, upload.file)
    batch.save()
    return batch


def read_upload(batch: VisitImport) -> None:
    with storage.open_raw(batch) as handle:
        workbook = read(handle, SHEETS)
    raw = batch.stored_name
    storage.save(batch, workbook)
    batch.save(update_fields=["stored_name", "sha256"])
    (storage.directory() / raw).unlink(missing_ok=True)


def preview(batch: VisitImport) -> VisitPlan:
    return build_plan(storage.load(batch, SHEETS), user=batch.user)


@transaction.atomic
def commit(*, user, batch: VisitImport, progress=None) -> VisitPlan:
    batch = VisitImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != VisitImport.Status.PENDING:
        raise ValidationError(ALREADY_DONE)
    plan = preview(batch)
    if not plan.ok:
        return plan
    if progress is not None:
        progress.in_transaction(40, f"核对无误，正在写入 {len(plan.new)} 条走访")
    apply_plan(plan, user=user, batch_id=batch.pk)
    batch.rows = plan.rows
    batch.visits_created = len(plan.new)
    batch.visits_existing = plan.existing
    batch.opinions_created = plan.opinions
    batch.status = VisitImport.Status.COMMITTED
    batch.committed_at = timezone.now()
    storage.delete(batch)
    batch.save()
    return plan


def discard(*, batch: VisitImport) -> None:
    storage.delete(batch)
    batch.status = VisitImport.Status.DISCARDED
    batch.save(update_fields=["status", "stored_name"])


def sweep() -> int:
    """Discard pending batches older than the storage's lifetime and delete their files."""
    stale = list(
        VisitImport.objects.filter(status=VisitImport.Status.PENDING, created_at__lt=storage.expired_before())
    )
    for batch in stale:
        discard(batch=batch)
    return len(stale)


__all__ = ["FileRefused", "VisitPlan", "commit", "discard", "preview", "read_upload", "upload"]
