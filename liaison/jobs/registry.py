"""The kinds of background job: each app registers the work it runs in the background.

An app puts its kinds in `<app>/jobs.py` (imported at start-up by LiaisonConfig.ready, in the web
process and in the worker alike):

    @job_kind("feedback.register_pdf", "群众意见办理情况登记簿（PDF）")
    def register_pdf(job: Job, progress: Progress) -> RenderedFile | Outcome:
        ...                       # job.user, job.params; progress(40, "正在排版") as it goes
        raise JobFailed("……")     # a message the user reads, in Chinese

The function runs with the starter's user (`job.user`): it scopes and masks exactly as the page that
started it would. It returns the file (a RenderedFile), or an Outcome with a message and a link when
the work writes records instead of a file (the Excel import).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from liaison.documents.rendering import RenderedFile

if TYPE_CHECKING:
    from liaison.jobs.progress import Progress
    from liaison.models import Job


class JobFailed(Exception):
    """The work cannot be done, for a reason the user can act on; the message is shown as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Outcome:
    file: RenderedFile | None = None
    message: str = ""
    link: str = ""
    link_text: str = ""


Build = Callable[["Job", "Progress"], "RenderedFile | Outcome"]


@dataclass(frozen=True)
class JobKind:
    code: str
    label: str
    build: Build


_kinds: dict[str, JobKind] = {}


def job_kind(code: str, label: str) -> Callable[[Build], Build]:
    def register(build: Build) -> Build:
        existing = _kinds.get(code)
        if existing is not None and existing.build is not build:
            raise ValueError(f"job kind {code} is registered twice")
        _kinds[code] = JobKind(code, label, build)
        return build

    return register


def get_kind(code: str) -> JobKind | None:
    return _kinds.get(code)


def kinds() -> dict[str, JobKind]:
    return dict(_kinds)
