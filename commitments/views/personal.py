"""党员承诺 pages: the 公示 list, the members still without a promise, add, edit, 民主评议."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from commitments import rules, scope, selectors, services
from commitments.forms import PersonalForm, ReviewForm
from commitments.services.personal import REVIEWED_IS_FIXED
from commitments.views.common import action_page, chosen_year, may
from liaison.access.scoping import visible_organisations
from liaison.safeguards.ids import parse_id
from liaison.views.helpers import paginate, submit

MISSING_SHOWN = 30


@login_required
@permission_required("commitments.view_personalcommitment", raise_exception=True)
def personal_list(request):
    personal_filter, queryset = selectors.personal_list(user=request.user, filters=request.GET)
    page, querystring = paginate(request, queryset)
    year = chosen_year(request)
    organisation = None
    if pk := parse_id(request.GET.get("organisation")):
        organisation = visible_organisations(request.user).filter(pk=pk).first()
    missing = selectors.members_without_commitment(user=request.user, year=year, organisation=organisation)
    today = timezone.localdate()
    # The first rows and how many there are, as two queries: the rows walk the members in order and stop
    # at 30; the count hashes the year's promises once. One query with a window count had to walk all
    # 40,000 members of a district in order (80 ms against 1 + 15 on PostgreSQL).
    shown = list(missing[:MISSING_SHOWN])
    missing_count = len(shown) if len(shown) < MISSING_SHOWN else missing.order_by().count()
    return render(
        request,
        "commitments/personal_list.html",
        {
            "filter": personal_filter,
            "page": page,
            "querystring": querystring,
            "year": year,
            "missing": shown,
            "missing_count": missing_count,
            "missing_more": missing_count - len(shown),
            "overdue_count": selectors.personal_overdue(user=request.user, today=today).count(),
            "today": today,
            "per_year_max": rules.PERSONAL_PER_YEAR_MAX,
            "can_add": may(request.user, "commitments.add_personalcommitment"),
            "can_change": may(request.user, "commitments.change_personalcommitment"),
        },
    )


def _personal(request, pk: int):
    return get_object_or_404(
        scope.visible_personal(request.user).select_related("member", "member__organisation"), pk=pk
    )


def _form_page(request, form, save, record, title, success):
    response = submit(
        request,
        form,
        save,
        success=lambda _: success,
        then=lambda saved: redirect(f"{reverse('personal-list')}?year={saved.year}"),
        record=record,
        repeated=lambda earlier: redirect("personal-list"),
    )
    if response:
        return response
    return render(
        request,
        "commitments/action_form.html",
        {"form": form, "title": title, "back": reverse("personal-list"), "button": "保存"},
    )


@login_required
@permission_required("commitments.add_personalcommitment", raise_exception=True)
def personal_create(request):
    initial = {}
    if member := parse_id(request.GET.get("member")):
        initial["member"] = member
    form = PersonalForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request,
        form,
        lambda: services.personal_add(user=request.user, **form.cleaned_data),
        None,
        "党员承诺：为群众办一至二件实事",
        "已登记党员承诺。",
    )


@login_required
@permission_required("commitments.change_personalcommitment", raise_exception=True)
def personal_update(request, pk: int):
    commitment = _personal(request, pk)
    if commitment.review_result:
        messages.error(request, REVIEWED_IS_FIXED)
        return redirect("personal-list")
    form = PersonalForm(request.POST or None, user=request.user, instance=commitment)
    data = lambda: {k: v for k, v in form.cleaned_data.items() if k not in ("member", "year")}  # noqa: E731
    return _form_page(
        request,
        form,
        lambda: services.personal_update(user=request.user, commitment=commitment, **data()),
        commitment,
        f"修改党员承诺：{commitment.member.name}",
        "已保存。",
    )


@login_required
@permission_required("commitments.change_personalcommitment", raise_exception=True)
def personal_review(request, pk: int):
    commitment = _personal(request, pk)
    form = ReviewForm(request.POST or None)
    return action_page(
        request,
        form=form,
        save=lambda: services.personal_review(user=request.user, commitment=commitment, **form.cleaned_data),
        success="已记录民主评议结果。",
        then=lambda saved: redirect(f"{reverse('personal-list')}?year={saved.year}"),
        back=reverse("personal-list"),
        title=f"民主评议：{commitment.member.name} {commitment.year}年承诺",
        intro=f"承诺事项：{commitment.content}。002 六：结合党员日常组织生活和年度民主评议，对党员承诺践诺进行评议。",
    )
