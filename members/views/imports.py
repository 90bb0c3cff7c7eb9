"""Excel import: the template, upload → preview → commit, and the import log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from liaison.access.middleware import no_personal_data
from liaison.access.roles import IMPORT_PERMISSIONS
from liaison.documents.rendering import file_response
from liaison.http import post_only
from liaison.jobs.services import fail_stale_jobs, job_start
from liaison.models import Job
from liaison.views.helpers import paginate
from members import imports
from members.forms import ImportUploadForm
from members.imports import storage
from members.imports.reader import TOO_LARGE, FileRefused
from members.imports.template import build_template
from members.imports.upload_handler import SizeLimitUploadHandler
from members.jobs import PLAN_HAS_ERRORS
from members.models import ImportBatch
from members.scope import visible_imports

MAX_ERRORS_SHOWN = 300


def _log_page(request, form, status=200):
    page, querystring = paginate(
        request,
        visible_imports(request.user).filter(status=ImportBatch.Status.COMMITTED).select_related("user"),
    )
    return render(
        request,
        "members/import.html",
        {"form": form, "page": page, "querystring": querystring},
        status=status,
    )


@login_required
@permission_required("members.view_importbatch", raise_exception=True)
def import_home(request):
    return _log_page(request, ImportUploadForm())


@login_required
@permission_required("members.view_importbatch", raise_exception=True)
def import_template(request):
    return no_personal_data(file_response(build_template()))  # a blank template: not on the access log


@csrf_exempt  # the upload handler must be in place before the body is read; csrf_protect runs next
@post_only("import-home")
def import_upload(request):
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _upload(request)


@csrf_protect
@login_required
@permission_required(IMPORT_PERMISSIONS, raise_exception=True)
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
            # Parsing takes seconds for 10,000 rows: a background job; the preview page waits for it.
            job = _start(request, batch, READ, f"Excel 导入：读取 {batch.filename}")
            if job.status != Job.Status.FAILED:
                return redirect("import-preview", token=batch.token)
            form.add_error("file", job.error)  # refused while reading (ran at once: the immediate backend)
    return _log_page(request, form)


READ = "members.import_read"
COMMIT = "members.import_commit"


def _start(request, batch: ImportBatch, kind: str, title: str) -> Job:
    job = job_start(user=request.user, kind=kind, title=title, params={"batch": str(batch.token)})
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    return job


ALREADY_IMPORTED = "这份文件已于 {when} 导入完成，不需要再次确认；导入结果见下方的导入记录。"
ALREADY_DISCARDED = "这次导入已经取消，文件已删除；如需导入，请重新上传。"
EXPIRED = "上传已超过 24 小时，暂存的文件已清除，请重新上传。"


def _pending(request, token) -> ImportBatch | None:
    """The uploader's batch while it waits for 确认导入 (24 hours). Back, then 确认导入 again, or a second
    click, finds it already done: None, with a message that says so (the caller goes to the import page).
    Another user's token is 404."""
    batch = get_object_or_404(ImportBatch, token=token, user=request.user)
    if batch.status == ImportBatch.Status.COMMITTED:
        when = timezone.localtime(batch.committed_at).strftime("%Y-%m-%d %H:%M") if batch.committed_at else ""
        messages.info(request, ALREADY_IMPORTED.format(when=when))
    elif batch.status == ImportBatch.Status.DISCARDED:
        messages.info(request, ALREADY_DISCARDED)
    elif batch.created_at < storage.expired_before():
        messages.warning(request, EXPIRED)
    else:
        return batch
    return None


@login_required
@permission_required(IMPORT_PERMISSIONS, raise_exception=True)
def import_preview(request, token):
    batch = _pending(request, token)
    if batch is None:
        return redirect("import-home")
    if not storage.is_read(batch):  # the reading job has not finished: its progress, polled
        fail_stale_jobs()
        job = Job.objects.filter(pk=batch.job_id).first() if batch.job_id else None
        if job is None or job.status == Job.Status.FAILED:
            messages.error(request, job.error if job else READ_LOST)
            imports.discard(batch=batch)
            return redirect("import-home")
        return render(request, "members/import_reading.html", {"batch": batch, "job": job})
    try:
        plan = imports.preview(batch)
    except (FileRefused, FileNotFoundError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        imports.discard(batch=batch)
        return redirect("import-home")
    return _render_preview(request, batch, plan)


def _render_preview(request, batch, plan):
    return render(
        request,
        "members/import_preview.html",
        {
            "batch": batch,
            "plan": plan,
            "counts": plan.counts(),
            "errors": plan.errors[:MAX_ERRORS_SHOWN],
            "more_errors": max(len(plan.errors) - MAX_ERRORS_SHOWN, 0),
            "new_households": plan.new_households[:20],
            "changed_households": plan.changed_households[:20],
            "new_members": plan.new_members[:20],
        },
    )


@post_only("import-preview")
@login_required
@permission_required(IMPORT_PERMISSIONS, raise_exception=True)
def import_commit(request, token):
    batch = _pending(request, token)
    if batch is None:
        return redirect("import-home")
    running = _running_commit(batch)
    if running is not None:  # a second click while the first is being written
        return redirect("job-detail", token=running.token)
    if not storage.is_read(batch):
        return redirect("import-preview", token=batch.token)
    # Writing 10,000 rows takes seconds: a background job, followed on its page.
    job = _start(request, batch, COMMIT, f"Excel 导入：{batch.filename}")
    if job.status == Job.Status.DONE:  # ran at once (the immediate backend)
        messages.success(request, job.message)
        return redirect("import-home")
    if job.status == Job.Status.FAILED:
        messages.error(request, job.error)
        if job.error == PLAN_HAS_ERRORS:
            return _render_preview(request, batch, imports.preview(batch))
        return redirect("import-preview", token=batch.token)
    messages.info(request, COMMIT_STARTED)
    return redirect("job-detail", token=job.token)


COMMIT_STARTED = "正在后台导入，完成后本页显示结果；可以离开本页，稍后在“我的任务”中查看。"
READ_LOST = "读取文件的后台任务没有找到，请重新上传。"
BUSY = "正在导入这份文件，请等待完成。"


def _running_commit(batch: ImportBatch) -> Job | None:
    if batch.job_id is None:
        return None
    job = Job.objects.filter(pk=batch.job_id, kind=COMMIT).exclude(
        status__in=[Job.Status.DONE, Job.Status.FAILED, Job.Status.EXPIRED]
    )
    return job.first()


@post_only("import-preview")
@login_required
@permission_required(IMPORT_PERMISSIONS, raise_exception=True)
def import_discard(request, token):
    batch = _pending(request, token)
    if batch is None:
        return redirect("import-home")
    running = _running_commit(batch)
    if running is not None:
        messages.warning(request, BUSY)
        return redirect("job-detail", token=running.token)
    imports.discard(batch=batch)
    messages.info(request, "已取消本次导入，文件已删除。")
    return redirect("import-home")
