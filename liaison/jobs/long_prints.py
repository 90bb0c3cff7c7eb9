"""Long prints and exports as background jobs, small ones in the request: one call from any app's view.

A print of more than about 20 pages (a year's 登记簿, a village's 连心卡, a year's 民情日志 or 接待记录本)
takes longer than a clerk should stare at a blank tab, and longer than the proxy waits at district
scale. The view measures the print (rows, cards) and calls

    return print_or_start(
        request,
        size=len(opinions), limit=REGISTER_ROWS_IN_REQUEST,   # ≈ 20 pages of this form
        render=lambda: render_pdf(...),                      # the small case, as before
        kind="feedback.register_pdf", title="……", params={...}, # the big case: a job (<app>/jobs.py)
    )

The job's function (registered with @job_kind in <app>/jobs.py) gets the same params and the starter's
user, rebuilds the same scoped query, and reports its progress; `pdf_stages(progress, start, end)` maps
WeasyPrint's two long steps onto the bar.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from liaison.documents.rendering import RenderedFile, file_response
from liaison.jobs.progress import Progress
from liaison.jobs.services import job_start
from liaison.models import Job

STARTED = "“{title}”页数较多，已转入后台生成。可以离开本页，完成后在“我的任务”中下载。"
# An export downloaded as a spreadsheet (`inline=False`) has rows, not pages.
STARTED_ROWS = "“{title}”行数较多，已转入后台生成。可以离开本页，完成后在“我的任务”中下载。"
DONE_AT_ONCE = "“{title}”已生成，请下载。"


def print_or_start(
    request: HttpRequest,
    *,
    size: int,
    limit: int,
    render: Callable[[], RenderedFile],
    kind: str,
    title: str,
    params: dict,
    inline: bool = True,
) -> HttpResponse:
    """The file at once when `size` ≤ `limit`; otherwise a job, and the job's page to watch it.
    `inline` is a print shown in the browser (a PDF); False, an export to download (a spreadsheet)."""
    if size <= limit:
        return file_response(render(), inline=inline)
    job = job_start(user=request.user, kind=kind, title=title, params=params)
    if job.status == Job.Status.QUEUED or job.status == Job.Status.RUNNING:
        messages.info(request, (STARTED if inline else STARTED_ROWS).format(title=title))
    return redirect("job-detail", token=job.token)


def pdf_stages(progress: Progress, start: float, end: float) -> Callable[[str], None]:
    """WeasyPrint's layout takes most of a long print's time, writing the file the rest."""
    middle = start + (end - start) * 0.75

    def on_stage(stage: str) -> None:
        if stage == "layout":
            progress(start, "正在排版（页数多时需要几分钟）")
        elif stage == "write":
            progress(middle, "正在生成 PDF 文件")

    return on_stage
