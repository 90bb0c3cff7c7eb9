"""The uploaded file between preview and commit.

Decision: the file is stored server-side under MEDIA_ROOT/imports/<token>.xlsx (mode 0600, outside any
served URL), and an ImportBatch row binds the random token to the user who uploaded it. The commit
reads exactly the bytes that were previewed (SHA-256 checked), so the clerk does not upload twice and
a preview cannot be swapped for another file; another user, or the same token after 24 hours, gets 404.
The file is deleted on commit, on discard, and when a stale batch is swept at the next upload.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import timezone

from members.models import ImportBatch

SUBDIR = "imports"
LIFETIME = datetime.timedelta(hours=24)
CHANGED_ON_DISK = "暂存的文件已变化或丢失，请重新上传。"


def directory() -> Path:
    path = Path(settings.MEDIA_ROOT) / SUBDIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(batch: ImportBatch, handle: IO[bytes]) -> None:
    """Write the upload to disk and record its name and hash on the batch (not yet saved)."""
    name = f"{batch.token.hex}.xlsx"
    digest = hashlib.sha256()
    handle.seek(0)
    fd = os.open(directory() / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
            out.write(chunk)
    handle.seek(0)
    batch.stored_name = name
    batch.sha256 = digest.hexdigest()


def open_verified(batch: ImportBatch) -> IO[bytes]:
    path = directory() / batch.stored_name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileNotFoundError(CHANGED_ON_DISK) from exc
    if hashlib.sha256(data).hexdigest() != batch.sha256:
        raise FileNotFoundError(CHANGED_ON_DISK)

    return io.BytesIO(data)


def delete(batch: ImportBatch) -> None:
    if batch.stored_name:
        (directory() / batch.stored_name).unlink(missing_ok=True)
        batch.stored_name = ""


def expired_before() -> datetime.datetime:
    return timezone.now() - LIFETIME


def sweep() -> int:
    """Discard pending batches older than LIFETIME and delete their files."""
    stale = list(
        ImportBatch.objects.filter(status=ImportBatch.Status.PENDING, created_at__lt=expired_before())
    )
    for batch in stale:
        delete(batch)
        batch.status = ImportBatch.Status.DISCARDED
        batch.save(update_fields=["status", "stored_name"])
    return len(stale)
