"""我的任务: the jobs a user started (and their organisation's), one job's progress, its JSON status for
the page's polling script (static/js/jobs.js), the download, and 重新生成."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from liaison.http import post_only
from liaison.jobs import files
from liaison.jobs.registry import get_kind
from liaison.jobs.scope import job_for, visible_jobs
from liaison.jobs.services import fail_stale_jobs, job_start
from liaison.models import Job
from liaison.views.helpers import paginate

FILE_EXPIRED = "这个文件已超过保留期限，已经删除。请重新生成。"
FILE_NOT_READY = "文件还没有生成好，请稍候。"
# A job still queued after this long: the page says the worker may not be running.
QUEUED_TOO_LONG_SECONDS = 120


@login_required
def job_list(request):
    fail_stale_jobs()
    page, querystring = paginate(request, visible_jobs(request.user).select_related("user"))
    return render(
        request,
        "liaison/jobs/list.html",
        {"page": page, "querystring": querystring, "file_days": settings.LIAISON_JOB_FILE_DAYS},
    )


@login_required
def job_detail(request, token):
    fail_stale_jobs()
    job = job_for(request.user, token)
    return render(request, "liaison/jobs/detail.html", {"job": job, "status": _status(job)})


@login_required
def job_status(request, token):
    fail_stale_jobs()
    response = JsonResponse(_status(job_for(request.user, token)), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _status(job: Job) -> dict:
    waiting = (timezone.now() - job.created_at).total_seconds()
    return {
        "status": job.status,
        "status_display": job.get_status_display(),
        "progress": job.progress,
        "stage": job.stage,
        "finished": job.finished,
        "error": job.error,
        "message": job.message,
        "link": job.link,
        "link_text": job.link_text,
        "download": reverse("job-download", args=[job.token]) if job.has_file else "",
        "file_name": job.file_name if job.has_file else "",
        "stalled": job.status == Job.Status.QUEUED and waiting > QUEUED_TOO_LONG_SECONDS,
    }


@login_required
def job_download(request, token):
    job = job_for(request.user, token)
    # The job is the user's to see: an expired or unfinished file is explained on its page, not a 404.
    if job.status == Job.Status.EXPIRED or (job.expires_at and job.expires_at <= timezone.now()):
        messages.warning(request, FILE_EXPIRED)
        return redirect("job-detail", token=job.token)
    if not job.has_file:
        messages.info(request, FILE_NOT_READY)
        return redirect("job-detail", token=job.token)
    try:
        handle = files.path_of(job.stored_name).open("rb")
    except OSError:
        messages.warning(request, FILE_EXPIRED)
        return redirect("job-detail", token=job.token)
    inline = job.content_type == "application/pdf"
    response = FileResponse(
        handle, as_attachment=not inline, filename=job.file_name, content_type=job.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@post_only("job-detail")
@login_required
def job_retry(request, token):
    """Run the same work again (after a failure or an expiry), as the user who asks."""
    job = job_for(request.user, token)
    if get_kind(job.kind) is None:
        raise Http404("这种任务已不再支持。")
    again = job_start(user=request.user, kind=job.kind, title=job.title, params=job.params)
    messages.info(request, f"已重新发起：{again.title}")
    return redirect("job-detail", token=again.token)
