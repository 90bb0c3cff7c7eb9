"""Excel import of visits: the template, upload → preview → commit (both long steps on the jobs layer,
as the household import: members/views/imports.py), and the import log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from liaison.access.middleware import no_personal_data
from liaison.access.scoping import scoped
from liaison.documents.rendering import file_response
from liaison.http import post_only
from liaison.jobs.services import fail_stale_jobs, job_start
from liaison.models import Job
from liaison.views.helpers import paginate
from members.forms import ImportUploadForm
from members.imports import storage
from members.imports.reader import TOO_LARGE, FileRefused
from members.imports.upload_handler import SizeLimitUploadHandler
from visits import imports
from visits.imports.template import build_template
from visits.jobs import IMPORT_COMMIT, IMPORT_READ, PLAN_HAS_ERRORS
from visits.models import VisitImport

MAX_ERRORS_SHOWN = 300
PREVIEW_ROWS = 20
# What the import writes: visits (and, through feedback's service, opinions as the entry screen does).
VISIT_IMPORT_PERMISSIONS = ("visits.add_visitimport", "visits.add_visit")

ALREADY_IMPORTED = "这份文件已于 {when} 导入完成，不需要再次确认；导入结果见下方的导入记录。"
ALREADY_DISCARDED = "这次导入已经取消，文件已删除；如需导入，请重新上传。"
EXPIRED = "上传已超过 24 小时，暂存的文件已清除，请重新上传。"
COMMIT_STARTED = "正在后台导入，完成后本页显示结果；可以离开本页，稍后在“我的任务”中查看。"
READ_LOST = "读取文件的后台任务没有找到，请重新上传。"
BUSY = "正在导入这份文件，请等待完成。"


def _log_page(request, form, status=200):
    log = scoped(VisitImport.objects.filter(status=VisitImport.Status.COMMITTED), request.user)
    page, querystring = paginate(request, log.select_related("user"))
    return render(
        request, "visits/import.html", {"form": form, "page": page, "querystring": querystring}, status=status
    )


@login_required
@permission_required("visits.view_visitimport", raise_exception=True)
def import_home(request):
    return _log_page(request, ImportUploadForm())


@login_required
@permission_required("visits.view_visitimport", raise_exception=True)
def import_template(request):
    return no_personal_data(file_response(build_template()))


@csrf_exempt  # the upload handler must be in place before the body is read; csrf_protect runs next
@post_only("visit-import-home")
def import_upload(request):
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _upload(request)


@csrf_protect
@login_required
@permission_required(VISIT_IMPORT_PERMISSIONS, raise_exception=True)
def _upload(request):
    limiter = request.upload_handlers[0]
    form = ImportUploadForm(request.POST, request.FILES)
    if getattr(limiter, "too_large", False):
        form.errors.clear()
        form.add_error("file", TOO_LARGE)
        return _log_page(request, form)
    if form.is_valid():
        try:
            batch = imports.upload(user=request.user, upload=form.cleaned_data["file"])
        except FileRefused as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            job = _start(request, batch, IMPORT_READ, f"走访记录导入：读取 {batch.filename}")
            if job.status != Job.Status.FAILED:
                return redirect("visit-import-preview", token=batch.token)
            form.add_error("file", job.error)
    return _log_page(request, form)


def _start(request, batch: VisitImport, kind: str, title: str) -> Job:
    job = job_start(user=request.user, kind=kind, title=title, params={"batch": str(batch.token)})
    VisitImport.objects.filter(pk=batch.pk).update(job=job)
    return job


def _pending(request, token) -> VisitImport | None:
    """The uploader's batch while it waits for 确认导入; another user's token is 404."""
    batch = get_object_or_404(VisitImport, token=token, user=request.user)
    if batch.status == VisitImport.Status.COMMITTED:
        when = timezone.localtime(batch.committed_at).strftime("%Y-%m-%d %H:%M") if batch.committed_at else ""
        messages.info(request, ALREADY_IMPORTED.format(when=when))
    elif batch.status == VisitImport.Status.DISCARDED:
        messages.info(request, ALREADY_DISCARDED)
    elif batch.created_at < storage.expired_before():
        messages.warning(request, EXPIRED)
    else:
        return batch
    return None


@login_required
@permission_required(VISIT_IMPORT_PERMISSIONS, raise_exception=True)
def import_preview(request, token):
    batch = _pending(request, token)
    if batch is None:
        return redirect("visit-import-home")
    if not storage.is_read(batch):
        fail_stale_jobs()
        job = Job.objects.filter(pk=batch.job_id).first() if batch.job_id else None
        if job is None or job.status == Job.Status.FAILED:
            messages.error(request, job.error if job else READ_LOST)
            imports.discard(batch=batch)
            return redirect("visit-import-home")
        return render(request, "visits/import_reading.html", {"batch": batch, "job": job})
    try:
        plan = imports.preview(batch)
    except (FileRefused, FileNotFoundError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        imports.discard(batch=batch)
        return redirect("visit-import-home")
    return _render_preview(request, batch, plan)


def _render_preview(request, batch, plan):
    return render(
        request,
        "visits/import_preview.html",
        {
            "batch": batch,
            "plan": plan,
            "errors": plan.errors[:MAX_ERRORS_SHOWN],
            "more_errors": max(len(plan.errors) - MAX_ERRORS_SHOWN, 0),
            "new_visits": plan.new[:PREVIEW_ROWS],
        },
    )


def _running_commit(batch: VisitImport) -> Job | None:
    if batch.job_id is None:
        return None
    return (
        Job.objects.filter(pk=batch.job_id, kind=IMPORT_COMMIT)
        .exclude(status__in=[Job.Status.DONE, Job.Status.FAILED, Job.Status.EXPIRED])
        .first()
    )


@post_only("visit-import-preview")
@login_required
@permission_required(VISIT_IMPORT_PERMISSIONS, raise_exception=True)
def import_commit(request, token):
    batch = _pending(request, token)
    if batch is None:
        return redirect("visit-import-home")
    running = _running_commit(batch)
    if running is not None:  # a second click while the first is being written
        return redirect("job-detail", token=running.token)
    if not storage.is_read(batch):
        return redirect("visit-import-preview", token=batch.token)
    job = _start(request, batch, IMPORT_COMMIT, f"走访记录导入：{batch.filename}")
    if job.status == Job.Status.DONE:  # ran at once (the immediate backend)
        messages.success(request, job.message)
        return redirect("visit-import-home")
    if job.status == Job.Status.FAILED:
        messages.error(request, job.error)
        if job.error == PLAN_HAS_ERRORS:
            return _render_preview(request, batch, imports.preview(batch))
        return redirect("visit-import-preview", token=batch.token)
    messages.info(request, COMMIT_STARTED)
    return redirect("job-detail", token=job.token)


@post_only("visit-import-preview")
@login_required
@permission_required(VISIT_IMPORT_PERMISSIONS, raise_exception=True)
def import_discard(request, token):
    batch = _pending(request, token)
    if batch is None:
        return redirect("visit-import-home")
    running = _running_commit(batch)
    if running is not None:
        messages.warning(request, BUSY)
        return redirect("job-detail", token=running.token)
    imports.discard(batch=batch)
    messages.info(request, "已取消本次导入，文件已删除。")
    return redirect("visit-import-home")
