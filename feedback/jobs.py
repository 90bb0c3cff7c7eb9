"""The feedback app's background jobs (liaison.jobs): a long 登记簿 (附件4) printed, or a district's year of it
exported as xlsx, and a long 接待群众记录本 (附件1) printed, outside the request."""

from __future__ import annotations

from django.http import QueryDict

from feedback.printing import REGISTER_ROWS_PER_PART
from liaison.documents.parts import PartsChanged
from liaison.documents.rendering import RenderedFile
from liaison.jobs import JobFailed, job_kind
from liaison.jobs.long_prints import pdf_stages

REGISTER_CHANGED = "打印期间有意见被修改或删除，页码无法保证正确。请点击“重新生成”再打印一次。"
CONDITIONS_GONE = "打印条件已不再有效：{errors}请回到登记簿页面重新选择。"
RECEPTIONS_CONDITIONS_GONE = "打印条件已不再有效：{errors}请回到接待群众记录本页面重新选择。"


@job_kind("feedback.register_pdf", "群众意见办理情况登记簿（PDF）")
def register_pdf(job, progress) -> RenderedFile:
    from feedback.views.prints import register_in_parts, register_rendered, register_request

    query = QueryDict(mutable=True)
    query.update(job.params)
    progress(2, "正在读取意见")
    form, queryset = register_request(query, user=job.user)  # the starter's scope, as on the page
    if queryset is None:
        errors = "".join(f"{e}。" for errors in form.errors.values() for e in errors)
        raise JobFailed(CONDITIONS_GONE.format(errors=errors))
    size = queryset.count()
    progress(10, f"共 {size} 条意见，正在准备")
    if size > REGISTER_ROWS_PER_PART:  # any length: in parts, joined into one file
        try:
            return register_in_parts(form, queryset, user=job.user, progress=progress)
        except PartsChanged as error:
            raise JobFailed(REGISTER_CHANGED) from error
    return register_rendered(form, queryset, user=job.user, on_stage=pdf_stages(progress, 15, 95))


@job_kind("feedback.register_xlsx", "群众意见办理情况登记簿（Excel）")
def register_xlsx(job, progress) -> RenderedFile:
    from feedback.views.prints import register_request, register_xlsx_rendered

    query = QueryDict(mutable=True)
    query.update(job.params)
    progress(2, "正在读取意见")
    form, queryset = register_request(query, user=job.user)  # the starter's scope, as on the page
    if queryset is None:
        errors = "".join(f"{e}。" for errors in form.errors.values() for e in errors)
        raise JobFailed(CONDITIONS_GONE.format(errors=errors))
    progress(10, f"共 {queryset.count()} 条意见，正在写入")
    return register_xlsx_rendered(form, queryset)


@job_kind("feedback.reception_register_pdf", "接待群众记录本（PDF）")
def reception_register_pdf(job, progress) -> RenderedFile:
    from feedback.reception_printing import MAX_REGISTER_RECEPTIONS
    from feedback.reception_printing import REGISTER_TOO_LONG as RECEPTIONS_TOO_LONG
    from feedback.views.reception_prints import register_rendered, register_request

    query = QueryDict(mutable=True)
    query.update(job.params)
    progress(2, "正在读取接待记录")
    form, queryset = register_request(query, user=job.user)  # the starter's scope, as on the page
    if queryset is None:
        errors = "".join(f"{e}。" for errors in form.errors.values() for e in errors)
        raise JobFailed(RECEPTIONS_CONDITIONS_GONE.format(errors=errors))
    size = queryset.count()
    if size > MAX_REGISTER_RECEPTIONS:
        raise JobFailed(RECEPTIONS_TOO_LONG.format(count=size, limit=MAX_REGISTER_RECEPTIONS))
    progress(10, f"共 {size} 条接待记录，正在准备")
    return register_rendered(form, queryset, user=job.user, on_stage=pdf_stages(progress, 15, 95))
