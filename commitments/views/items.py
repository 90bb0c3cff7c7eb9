"""承诺事项 pages: the list, one item with its six steps, and a page per step."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from commitments import rules, scope, selectors, services
from commitments.forms import CommentForm, CommitmentForm, DecisionForm, ProgressForm, ReasonForm, VoteForm
from commitments.models import ProgressNote
from commitments.states import Action, State, allowed
from commitments.views.common import action_page, chosen_year, may, year_choices
from liaison.views.helpers import paginate, submit


@login_required
@permission_required("commitments.view_commitment", raise_exception=True)
def commitment_list(request):
    commitment_filter, queryset = selectors.commitment_list(user=request.user, filters=request.GET)
    page, querystring = paginate(request, queryset)
    return render(
        request,
        "commitments/commitment_list.html",
        {
            "filter": commitment_filter,
            "page": page,
            "querystring": querystring,
            "year": chosen_year(request),
            "years": year_choices(),
            "pledge_organisation": _own_grassroots(request.user),
            "can_add": may(request.user, "commitments.add_commitment"),
        },
    )


def _own_grassroots(user):
    organisation = user.organisation if user.organisation_id else None
    return organisation if organisation is not None and organisation.is_grassroots else None


def _actions(user, commitment) -> dict[str, bool]:
    """Which buttons the page shows: the state machine, the permission, and which side the user is on."""
    owner = scope.owns(user, commitment.organisation)
    above = scope.is_above(user, commitment.organisation)
    change = user.has_perm("commitments.change_commitment")
    open_revision = any(
        r.state not in (State.WITHDRAWN, State.SUPERSEDED) for r in commitment.revisions.all()
    )
    return {
        "edit": change and owner and allowed(commitment.state, Action.EDIT),
        "comment": user.has_perm("commitments.add_comment")
        and owner
        and allowed(commitment.state, Action.COMMENT),
        "vote": user.has_perm("commitments.add_vote") and owner and allowed(commitment.state, Action.VOTE),
        "approve": change and above and allowed(commitment.state, Action.APPROVE),
        "publish": change and owner and allowed(commitment.state, Action.PUBLISH),
        "progress": user.has_perm("commitments.add_progressnote")
        and owner
        and allowed(commitment.state, Action.PROGRESS),
        "inspect": user.has_perm("commitments.add_inspection")
        and above
        and allowed(commitment.state, Action.INSPECT),
        "revise": user.has_perm("commitments.add_commitment")
        and owner
        and allowed(commitment.state, Action.REVISE)
        and not open_revision,
        "withdraw": change and owner and allowed(commitment.state, Action.WITHDRAW),
    }


@login_required
@permission_required("commitments.view_commitment", raise_exception=True)
def commitment_detail(request, pk: int):
    commitment = selectors.commitment_detail(user=request.user, pk=pk)
    votes = list(commitment.votes.all())
    for vote in votes:
        vote.outcome = rules.vote_outcome(vote.approve, vote.reject, vote.abstain)
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": commitment,
            "votes": votes,
            "actions": _actions(request.user, commitment),
            "similar": selectors.similar_items(commitment),
            "abstain_note": rules.ABSTAIN_NOTE,
        },
    )


def _warn_similar(request, commitment) -> None:
    for found in selectors.similar_items(commitment):
        messages.warning(request, found.message)


def _edit(request, commitment=None):
    form = CommitmentForm(request.POST or None, user=request.user, instance=commitment)
    if commitment is None:
        save = lambda: services.commitment_create(user=request.user, **form.cleaned_data)  # noqa: E731
    else:
        data = lambda: {k: v for k, v in form.cleaned_data.items() if k != "organisation"}  # noqa: E731
        save = lambda: services.commitment_update(user=request.user, commitment=commitment, **data())  # noqa: E731

    def then(saved):
        _warn_similar(request, saved)
        return redirect("commitment-detail", pk=saved.pk)

    response = submit(
        request,
        form,
        save,
        success=lambda saved: f"已保存：{saved.title}",
        then=then,
        record=commitment,
        repeated=lambda earlier: (
            redirect("commitment-detail", pk=earlier.pk) if earlier else redirect("commitment-list")
        ),
    )
    if response:
        return response
    return render(request, "commitments/commitment_form.html", {"form": form, "commitment": commitment})


@login_required
@permission_required("commitments.add_commitment", raise_exception=True)
def commitment_create(request):
    return _edit(request)


@login_required
@permission_required("commitments.change_commitment", raise_exception=True)
def commitment_update(request, pk: int):
    commitment = selectors.commitment_for_action(user=request.user, pk=pk)
    if not allowed(commitment.state, Action.EDIT):
        from commitments.states import refusal

        messages.error(request, refusal(commitment.state, Action.EDIT))
        return redirect("commitment-detail", pk=pk)
    return _edit(request, commitment)


def _step(
    request, pk: int, *, form, service, title: str, success: str, intro: str = "", button: str = "保存"
):
    commitment = selectors.commitment_for_action(user=request.user, pk=pk)
    back = reverse("commitment-detail", args=[pk])
    return action_page(
        request,
        form=form,
        save=lambda: service(commitment, form.cleaned_data),
        success=success,
        then=lambda _: redirect(back),
        back=back,
        title=title,
        intro=intro,
        button=button,
        context={"commitment": commitment},
    )


@login_required
@permission_required("commitments.add_comment", raise_exception=True)
def commitment_comment(request, pk: int):
    return _step(
        request,
        pk,
        form=CommentForm(request.POST or None),
        service=lambda c, data: services.comment_add(user=request.user, commitment=c, **data),
        title="登记征求意见",
        success="已登记征求意见。",
        intro="004 四（二）：对初步拟定的承诺事项，广泛征求镇党委、政府和党员、群众的意见后修改完善。"
        "只记意见来自哪一方，不记提意见群众的姓名。",
    )


@login_required
@permission_required("commitments.add_vote", raise_exception=True)
def commitment_vote(request, pk: int):
    return _step(
        request,
        pk,
        form=VoteForm(request.POST or None),
        service=lambda c, data: services.vote_record(user=request.user, commitment=c, **data),
        title="民主定诺：记录表决结果",
        success="已记录表决结果。",
        intro="同意票达到三分之二及以上的，列为承诺内容；不同意票超过三分之一的，不列为承诺内容，重新拟定后再表决"
        "（004 四（二））。弃权票计入表决总票数。",
    )


@login_required
@permission_required("commitments.change_commitment", raise_exception=True)
def commitment_approve(request, pk: int):
    return _step(
        request,
        pk,
        form=DecisionForm(request.POST or None, label="批准日期"),
        service=lambda c, data: services.commitment_approve(
            user=request.user, commitment=c, approved_on=data["on"], note=data["note"]
        ),
        title="镇街党委、政府批准",
        success="已批准。村（社区）可公开承诺。",
        button="批准",
    )


@login_required
@permission_required("commitments.change_commitment", raise_exception=True)
def commitment_refuse(request, pk: int):
    return _step(
        request,
        pk,
        form=ReasonForm(request.POST or None),
        service=lambda c, data: services.commitment_refuse(user=request.user, commitment=c, **data),
        title="退回重新拟定",
        success="已退回，村（社区）重新拟定后再交付表决。",
        button="退回",
    )


@login_required
@permission_required("commitments.change_commitment", raise_exception=True)
def commitment_publish(request, pk: int):
    return _step(
        request,
        pk,
        form=DecisionForm(request.POST or None, label="公开承诺日期"),
        service=lambda c, data: services.commitment_publish(
            user=request.user, commitment=c, published_on=data["on"]
        ),
        title="公开承诺",
        success="已公开承诺，公开页面和承诺书中可见。",
        intro="004 四（三）：召开党员群众大会公开承诺，在党务公开栏、村（居）务公开栏公布，形成承诺书。",
        button="公开",
    )


@login_required
@permission_required("commitments.add_progressnote", raise_exception=True)
def commitment_progress(request, pk: int):
    return _step(
        request,
        pk,
        form=ProgressForm(request.POST or None, request.FILES or None),
        service=lambda c, data: services.progress_add(user=request.user, commitment=c, **data),
        title="履职践诺：记录践诺情况",
        success="已记录践诺情况。",
    )


@login_required
@permission_required("commitments.add_commitment", raise_exception=True)
def commitment_revise(request, pk: int):
    commitment = selectors.commitment_for_action(user=request.user, pk=pk)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "修改原因"
    back = reverse("commitment-detail", args=[pk])
    return action_page(
        request,
        form=form,
        save=lambda: services.commitment_revise(
            user=request.user, commitment=commitment, reason=form.cleaned_data["reason"]
        ),
        success="已提出修改稿：请修改内容，征求意见后重新交付表决。",
        then=lambda revision: redirect("commitment-update", pk=revision.pk),
        back=back,
        title="提出修改稿",
        intro="已表决通过的承诺不能直接修改。修改稿作为新的初诺，须重新征求意见、经党员群众表决并报镇街批准；"
        "修改稿公开后替代原承诺，原承诺在此之前继续有效。",
        button="提出修改稿",
        context={"commitment": commitment},
    )


@login_required
@permission_required("commitments.change_commitment", raise_exception=True)
def commitment_withdraw(request, pk: int):
    return _step(
        request,
        pk,
        form=ReasonForm(request.POST or None),
        service=lambda c, data: services.commitment_withdraw(user=request.user, commitment=c, **data),
        title="撤回初诺",
        success="已撤回。",
        button="撤回",
    )


@login_required
@permission_required("commitments.view_progressnote", raise_exception=True)
def progress_evidence(request, pk: int):
    """The evidence file, only through the scoped record (never a public /media/ address)."""
    note = get_object_or_404(
        ProgressNote.objects.filter(commitment__in=scope.visible_commitments(request.user).values("pk")),
        pk=pk,
    )
    if not note.evidence:
        raise Http404
    try:
        handle = note.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(note.evidence.name)[0] or "application/octet-stream"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=note.evidence_name or note.evidence.name,
        content_type=content_type,
    )
