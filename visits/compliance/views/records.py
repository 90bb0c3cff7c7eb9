"""Terms (届), talks (谈心谈话), stays (驻村调研) and research reports: lists, forms, the report's file."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from liaison.safeguards.saving import open_page
from liaison.views.helpers import paginate, submit
from members.views.common import chosen_year, year_choices
from visits.compliance import scope, selectors, services
from visits.compliance.forms import ReportForm, ResearchForm, TalkForm, TermForm

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# -- terms ---------------------------------------------------------------------------------------------


@login_required
@permission_required("visits.view_term", raise_exception=True)
def term_list(request):
    term_filter, terms = selectors.term_list(user=request.user, params=request.GET)
    page, querystring = paginate(request, terms)
    return render(
        request,
        "visits/compliance/term_list.html",
        {"filter": term_filter, "page": page, "querystring": querystring},
    )


def _term_form(request, term):
    if request.method == "POST":
        form = TermForm(request.POST, user=request.user, term=term)
        if response := submit(
            request,
            form,
            lambda: services.term_save(user=request.user, term=term, **form.cleaned_data),
            success=lambda saved: f"已保存{saved.organisation.name}{saved.name}。",
            then=lambda saved: redirect(f"{reverse('term-list')}?organisation={saved.organisation_id}"),
            record=term,
            repeated=lambda _: redirect("term-list"),
        ):
            return response
    else:
        form = open_page(TermForm(user=request.user, term=term), term)
    return render(
        request,
        "visits/compliance/term_form.html",
        {
            "form": form,
            "term": term,
            "heading": "编辑届期" if term else "录入两委届期",
            "intro": "村（社区）“两委”换届选举后录入：本届的走访覆盖和每户走访次数按这里的起止日期统计。",
            "cancel": reverse("term-list"),
        },
    )


@login_required
@permission_required("visits.add_term", raise_exception=True)
def term_create(request):
    return _term_form(request, None)


@login_required
@permission_required("visits.change_term", raise_exception=True)
def term_update(request, pk: int):
    return _term_form(request, get_object_or_404(scope.visible_terms(request.user), pk=pk))


# -- talks ---------------------------------------------------------------------------------------------


@login_required
@permission_required("visits.view_talk", raise_exception=True)
def talk_list(request):
    year = chosen_year(request)
    talk_filter, talks = selectors.talk_list(user=request.user, year=year, params=request.GET)
    page, querystring = paginate(request, talks)
    return render(
        request,
        "visits/compliance/talk_list.html",
        {
            "filter": talk_filter,
            "page": page,
            "querystring": querystring,
            "year": year,
            "years": year_choices(),
        },
    )


@login_required
@permission_required("visits.view_talk", raise_exception=True)
def talk_detail(request, pk: int):
    talk = selectors.talk_detail(user=request.user, pk=pk)
    return render(request, "visits/compliance/talk_detail.html", {"talk": talk})


def _talk_form(request, talk):
    if request.method == "POST":
        form = TalkForm(request.POST, user=request.user, talk=talk)
        if response := submit(
            request,
            form,
            lambda: services.talk_save(user=request.user, talk=talk, **form.cleaned_data),
            success=lambda saved: f"已保存谈心谈话：{saved.counterpart}。",
            then=lambda saved: redirect("talk-detail", pk=saved.pk),
            record=talk,
        ):
            return response
    else:
        form = open_page(TalkForm(user=request.user, talk=talk), talk)
    return render(
        request,
        "visits/compliance/talk_form.html",
        {
            "form": form,
            "talk": talk,
            "heading": "编辑谈心谈话" if talk else "记录谈心谈话",
            "cancel": reverse("talk-detail", args=[talk.pk]) if talk else reverse("talk-list"),
        },
    )


@login_required
@permission_required("visits.add_talk", raise_exception=True)
def talk_create(request):
    return _talk_form(request, None)


@login_required
@permission_required("visits.change_talk", raise_exception=True)
def talk_update(request, pk: int):
    return _talk_form(request, get_object_or_404(scope.visible_talks(request.user), pk=pk))


# -- field research and reports ------------------------------------------------------------------------


@login_required
@permission_required("visits.view_fieldresearch", raise_exception=True)
def research_list(request):
    year = chosen_year(request)
    research_filter, stays = selectors.research_list(user=request.user, year=year, params=request.GET)
    page, querystring = paginate(request, stays)
    reports = None
    if request.user.has_perm("visits.view_researchreport"):
        _, reports = selectors.report_list(user=request.user, year=year, params=request.GET)
        reports = list(reports[:50])
    return render(
        request,
        "visits/compliance/research_list.html",
        {
            "filter": research_filter,
            "page": page,
            "querystring": querystring,
            "year": year,
            "years": year_choices(),
            "reports": reports,
        },
    )


@login_required
@permission_required("visits.view_fieldresearch", raise_exception=True)
def research_detail(request, pk: int):
    research = selectors.research_detail(user=request.user, pk=pk)
    can_edit = (
        request.user.has_perm("visits.change_fieldresearch")
        and scope.editable_research(request.user).filter(pk=research.pk).exists()
    )
    return render(
        request, "visits/compliance/research_detail.html", {"research": research, "can_edit": can_edit}
    )


def _research_form(request, research):
    if request.method == "POST":
        form = ResearchForm(request.POST, user=request.user, research=research)
        if response := submit(
            request,
            form,
            lambda: services.research_save(user=request.user, research=research, **form.cleaned_data),
            success=lambda saved: f"已保存驻村调研：{saved.topic}（{saved.days} 天）。",
            then=lambda saved: redirect("research-detail", pk=saved.pk),
            record=research,
        ):
            return response
    else:
        form = open_page(ResearchForm(user=request.user, research=research), research)
    return render(
        request,
        "visits/compliance/research_form.html",
        {
            "form": form,
            "research": research,
            "heading": "编辑驻村调研" if research else "记录驻村调研",
            "intro": "一次连续驻在一个村（社区）的时间记一条；开始和结束当天都计入天数，跨年度的分两条录入。",
            "cancel": reverse("research-detail", args=[research.pk])
            if research
            else reverse("research-list"),
        },
    )


@login_required
@permission_required("visits.add_fieldresearch", raise_exception=True)
def research_create(request):
    return _research_form(request, None)


@login_required
@permission_required("visits.change_fieldresearch", raise_exception=True)
def research_update(request, pk: int):
    return _research_form(request, get_object_or_404(scope.editable_research(request.user), pk=pk))


@login_required
@permission_required("visits.add_researchreport", raise_exception=True)
def report_create(request):
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, user=request.user)
        if response := submit(
            request,
            form,
            lambda: services.report_upload(user=request.user, **form.cleaned_data),
            success=lambda saved: f"已上传调研报告《{saved.title}》。",
            then=lambda saved: redirect(f"{reverse('research-list')}?year={saved.year}"),
            record=None,
            repeated=lambda _: redirect("research-list"),
        ):
            return response
    else:
        form = open_page(ReportForm(user=request.user), None)
    return render(
        request,
        "visits/compliance/report_form.html",
        {
            "form": form,
            "heading": "上传调研报告",
            "intro": "002 一：领导班子成员每年撰写 1—2 篇调研报告。只接受 PDF 或 Word（DOCX）文件，不超过 20 MB。",
            "multipart": True,
            "cancel": reverse("research-list"),
        },
    )


@login_required
@permission_required("visits.view_researchreport", raise_exception=True)
def report_file(request, pk: int):
    """The stored file, only to a user whose scope holds the author (404 otherwise, as for any record)."""
    report = get_object_or_404(scope.visible_reports(request.user), pk=pk)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    content_type = CONTENT_TYPES.get(report.file_kind) or mimetypes.guess_type(report.file_name)[0]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=report.file_name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
