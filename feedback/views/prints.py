"""The printed forms (交办单 附件2, 反馈单 附件5, 登记簿 附件4) and the 登记簿 workbook."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.template.loader import render_to_string

from feedback import selectors
from feedback.exports import register_sheet
from feedback.forms import RegisterForm
from feedback.printing import (
    REGISTER_ROWS_IN_REQUEST,
    REGISTER_ROWS_PER_PART,
    REGISTER_XLSX_ROWS_IN_REQUEST,
    assignment_context,
    feedback_slip_context,
    period_text,
    register_context,
    register_unit,
)
from liaison.documents.parts import pdf_in_parts
from liaison.documents.pdf import print_context, render_pdf
from liaison.documents.printing import printed_meta
from liaison.documents.rendering import PDF, RenderedFile, file_response
from liaison.documents.slips import render_two_part
from liaison.documents.xlsx import write_sheets
from liaison.jobs.long_prints import print_or_start
from liaison.models import Organisation


@login_required
@permission_required("feedback.view_assignment", raise_exception=True)
def assignment_pdf(request, pk: int):
    assignment = selectors.assignment_for(user=request.user, pk=pk)
    rendered = render_two_part(
        "feedback/print/assignment.html",
        assignment_context(assignment=assignment, user=request.user),
        filename=f"群众意见交办单-（{assignment.year}）年第{assignment.number}号.pdf",
    )
    return file_response(rendered, inline=True)


@login_required
@permission_required("feedback.view_opinion", raise_exception=True)
def feedback_slip_pdf(request, pk: int):
    opinion = selectors.opinion_for_action(user=request.user, pk=pk)
    rendered = render_two_part(
        "feedback/print/feedback_slip.html",
        feedback_slip_context(opinion=opinion, user=request.user),
        filename=f"群众意见办理情况反馈单-{opinion.organisation.display_name}-{opinion.year}-{opinion.number}.pdf",
    )
    return file_response(rendered, inline=True)


@login_required
@permission_required("feedback.view_opinion", raise_exception=True)
def opinion_pdf(request, pk: int):
    """One record of the 登记簿 (DESIGN.md: a register can be printed for one record)."""
    opinion = selectors.opinion_detail(user=request.user, pk=pk)
    # One record prints the table page alone (no cover): it is the 登记表, and so are title and file.
    title = f"群众意见办理情况登记表-{opinion.organisation.display_name}-{opinion.year}-{opinion.number}"
    rendered = render_pdf(
        "feedback/print/register.html",
        register_context(
            organisation=opinion.organisation,
            opinions=[opinion],
            start=opinion.received_on,
            end=opinion.received_on,
            user=request.user,
            title=title,
            cover=False,
        ),
        filename=f"{title}.pdf",
    )
    return file_response(rendered, inline=True)


def _register_page(request, form: RegisterForm, status: int = 200, **extra):
    return render(request, "feedback/register.html", {"form": form, "count": None, **extra}, status=status)


@login_required
@permission_required("feedback.view_opinion", raise_exception=True)
def register(request):
    """Choose the organisation and the year or dates; then the PDF and xlsx links carry the same query."""
    if not request.GET:
        return _register_page(request, RegisterForm(user=request.user))
    form, queryset = _register_request(request)
    if queryset is None:
        return _register_page(request, form)
    data = form.cleaned_data
    query = {
        "organisation": data["organisation"].pk,
        "coverage": "all" if data["include_below"] else "own",
        "start": data["start"].isoformat(),
        "end": data["end"].isoformat(),
    }
    return _register_page(
        request,
        form,
        count=queryset.count(),
        querystring=urlencode(query),
        period=period_text(data["start"], data["end"]),
        unit=register_unit(data["organisation"], include_below=data["below"]),
    )


def _register_request(request):
    return register_request(request.GET, user=request.user)


def register_request(query, *, user):
    """The register's form and scoped queryset for a query (the page's GET, or a job's params)."""
    form = RegisterForm(query, user=user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    queryset = selectors.register_queryset(
        user=user,
        organisation=data["organisation"],
        start=data["start"],
        end=data["end"],
        include_below=data["include_below"],
    )
    # The 单位 line says "含下级" when there are units below; 序号 carry the unit's name only when the
    # entries really come from several units (each numbers its own).
    data["below"] = (
        data["include_below"] and Organisation.objects.filter(parent=data["organisation"]).exists()
    )
    data["with_unit"] = data["below"] and queryset.order_by().values("organisation_id").distinct().count() > 1
    return form, queryset


def register_name(form: RegisterForm) -> str:
    data = form.cleaned_data
    unit = register_unit(data["organisation"], include_below=data["below"]).display_name
    return f"群众意见办理情况登记簿-{unit}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}"


@login_required
@permission_required("feedback.view_opinion", raise_exception=True)
def register_pdf(request):
    """A register of up to about 20 pages prints at once; a longer one (a year's, a district's) is a
    background job, printed in parts (register_in_parts)."""
    form, queryset = _register_request(request)
    if queryset is None:
        return _register_page(request, form, status=400)
    return print_or_start(
        request,
        size=queryset.count(),
        limit=REGISTER_ROWS_IN_REQUEST,
        render=lambda: register_rendered(form, queryset, user=request.user),
        kind="feedback.register_pdf",
        title=register_name(form),
        params=request.GET.dict(),
    )


def register_rendered(form: RegisterForm, queryset, *, user, on_stage=None) -> RenderedFile:
    data = form.cleaned_data
    return render_pdf(
        "feedback/print/register.html",
        register_context(
            organisation=data["organisation"],
            opinions=list(queryset),
            start=data["start"],
            end=data["end"],
            user=user,
            title=register_name(form),
            include_below=data["below"],
            with_unit=data["with_unit"],
        ),
        filename=f"{register_name(form)}.pdf",
        on_stage=on_stage,
    )


def register_in_parts(form: RegisterForm, queryset, *, user, progress) -> RenderedFile:
    """A register of any length (a district's year: ~60,000 entries, thousands of pages) as one PDF,
    printed at most REGISTER_ROWS_PER_PART entries at a time (liaison.documents.parts): the cover and
    the 单位 line once, at the start; 序号 as in one printing (each entry's own number); each part
    ending on a full page and the pages numbered on through the parts; the 印制 line once, at the end."""
    data = form.cleaned_data
    ids = list(queryset.values_list("pk", flat=True))  # the register's order, fixed once for both passes
    title = register_name(form)
    printed = printed_meta(user)  # one time on the 印制 line, whichever pass asks

    def markup(start: int, stop: int) -> str:
        context = register_context(
            organisation=data["organisation"],
            opinions=list(queryset.filter(pk__in=ids[start:stop])),
            start=data["start"],
            end=data["end"],
            user=user,
            title=title,
            cover=start == 0,
            include_below=data["below"],
            with_unit=data["with_unit"],
            count=len(ids),
            continued=start > 0,
            continues=stop < len(ids),
        )
        return render_to_string("feedback/print/register.html", print_context({**context, **printed}))

    def on_part(stage: str, done: int, total: int) -> None:
        if stage == "count":  # the first pass, layout only: about 40% of the time
            progress.step(done, total, start=15, end=40, stage=f"正在分页（已分 {done}/{total} 条）")
        elif stage == "print":
            progress.step(done, total, start=40, end=95, stage=f"正在排版 第 {done + 1}/{total} 部分")
        else:
            progress(96, "正在合并为一个文件")

    content = pdf_in_parts(len(ids), markup, per_part=REGISTER_ROWS_PER_PART, on_part=on_part)
    return RenderedFile(filename=f"{title}.pdf", content_type=PDF, content=content)


@login_required
@permission_required("feedback.view_opinion", raise_exception=True)
def register_xlsx(request):
    """The 登记簿 as xlsx: at once up to REGISTER_XLSX_ROWS_IN_REQUEST rows, a background job above (a
    district's year: tens of thousands of opinions), the job rebuilding the same query as its starter."""
    form, queryset = _register_request(request)
    if queryset is None:
        return _register_page(request, form, status=400)
    return print_or_start(
        request,
        size=queryset.count(),
        limit=REGISTER_XLSX_ROWS_IN_REQUEST,
        render=lambda: register_xlsx_rendered(form, queryset),
        kind="feedback.register_xlsx",
        title=register_name(form),
        params=request.GET.dict(),
        inline=False,
    )


def register_xlsx_rendered(form: RegisterForm, queryset) -> RenderedFile:
    data = form.cleaned_data
    return write_sheets(
        [register_sheet(queryset, start=data["start"], end=data["end"], with_unit=data["with_unit"])],
        filename=f"{register_name(form)}.xlsx",
    )
