"""One page per action on an opinion; each calls one service. Closed opinions refuse them all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from feedback import selectors, services
from feedback.forms import (
    AssignmentForm,
    CaseForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    FeedbackForm,
    ReceiptForm,
    ReopenForm,
    ResultForm,
    TransferAcceptForm,
    TransferForm,
    UrgeAnswerForm,
    UrgeForm,
    VersionMixin,
)
from feedback.services import StaleOpinion
from feedback.views.common import due_text, run_action
from liaison.http import post_only


def _opinion(request, pk: int):
    return selectors.opinion_for_action(user=request.user, pk=pk)


def _post_only(request, opinion, service, success: str, **kwargs):
    """Buttons (开始办理, 销号): a POST with the version the user saw; errors come back as a message."""
    form = VersionMixin(request.POST)
    if not form.is_valid():
        messages.error(request, "请求不完整，请刷新页面后重试。")
        return redirect("opinion-detail", pk=opinion.pk)
    try:
        service(user=request.user, opinion=opinion.pk, version=form.cleaned_data["version"], **kwargs)
    except StaleOpinion as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("opinion-detail", pk=opinion.pk)


@post_only("opinion-detail")
@login_required
@permission_required("feedback.change_opinion", raise_exception=True)
def opinion_start(request, pk: int):
    opinion = _opinion(request, pk)
    return _post_only(request, opinion, services.opinion_start, "已开始办理。")


@post_only("opinion-detail")
@login_required
@permission_required("feedback.change_opinion", raise_exception=True)
def opinion_close(request, pk: int):
    opinion = _opinion(request, pk)
    return _post_only(request, opinion, services.opinion_close, f"已销号：{opinion.number_display}")


@login_required
@permission_required("feedback.change_opinion", raise_exception=True)
def opinion_result(request, pk: int):
    opinion = _opinion(request, pk)
    initial = {
        "version": opinion.version,
        "result": opinion.result,
        "handling_opinion": opinion.handling_opinion,
        "feedback_contact": opinion.feedback_contact
        or (opinion.handler.display_name if opinion.handler_id else request.user.display_name),
        "feedback_phone": opinion.feedback_phone
        or (opinion.handler.phone if opinion.handler_id else request.user.phone),
    }
    if opinion.result_on:
        initial["result_on"] = opinion.result_on
    form = ResultForm(request.POST or None, initial=initial)
    return run_action(
        request,
        opinion=opinion,
        form=form,
        title="登记办理结果",
        success="已登记办理结果。",
        intro="办理结果将印在《群众意见办理情况反馈单》上，联系人和联系电话一并印出。",
        service=lambda **data: services.opinion_record_result(user=request.user, opinion=opinion.pk, **data),
    )


@login_required
@permission_required("feedback.change_opinion", raise_exception=True)
def opinion_feedback(request, pk: int):
    opinion = _opinion(request, pk)
    initial = {
        "version": opinion.version,
        "feedback_signer": opinion.feedback_signer or opinion.reporter_name,
    }
    for name in ("feedback_on", "feedback_method", "satisfaction"):
        if getattr(opinion, name):
            initial[name] = getattr(opinion, name)
    form = FeedbackForm(request.POST or None, initial=initial)
    close = form.is_bound and form.is_valid() and form.cleaned_data["close"]
    return run_action(
        request,
        opinion=opinion,
        form=form,
        title="登记反馈（反馈单签收）",
        success=f"已登记反馈并销号：{opinion.number_display}" if close else "已登记反馈。",
        intro="反映人签收《反馈单》后登记反馈时间、签收人和是否满意；登记后即可销号。",
        service=lambda **data: services.opinion_record_feedback(
            user=request.user, opinion=opinion.pk, **data
        ),
    )


@login_required
@permission_required("feedback.change_opinion", raise_exception=True)
def opinion_reopen(request, pk: int):
    opinion = _opinion(request, pk)
    form = ReopenForm(request.POST or None, initial={"version": opinion.version})
    return run_action(
        request,
        opinion=opinion,
        form=form,
        title="重新打开",
        success="已重新打开，可以更正后再销号。",
        allow_closed=True,
        intro="已销号的意见只能通过“重新打开”更正；理由将记入办理记录。",
        service=lambda **data: services.opinion_reopen(user=request.user, opinion=opinion.pk, **data),
    )


@login_required
@permission_required("feedback.add_assignment", raise_exception=True)
def assignment_create(request, pk: int):
    opinion = _opinion(request, pk)
    kwargs = {"user": request.user, "opinion": opinion}
    form = AssignmentForm(request.POST or None, **kwargs)
    return run_action(
        request,
        opinion=opinion,
        form=form,
        title="发出交办单",
        success="已发出交办单，可以打印。",
        intro=f"该意见的办理时限为 {due_text(opinion.due_date)}；交办单的办理期限不能晚于它。",
        service=lambda **data: services.assignment_issue(user=request.user, opinion=opinion.pk, **data),
        form_kwargs=kwargs,
    )


@login_required
@permission_required("feedback.change_assignment", raise_exception=True)
def assignment_receive(request, pk: int):
    assignment = selectors.assignment_for(user=request.user, pk=pk)
    form = ReceiptForm(request.POST or None, initial={"received_on": timezone.localdate()})
    return run_action(
        request,
        opinion=assignment.opinion,
        form=form,
        title=f"签收交办单 {assignment.number_display}",
        success="已登记签收。",
        intro=f"承办单位：{assignment.unit.name}",
        service=lambda **data: services.assignment_receive(user=request.user, assignment=assignment, **data),
    )


@login_required
@permission_required("feedback.add_urge", raise_exception=True)
def urge_create(request, pk: int):
    opinion = _opinion(request, pk)
    form = UrgeForm(request.POST or None)
    return run_action(
        request,
        opinion=opinion,
        form=form,
        title="催办 / 督办",
        success="已记录催办督办。",
        intro="本级党组织书记催办；上级党组织督办。",
        service=lambda **data: services.urge_create(user=request.user, opinion=opinion.pk, **data),
    )


@login_required
@permission_required("feedback.change_urge", raise_exception=True)
def urge_answer(request, pk: int):
    urge = selectors.urge_for(user=request.user, pk=pk)
    form = UrgeAnswerForm(request.POST or None)
    return run_action(
        request,
        opinion=urge.opinion,
        form=form,
        title=f"回复{urge.get_kind_display()}",
        success="已回复。",
        intro=f"{urge.get_kind_display()}意见：{urge.note}",
        service=lambda **data: services.urge_answer(user=request.user, urge=urge, **data),
    )


@login_required
@permission_required("feedback.add_extension", raise_exception=True)
def extension_create(request, pk: int):
    opinion = _opinion(request, pk)
    form = ExtensionRequestForm(request.POST or None)
    return run_action(
        request,
        opinion=opinion,
        form=form,
        title="申请延期",
        success="已提交延期申请，等待上一级党组织审批。",
        intro=f"当前办理时限：{due_text(opinion.due_date)}。延期由上一级党组织审批，原定时限和延期后的时限都会保留。",
        service=lambda **data: services.extension_request(user=request.user, opinion=opinion.pk, **data),
    )


@login_required
@permission_required("feedback.change_extension", raise_exception=True)
def extension_decide(request, pk: int):
    extension = selectors.extension_for(user=request.user, pk=pk)
    form = ExtensionDecisionForm(request.POST or None)
    return run_action(
        request,
        opinion=extension.opinion,
        form=form,
        title="审批延期申请",
        success="已审批。",
        intro=(
            f"{extension.requested_by.display_name if extension.requested_by else ''}申请将办理时限由 "
            f"{due_text(extension.previous_due_date)} 延至 {due_text(extension.requested_due_date)}"
            f"（{extension.extra_days} 天）。理由：{extension.reason}"
        ),
        service=lambda approve, decision_note: services.extension_decide(
            user=request.user, extension=extension, approve=approve, note=decision_note
        ),
    )


@login_required
@permission_required("feedback.change_opinion", raise_exception=True)
def case_edit(request, pk: int):
    opinion = _opinion(request, pk)
    case = getattr(opinion, "case", None)
    initial = {}
    if case is not None:
        initial = {
            name: getattr(case, name)
            for name in ("leader_name", "leader_title", "team", "plan", "started_on")
        }
    form = CaseForm(request.POST or None, initial=initial)
    return run_action(
        request,
        opinion=opinion,
        form=form,
        title="包案（五个一）",
        success="已登记包案。",
        intro="信访突出问题实行包案：一个问题、一名领导、一套班子、一个方案、一包到底。",
        service=lambda **data: services.case_save(user=request.user, opinion=opinion.pk, **data),
    )


@login_required
@permission_required("feedback.change_opinion", raise_exception=True)
def opinion_transfer(request, pk: int):
    opinion = _opinion(request, pk)
    form = TransferForm(request.POST or None, initial={"version": opinion.version})
    above = opinion.handling_organisation.parent
    return run_action(
        request,
        opinion=opinion,
        form=form,
        title="转报上级",
        success=f"已转报{above.name if above else '上级党组织'}，待其签收。",
        intro=(
            f"属上一级党组织工作职责范围的问题（二类），转报{above.name if above else '上一级党组织'}办理；"
            "上一级党组织自签收之日起20天内办结（“1234”制度）。转报后本级只能查看，列表中显示“已转报”，直至办结。"
        ),
        service=lambda **data: services.opinion_transfer(user=request.user, opinion=opinion.pk, **data),
    )


@login_required
@permission_required("feedback.change_opinion", raise_exception=True)
def transfer_accept(request, pk: int):
    opinion = _opinion(request, pk)
    holder = opinion.handling_organisation
    kwargs = {"user": request.user, "holder": holder}
    form = TransferAcceptForm(request.POST or None, initial={"version": opinion.version}, **kwargs)
    return run_action(
        request,
        opinion=opinion,
        form=form,
        title=f"签收转报（{holder.name}）",
        success="已签收，办理时限自签收之日起计算。",
        intro=(
            f"{opinion.organisation.name}转报的二类意见。按“1234”制度，{holder.name}自签收之日起20天内办结；"
            "请如实填写签收时间，并指定责任人。"
        ),
        service=lambda **data: services.transfer_accept(user=request.user, opinion=opinion.pk, **data),
        form_kwargs=kwargs,
    )
