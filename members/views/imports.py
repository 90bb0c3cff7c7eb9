"""Excel import: the template, upload → preview → commit, and the import log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from liaison.documents.rendering import file_response
from liaison.views.helpers import paginate
from members import imports
from members.forms import ImportUploadForm
from members.imports import storage
from members.imports.reader import TOO_LARGE, FileRefused
from members.imports.template import build_template
from members.imports.upload_handler import SizeLimitUploadHandler
from members.models import ImportBatch
from members.scope import visible_imports

IMPORT_PERMISSIONS = (
    "members.add_importbatch",
    "liaison.add_household",
    "liaison.change_household",
    "members.add_partymember",
    "members.change_partymember",
)
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
    return file_response(build_template())


@csrf_exempt  # the upload handler must be in place before the body is read; csrf_protect runs next
def import_upload(request):
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _upload(request)


@csrf_protect
@login_required
@permission_required(IMPORT_PERMISSIONS, raise_exception=True)
@require_POST
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
            return redirect("import-preview", token=batch.token)
    return _log_page(request, form)


def _pending(request, token) -> ImportBatch:
    """Only the uploader, only while pending, only within 24 hours: anything else is 404."""
    return get_object_or_404(
        ImportBatch,
        token=token,
        user=request.user,
        status=ImportBatch.Status.PENDING,
        created_at__gte=storage.expired_before(),
    )


@login_required
@permission_required(IMPORT_PERMISSIONS, raise_exception=True)
def import_preview(request, token):
    batch = _pending(request, token)
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


@login_required
@permission_required(IMPORT_PERMISSIONS, raise_exception=True)
@require_POST
def import_commit(request, token):
    batch = _pending(request, token)
    try:
        plan = imports.commit(user=request.user, batch=batch)
    except (FileRefused, FileNotFoundError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("import-home")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("import-preview", token=batch.token)
    if not plan.ok:
        messages.error(request, "文件中有错误，没有导入任何数据。")
        return _render_preview(request, batch, plan)
    counts = plan.counts()
    messages.success(
        request,
        "导入完成：户新增 {} 更新 {}，家庭成员新增 {} 更新 {}，党员新增 {} 更新 {}。".format(
            counts["households"].created,
            counts["households"].updated,
            counts["residents"].created,
            counts["residents"].updated,
            counts["members"].created,
            counts["members"].updated,
        ),
    )
    return redirect("import-home")


@login_required
@permission_required(IMPORT_PERMISSIONS, raise_exception=True)
@require_POST
def import_discard(request, token):
    imports.discard(batch=_pending(request, token))
    messages.info(request, "已取消本次导入，文件已删除。")
    return redirect("import-home")
