"""履职践诺 (004 四（四）): what the 两委会 did towards a published item, with a photo or file as evidence."""

from __future__ import annotations

import datetime
import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from commitments.models import Commitment, EventKind, ProgressNote
from commitments.models.steps import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES
from commitments.services.common import (
    actor,
    lock,
    log,
    refuse_unless,
    require_not_future,
    require_owner,
    save,
    today_of,
)
from commitments.states import Action

EVIDENCE_TOO_LARGE = "佐证材料不能超过 10 兆字节，照片请先压缩。"
EVIDENCE_KIND = "佐证材料只能是照片（jpg、png、gif、webp）或 pdf、Word、Excel 文件。"
EVIDENCE_NOT_WHAT_IT_SAYS = "文件内容与扩展名不符（不是{kind}文件），请重新选择。"
NOTE_BEFORE_PUBLISHED = "践诺记录的日期不能早于承诺的年度（{year}年）。"

# The first bytes of each kind of evidence: a renamed page or script is not saved as a photo.
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "pdf": (b"%PDF-",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
_KIND_NAMES = {
    "jpg": "JPEG 图片",
    "jpeg": "JPEG 图片",
    "png": "PNG 图片",
    "gif": "GIF 图片",
    "webp": "WebP 图片",
}


def check_evidence(upload: UploadedFile | None) -> None:
    if not upload:
        return
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError({"evidence": EVIDENCE_KIND})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": EVIDENCE_TOO_LARGE})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in _MAGIC[extension]):
        kind = _KIND_NAMES.get(extension, extension.upper())
        raise ValidationError({"evidence": EVIDENCE_NOT_WHAT_IT_SAYS.format(kind=kind)})


@transaction.atomic
def progress_add(
    *,
    user,
    commitment: Commitment | int,
    date: datetime.date,
    content: str,
    evidence: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> ProgressNote:
    now, today = today_of(now)
    commitment = lock(commitment)
    require_owner(user, commitment.organisation)
    refuse_unless(commitment, Action.PROGRESS)
    require_not_future(date, today, "date")
    if date.year < commitment.year:
        raise ValidationError({"date": NOTE_BEFORE_PUBLISHED.format(year=commitment.year)})
    check_evidence(evidence)
    note = ProgressNote(
        commitment=commitment,
        date=date,
        content=content.strip(),
        created_by=actor(user),
    )
    if evidence:
        note.evidence_name = os.path.basename(evidence.name)[-120:]
        note.evidence = evidence
    save(note)
    log(commitment, user=user, kind=EventKind.PROGRESS, now=now, note=f"{date:%Y-%m-%d}：{note.content[:60]}")
    return note
