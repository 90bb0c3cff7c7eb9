"""Where job files live: LIAISON_JOB_FILES_DIR (MEDIA_ROOT/jobs by default), mode 0600, outside any
served URL; each job writes only its own file, named by its token, so two jobs never share one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from liaison.documents.rendering import RenderedFile

EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def directory() -> Path:
    path = Path(settings.LIAISON_JOB_FILES_DIR or Path(settings.MEDIA_ROOT) / "jobs")
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(token_hex: str, rendered: RenderedFile) -> tuple[str, int]:
    """Write the file under a name of its own; returns (stored name, size). Written to a temporary name
    and renamed, so a half-written file is never served."""
    name = token_hex + EXTENSIONS.get(rendered.content_type, ".bin")
    final = directory() / name
    partial = directory() / (name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        _copy(rendered.content, out)
    os.replace(partial, final)
    return name, final.stat().st_size


def _copy(content: bytes | BinaryIO | Iterable[bytes], out: BinaryIO) -> None:
    if isinstance(content, bytes):
        out.write(content)
    elif hasattr(content, "read"):
        if hasattr(content, "seek"):
            content.seek(0)
        shutil.copyfileobj(content, out)
        if hasattr(content, "close"):
            content.close()
    else:
        for chunk in content:
            out.write(chunk)


def path_of(stored_name: str) -> Path:
    return directory() / stored_name


def delete(stored_name: str) -> None:
    if stored_name:
        (directory() / stored_name).unlink(missing_ok=True)
        (directory() / (stored_name + ".part")).unlink(missing_ok=True)
