"""The report layer's background jobs (liaison.jobs): the annual workbook, and the household and opinion
exports too large for a request. Each rebuilds its scoped query as the user who started it."""

from __future__ import annotations

from liaison.documents.rendering import RenderedFile
from liaison.jobs import JobFailed, job_kind
from liaison.jobs.params import query_of
from liaison.models import Organisation


def report_root(user, pk) -> Organisation:
    """The organisation a job's report is for, if its starter may still have it (else JobFailed)."""
    from liaison.reports.scope import NOT_REPORTABLE, OUT_OF_SCOPE, REPORT_LEVELS, report_organisations

    root = report_organisations(user).select_related("parent").filter(pk=pk).first()
    if root is None:
        raise JobFailed(OUT_OF_SCOPE if pk else NOT_REPORTABLE)
    if root.level not in REPORT_LEVELS:
        raise JobFailed(NOT_REPORTABLE)
    return root


@job_kind("reports.annual_workbook", "年度统计工作簿（Excel）")
def annual_workbook(job, progress) -> RenderedFile:
    from liaison.reports.workbook import build_workbook

    root = report_root(job.user, job.params.get("organisation"))
    return build_workbook(root, int(job.params["year"]), progress=progress)


@job_kind("reports.households_xlsx", "户情信息导出（Excel）")
def households_xlsx(job, progress) -> RenderedFile:
    from liaison.reports.exports import household_export_file

    progress(2, "正在读取户情")
    return household_export_file(user=job.user, query=query_of(job.params), progress=progress)


@job_kind("reports.opinions_xlsx", "群众意见列表导出（Excel）")
def opinions_xlsx(job, progress) -> RenderedFile:
    from liaison.reports.exports import opinion_export_file

    progress(2, "正在读取群众意见")
    return opinion_export_file(user=job.user, query=query_of(job.params), progress=progress)
