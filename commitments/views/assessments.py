"""考核评诺 pages: the list with its flags, one assessment, and the township's four steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from commitments import rules, scope, selectors, services
from commitments.forms import AssessmentForm, FieldCheckForm, FinaliseForm
from commitments.models import Assessment, VoterGroup
from commitments.services.assessments import ALREADY_FINAL, published_for
from commitments.states import State
from commitments.views.common import may
from liaison.access.scoping import visible_organisations
from liaison.models import Organisation
from liaison.safeguards.ids import parse_id
from liaison.views.helpers import paginate, submit


@login_required
@permission_required("commitments.view_assessment", raise_exception=True)
def assessment_list(request):
    assessment_filter, queryset = selectors.assessment_list(user=request.user, filters=request.GET)
    page, querystring = paginate(request, queryset)
    year = timezone.localdate().year
    return render(
        request,
        "commitments/assessment_list.html",
        {
            "filter": assessment_filter,
            "page": page,
            "querystring": querystring,
            "due": _due(request.user, year) if may(request.user, "commitments.add_assessment") else [],
            "year": year,
            "gap_note": rules.GAP_NOTE,
        },
    )


def _due(user, year: int) -> list[Organisation]:
    """Villages below the user with published items this year and no assessment yet (the township's
    list to work through in December)."""
    published = published_for(OuterRef("pk"), year).values("pk")
    assessed = Assessment.objects.filter(organisation=OuterRef("pk"), year=year)
    own = user.organisation_id
    return list(
        visible_organisations(user)
        .filter(level__in=Organisation.GRASSROOTS_LEVELS)
        .exclude(pk=own)
        .filter(Exists(published), ~Exists(assessed))
        .select_related("parent")
        .order_by("path")[:50]
    )


CHOOSE_VILLAGE = "请在“待考核评诺的村（社区）”中选择一个村（社区）。"


def _tally_rows(assessment: Assessment) -> list[dict]:
    by_group = {t.group: t for t in assessment.tallies.all()}
    rows = []
    for group in VoterGroup:
        tally = by_group.get(group.value)
        rows.append({"group": group.label, "tally": tally})
    return rows


@login_required
@permission_required("commitments.view_assessment", raise_exception=True)
def assessment_detail(request, pk: int):
    assessment = selectors.assessment_detail(user=request.user, pk=pk)
    shares = (
        rules.shares(assessment.satisfied, assessment.basically_satisfied, assessment.dissatisfied)
        if assessment.total
        else None
    )
    township = request.user.has_perm("commitments.change_assessment") and scope.is_above(
        request.user, assessment.organisation
    )
    items = list(
        published_for(assessment.organisation, assessment.year)
        .order_by("subject", "area", "id")
        .only(
            "id",
            "title",
            "subject",
            "area",
            "target",
            "state",
            "completion",
            "completion_note",
            "organisation_id",
        )
    )
    return render(
        request,
        "commitments/assessment_detail.html",
        {
            "assessment": assessment,
            "rows": _tally_rows(assessment),
            "shares": shares,
            "percent": {
                k: rules.percent(getattr(shares, k))
                for k in ("satisfied", "basically_satisfied", "dissatisfied")
            }
            if shares
            else {},
            "gap": assessment.measured_grade == rules.Grade.BASIC,
            "gap_note": rules.GAP_NOTE,
            "items": items,
            "can": {
                "tallies": township and not assessment.is_final,
                "check": township and not assessment.is_final and bool(assessment.measured_grade),
                "finalise": township and not assessment.is_final and assessment.field_check_on is not None,
                "publish": township and assessment.is_final and not assessment.is_published,
            },
            "state_assessed": State.ASSESSED,
        },
    )


def _grassroots_from_query(request) -> Organisation:
    pk = parse_id(request.GET.get("organisation") or request.POST.get("organisation_id"))
    return get_object_or_404(
        visible_organisations(request.user).filter(level__in=Organisation.GRASSROOTS_LEVELS), pk=pk
    )


def _page(request, *, form, save, record, title, success, back, context, intro="", button="保存", then=None):
    response = submit(
        request,
        form,
        save,
        success=lambda _: success,
        then=then or (lambda saved: redirect("assessment-detail", pk=saved.pk)),
        record=record,
        repeated=lambda earlier: redirect("assessment-detail", pk=earlier.pk) if earlier else redirect(back),
    )
    if response:
        return response
    return render(
        request,
        "commitments/assessment_form.html",
        {"form": form, "title": title, "intro": intro, "back": back, "button": button, **context},
    )


@login_required
@permission_required("commitments.add_assessment", raise_exception=True)
def assessment_create(request):
    if not parse_id(request.GET.get("organisation")):
        messages.info(request, CHOOSE_VILLAGE)
        return redirect("assessment-list")
    organisation = _grassroots_from_query(request)
    year = (
        int(request.GET.get("year") or 0)
        if (request.GET.get("year") or "").isdigit()
        else timezone.localdate().year
    )
    existing = Assessment.objects.filter(organisation=organisation, year=year).first()
    if existing is not None and scope.visible_assessments(request.user).filter(pk=existing.pk).exists():
        return redirect("assessment-tallies", pk=existing.pk)
    form = AssessmentForm(request.POST or None)
    return _page(
        request,
        form=form,
        save=lambda: services.assessment_record(
            user=request.user,
            organisation=organisation,
            year=year,
            report_on=form.cleaned_data["report_on"],
            meeting=form.cleaned_data["meeting"],
            tallies=form.tallies(),
        ),
        record=None,
        title=f"{organisation.display_name} {year}年考核评诺：述职和满意度测评",
        success="已录入满意度测评票。",
        back=reverse("assessment-list"),
        context={"organisation": organisation, "year": year, "tally_form": True},
        intro="年底召开全体党员和群众代表大会，书记和主任述职后，以无记名方式进行满意度测评（004 四（六））。"
        "这里只录入各测评对象的票数，不记录任何投票人。",
    )


def _assessment(request, pk: int) -> Assessment:
    return get_object_or_404(scope.visible_assessments(request.user).select_related("organisation"), pk=pk)


def _final_is_fixed(request, assessment: Assessment):
    """Tallies, field check and grade are fixed once the 综合考评 is made: back to the page, saying so."""
    if assessment.is_final:
        messages.error(request, ALREADY_FINAL)
        return redirect("assessment-detail", pk=assessment.pk)
    return None


@login_required
@permission_required("commitments.change_assessment", raise_exception=True)
def assessment_tallies(request, pk: int):
    assessment = _assessment(request, pk)
    if refused := _final_is_fixed(request, assessment):
        return refused
    initial = {"report_on": assessment.report_on, "meeting": assessment.meeting}
    for tally in assessment.tallies.all():
        for kind, _ in AssessmentForm.KINDS:
            initial[f"{tally.group}__{kind}"] = getattr(tally, kind)
    form = AssessmentForm(request.POST or None, initial=initial)
    return _page(
        request,
        form=form,
        save=lambda: services.assessment_record(
            user=request.user,
            organisation=assessment.organisation,
            year=assessment.year,
            report_on=form.cleaned_data["report_on"],
            meeting=form.cleaned_data["meeting"],
            tallies=form.tallies(),
        ),
        record=assessment,
        title=f"{assessment.organisation.display_name} {assessment.year}年：修改测评票",
        success="已保存测评票。",
        back=reverse("assessment-detail", args=[pk]),
        context={"assessment": assessment, "tally_form": True},
    )


@login_required
@permission_required("commitments.change_assessment", raise_exception=True)
def assessment_check(request, pk: int):
    assessment = _assessment(request, pk)
    if refused := _final_is_fixed(request, assessment):
        return refused
    items = published_for(assessment.organisation, assessment.year).order_by("subject", "area", "id")
    initial = {}
    if assessment.field_check_on:
        initial = {
            "field_check_on": assessment.field_check_on,
            "field_check_team": assessment.field_check_team,
            "field_check_findings": assessment.field_check_findings,
        }
    form = FieldCheckForm(request.POST or None, items=items, initial=initial)
    return _page(
        request,
        form=form,
        save=lambda: services.assessment_field_check(
            user=request.user,
            assessment=assessment,
            field_check_on=form.cleaned_data["field_check_on"],
            field_check_team=form.cleaned_data["field_check_team"],
            field_check_findings=form.cleaned_data["field_check_findings"],
            completions=form.completions(),
        ),
        record=assessment,
        title=f"{assessment.organisation.display_name} {assessment.year}年：考察组实地考察",
        success="已记录实地考察情况。",
        back=reverse("assessment-detail", args=[pk]),
        context={"assessment": assessment, "check_form": True},
        intro="镇党委、政府成立由镇干部、部分党员代表、村（居）民代表组成的考察组，对照承诺事项实地考察完成情况。",
    )


@login_required
@permission_required("commitments.change_assessment", raise_exception=True)
def assessment_finalise(request, pk: int):
    assessment = _assessment(request, pk)
    if refused := _final_is_fixed(request, assessment):
        return refused
    initial = {"final_grade": assessment.measured_grade}
    form = FinaliseForm(request.POST or None, initial=initial)
    flagged = assessment.total and rules.needs_rectification(
        assessment.satisfied, assessment.basically_satisfied, assessment.dissatisfied
    )
    intro = "综合满意度测评和实地考察形成综合考评结果；与测评等次不同时须说明理由。"
    if flagged:
        intro += "本次测评不满意率超过50％，须限期整改（004 五）：请填写整改期限。"
    return _page(
        request,
        form=form,
        save=lambda: services.assessment_finalise(
            user=request.user, assessment=assessment, **form.cleaned_data
        ),
        record=assessment,
        title=f"{assessment.organisation.display_name} {assessment.year}年：综合考评结果",
        success="已形成综合考评结果。",
        back=reverse("assessment-detail", args=[pk]),
        context={"assessment": assessment},
        intro=intro,
        button="确认评定",
    )


@login_required
@permission_required("commitments.change_assessment", raise_exception=True)
def assessment_publish(request, pk: int):
    from commitments.forms import DecisionForm

    assessment = _assessment(request, pk)
    form = DecisionForm(request.POST or None, label="公布日期")
    return _page(
        request,
        form=form,
        save=lambda: services.assessment_publish(
            user=request.user, assessment=assessment, published_on=form.cleaned_data["on"]
        ),
        record=None,
        title=f"{assessment.organisation.display_name} {assessment.year}年：向群众公布考评结果",
        success="已公布，公开页面可见。",
        back=reverse("assessment-detail", args=[pk]),
        context={"assessment": assessment},
        button="公布",
    )
