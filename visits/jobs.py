"""The visits app's background jobs (liaison.jobs): the Excel import's two long steps (reading the
workbook, writing the rows), as members.jobs runs them for households."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.jobs import JobFailed, Outcome, job_kind

BATCH_GONE = "这次导入已取消或已过期，请重新上传。"
READ_DONE = "文件已读取，请查看预览后确认导入。"
PLAN_HAS_ERRORS = "导入前再次核对时发现错误（可能有人同时修改了数据），没有导入任何数据。请打开预览查看。"
IMPORT_DONE = "导入完成：新增走访 {created} 条，已有未重复导入 {existing} 条，登记群众意见 {opinions} 条。"
IMPORT_READ = "visits.import_read"
IMPORT_COMMIT = "visits.import_commit"


def _batch(job):
    from visits.models import VisitImport

    batch = VisitImport.objects.filter(token=job.params.get("batch"), user=job.user).first()
    if batch is None or batch.status != VisitImport.Status.PENDING:
        raise JobFailed(BATCH_GONE)
    return batch


@job_kind(IMPORT_READ, "走访记录 Excel 导入：读取文件")
def import_read(job, progress) -> Outcome:
    from visits import imports

    batch = _batch(job)
    progress(10, "正在读取 Excel 文件")
    try:
        imports.read_upload(batch)
    except (imports.FileRefused, FileNotFoundError) as exc:
        imports.discard(batch=batch)
        batch.delete()
        raise JobFailed(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    return Outcome(
        message=READ_DONE, link=reverse("visit-import-preview", args=[batch.token]), link_text="查看预览"
    )


@job_kind(IMPORT_COMMIT, "走访记录 Excel 导入：写入数据")
def import_commit(job, progress) -> Outcome:
    from visits import imports

    batch = _batch(job)
    progress(5, "正在逐行核对")
    try:
        plan = imports.commit(user=job.user, batch=batch, progress=progress)
    except (imports.FileRefused, FileNotFoundError) as exc:
        raise JobFailed(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    except ValidationError as exc:
        raise JobFailed(" ".join(exc.messages)) from exc
    if not plan.ok:
        raise JobFailed(PLAN_HAS_ERRORS)
    return Outcome(
        message=IMPORT_DONE.format(created=len(plan.new), existing=plan.existing, opinions=plan.opinions),
        link=reverse("visit-import-home"),
        link_text="查看导入记录",
    )


# --- a visitor's long 民情日志 (more than about 20 pages: a year's) -------------------------------------

BOOKLET_GONE = "条件已失效：家访人不在您的管辖范围内或已删除。"


@job_kind("visits.booklet_pdf", "民情日志（家访人，PDF）")
def booklet_pdf(job, progress):
    from django.http import Http404, QueryDict

    from liaison.jobs.long_prints import pdf_stages
    from visits.printing import BOOKLET_TOO_LONG, MAX_BOOKLET_VISITS
    from visits.views.prints import NO_VISITS, booklet_rendered, booklet_request

    query = QueryDict(mutable=True)
    query.update(job.params)
    progress(2, "正在读取走访记录")
    try:
        booklet = booklet_request(query, user=job.user)  # the starter's scope and masking, as on the page
    except Http404 as exc:
        raise JobFailed(BOOKLET_GONE) from exc
    if not booklet.size:
        raise JobFailed(NO_VISITS.format(name=booklet.visitor.name))
    if booklet.size > MAX_BOOKLET_VISITS:
        raise JobFailed(BOOKLET_TOO_LONG.format(count=booklet.size, limit=MAX_BOOKLET_VISITS))
    progress(10, f"共 {booklet.size} 条走访，正在准备")
    return booklet_rendered(booklet, user=job.user, on_stage=pdf_stages(progress, 15, 95))
