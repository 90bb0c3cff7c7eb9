"""/reports/: the annual workbook (a background job), the 登记簿 of any organisation with everything
below it, and the opinion list's current filter as xlsx."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils import timezone

from liaison.access.scoping import subtree_ids
from liaison.jobs.long_prints import print_or_start
from liaison.jobs.params import params_of
from liaison.jobs.scope import visible_jobs
from liaison.jobs.services import fail_stale_jobs, job_start
from liaison.models import Job, OrganisationTotals
from liaison.reports import exports
from liaison.reports.forms import AnnualReportForm
from liaison.reports.scope import may_report, report_root_or_404
from liaison.reports.workbook import build_workbook, workbook_name

ANNUAL_KIND = "reports.annual_workbook"
STARTED = "已开始生成“{title}”，可以离开本页，完成后在“我的任务”中下载。"
RECENT_JOBS = 8


def _page(request, form: AnnualReportForm, status: int = 200):
    fail_stale_jobs()
    jobs = (
        visible_jobs(request.user)
        .filter(kind__startswith="reports.")
        .select_related("user")
        .order_by("-created_at")[:RECENT_JOBS]
    )
    return render(
        request,
        "reports/index.html",
        {"form": form, "jobs": jobs, "year": timezone.localdate().year},
        status=status,
    )


@login_required
def report_index(request):
    if not may_report(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return _page(request, AnnualReportForm(user=request.user))
    # A unit outside the user's subtree is a 404, as any record there (not a form error that confirms
    # it exists); then the year is checked like any field.
    root = report_root_or_404(request.user, request.POST.get("organisation"))
    form = AnnualReportForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    year = form.cleaned_data["year"]
    title = workbook_name(root, year).removesuffix(".xlsx")
    params = {"organisation": root.pk, "year": year}
    # A second click (or a resubmitted form) while the same workbook is still being made lands on
    # that job rather than starting another; different units or years are separate jobs and files.
    job = Job.objects.filter(
        user=request.user,
        kind=ANNUAL_KIND,
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        params__organisation=root.pk,
        params__year=year,
    ).first() or job_start(user=request.user, kind=ANNUAL_KIND, title=title, params=params)
    messages.info(request, STARTED.format(title=title))
    return redirect("job-detail", token=job.token)


@login_required
def annual_xlsx(request):
    """The annual workbook by GET (?organisation=&year=): at once for a small subtree (a village, up to
    LIAISON_ANNUAL_REPORT_MAX_HOUSEHOLDS households), a background job above it — the same file as the
    form's job. Another subtree's unit is a 404."""
    if not may_report(request.user):
        raise PermissionDenied
    root = report_root_or_404(request.user, request.GET.get("organisation"))
    form = AnnualReportForm({"organisation": root.pk, "year": request.GET.get("year")}, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    year = form.cleaned_data["year"]
    households = OrganisationTotals.objects.filter(organisation__in=subtree_ids(root)).aggregate(
        n=Sum("households")
    )["n"]
    return print_or_start(
        request,
        size=households or 0,
        limit=settings.LIAISON_ANNUAL_REPORT_MAX_HOUSEHOLDS,
        render=lambda: build_workbook(root, year),
        kind=ANNUAL_KIND,
        title=workbook_name(root, year).removesuffix(".xlsx"),
        params={"organisation": root.pk, "year": year},
        inline=False,
    )


@login_required
@permission_required("feedback.view_opinion", raise_exception=True)
def opinion_export(request):
    """/opinions/'s current filter (the querystring it carries) as xlsx, scoped to the user: at once up
    to LIAISON_EXPORT_MAX_OPINIONS rows, a background job above."""
    queryset = exports.opinion_queryset(user=request.user, query=request.GET)
    return print_or_start(
        request,
        size=queryset.count(),
        limit=settings.LIAISON_EXPORT_MAX_OPINIONS,
        render=lambda: exports.opinion_export_file(user=request.user, query=request.GET),
        kind="reports.opinions_xlsx",
        title=f"群众意见列表导出-{timezone.localdate():%Y%m%d}",
        params=params_of(request.GET),
        inline=False,
    )
