"""The parsed upload between preview and commit: the workbook is parsed once, at upload.

The upload is kept as it came (<token>.xlsx) only until the background job that reads it has run
(members/jobs.py: parsing 10,000 rows takes seconds); then the rows replace it.

Decision: the rows read from the workbook (not the .xlsx itself) are stored server-side as JSON under
MEDIA_ROOT/imports/<token>.json (mode 0600, outside any served URL), and an ImportBatch row binds the
random token to the user who uploaded it. Parsing a large workbook is the expensive part (openpyxl,
XML), so the preview and the commit read the stored rows back instead of parsing the file again; they
still build a fresh plan from them, because the database may change in between. The commit reads
exactly the rows that were previewed (SHA-256 checked), so the clerk does not upload twice and a
preview cannot be swapped for another file; another user, or the same token after 24 hours, gets 404.
The file is deleted on commit, on discard, and when a stale batch is swept at the next upload.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import timezone

from members.imports.columns import SHEETS, SheetSpec
from members.imports.reader import CellError, SheetRows, Workbook
from members.models import ImportBatch

SUBDIR = "imports"
RAW_SUFFIX = ".xlsx"
LIFETIME = datetime.timedelta(hours=24)
CHANGED_ON_DISK = "暂存的文件已变化或丢失，请重新上传。"
FORMAT = 1

# Cell values as openpyxl reads them; JSON keeps str, int, float, bool and None, the rest is tagged.
_TAGS: dict[type, tuple[str, object]] = {
    datetime.datetime: ("dt", datetime.datetime.isoformat),
    datetime.date: ("d", datetime.date.isoformat),
    datetime.time: ("t", datetime.time.isoformat),
    datetime.timedelta: ("td", datetime.timedelta.total_seconds),
}
_UNTAG = {
    "dt": datetime.datetime.fromisoformat,
    "d": datetime.date.fromisoformat,
    "t": datetime.time.fromisoformat,
    "td": lambda seconds: datetime.timedelta(seconds=seconds),
}


def _encode(value: object) -> object:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    tag = _TAGS.get(type(value))
    if tag is None:  # anything else openpyxl might hand over is read as its text
        return str(value)
    return {tag[0]: tag[1](value)}


def _decode(value: object) -> object:
    if isinstance(value, dict):
        ((tag, raw),) = value.items()
        return _UNTAG[tag](raw)
    return value


def dumps(workbook: Workbook) -> bytes:
    return json.dumps(
        {
            "format": FORMAT,
            "sheets": {
                title: [[number, {k: _encode(v) for k, v in values.items()}] for number, values in sheet.rows]
                for title, sheet in workbook.sheets.items()
            },
            "errors": [[e.sheet, e.row, e.column, e.message] for e in workbook.errors],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def loads(data: bytes, specs: tuple[SheetSpec, ...] = SHEETS) -> Workbook:
    raw = json.loads(data)
    if raw.get("format") != FORMAT:
        raise ValueError("unknown format")
    specs = {spec.title: spec for spec in specs}
    sheets = {
        title: SheetRows(
            specs[title], [(number, {k: _decode(v) for k, v in values.items()}) for number, values in rows]
        )
        for title, rows in raw["sheets"].items()
    }
    return Workbook(sheets=sheets, errors=[CellError(*e) for e in raw["errors"]])


def directory() -> Path:
    path = Path(settings.MEDIA_ROOT) / SUBDIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(batch: ImportBatch, workbook: Workbook) -> None:
    """Write the parsed rows to disk and record their name and hash on the batch (not yet saved)."""
    name = f"{batch.token.hex}.json"
    data = dumps(workbook)
    fd = os.open(directory() / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    batch.stored_name = name
    batch.sha256 = hashlib.sha256(data).hexdigest()


def save_raw(batch: ImportBatch, handle: IO[bytes]) -> None:
    """Keep the uploaded workbook itself until the reading job has parsed it (then `save` replaces it
    with the rows). Same directory and mode; the hash binds the job to exactly this file."""
    name = f"{batch.token.hex}{RAW_SUFFIX}"
    digest = hashlib.sha256()
    handle.seek(0)
    fd = os.open(directory() / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            out.write(chunk)
    batch.stored_name = name
    batch.sha256 = digest.hexdigest()


def is_read(batch: ImportBatch) -> bool:
    """The workbook has been parsed (its rows are stored), so it can be previewed and committed."""
    return batch.stored_name.endswith(".json")


def open_raw(batch: ImportBatch) -> IO[bytes]:
    """The uploaded workbook, exactly as uploaded (FileNotFoundError if changed or gone)."""
    if not batch.stored_name.endswith(RAW_SUFFIX):
        raise FileNotFoundError(CHANGED_ON_DISK)
    try:
        handle = (directory() / batch.stored_name).open("rb")
    except OSError as exc:
        raise FileNotFoundError(CHANGED_ON_DISK) from exc
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    if digest.hexdigest() != batch.sha256:
        handle.close()
        raise FileNotFoundError(CHANGED_ON_DISK)
    handle.seek(0)
    return handle


def load(batch: ImportBatch, specs: tuple[SheetSpec, ...] = SHEETS) -> Workbook:
    """The rows stored at upload, exactly as they were (FileNotFoundError if changed or gone). Any
    batch with the same token, stored name and hash works (visits' own import batch does)."""
    try:
        data = (directory() / batch.stored_name).read_bytes()
    except OSError as exc:
        raise FileNotFoundError(CHANGED_ON_DISK) from exc
    if not batch.stored_name or hashlib.sha256(data).hexdigest() != batch.sha256:
        raise FileNotFoundError(CHANGED_ON_DISK)
    try:
        return loads(data, specs)
    except (ValueError, KeyError, TypeError) as exc:
        raise FileNotFoundError(CHANGED_ON_DISK) from exc


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
