"""跟踪督诺 pages: the township's inspections of its villages' published commitments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from commitments import scope, services
from commitments.forms import InspectionForm
from commitments.models import Commitment, Inspection
from commitments.states import State
from commitments.views.common import action_page, chosen_year, may
from liaison.access.scoping import visible_organisations
from liaison.models import Organisation
from liaison.safeguards.ids import parse_id
from liaison.views.helpers import paginate


@login_required
@permission_required("commitments.view_inspection", raise_exception=True)
def inspection_list(request):
    year = chosen_year(request)
    queryset = (
        scope.visible_inspections(request.user)
        .filter(year=year)
        .select_related("organisation", "organisation__parent")
        .order_by("-date", "-id")
    )
    organisation = None
    if pk := parse_id(request.GET.get("organisation")):
        organisation = get_object_or_404(visible_organisations(request.user), pk=pk)
        queryset = queryset.filter(organisation__path__startswith=organisation.path)
    page, querystring = paginate(request, queryset)
    may_inspect = may(request.user, "commitments.add_inspection")
    targets = (
        visible_organisations(request.user)
        .filter(level__in=Organisation.GRASSROOTS_LEVELS)
        .exclude(pk=request.user.organisation_id)
        .order_by("path")
        if may_inspect
        else Organisation.objects.none()
    )
    return render(
        request,
        "commitments/inspection_list.html",
        {
            "page": page,
            "querystring": querystring,
            "year": year,
            "organisation": organisation,
            "targets": targets,
        },
    )


@login_required
@permission_required("commitments.view_inspection", raise_exception=True)
def inspection_detail(request, pk: int):
    inspection = get_object_or_404(
        scope.visible_inspections(request.user)
        .select_related("organisation", "organisation__parent", "created_by")
        .prefetch_related("commitments"),
        pk=pk,
    )
    return render(request, "commitments/inspection_detail.html", {"inspection": inspection})


@login_required
@permission_required("commitments.add_inspection", raise_exception=True)
def inspection_create(request):
    pk = parse_id(request.GET.get("organisation"))
    if not pk:
        messages.info(request, "请先选择要督查的村（社区）。")
        return redirect("inspection-list")
    organisation = get_object_or_404(
        visible_organisations(request.user).filter(level__in=Organisation.GRASSROOTS_LEVELS), pk=pk
    )
    items = Commitment.objects.filter(organisation=organisation, state=State.PUBLISHED).order_by(
        "subject", "area", "id"
    )
    chosen = parse_id(request.GET.get("commitment"))
    initial = {"commitments": [chosen]} if chosen else {}
    form = InspectionForm(request.POST or None, items=items, initial=initial)
    back = reverse("inspection-list")
    return action_page(
        request,
        form=form,
        save=lambda: services.inspection_add(
            user=request.user, organisation=organisation, **form.cleaned_data
        ),
        success="已记录督查情况。",
        then=lambda inspection: redirect("inspection-detail", pk=inspection.pk),
        back=back,
        title=f"跟踪督诺：{organisation.display_name}",
        intro="004 四（五）：镇党委、政府组织工作人员和党员群众代表对“两委会”履诺情况进行定期不定期的督促检查，"
        "对履诺过程中遇到的困难和问题，及时帮助协调、解决。",
        context={"organisation": organisation, "inspection_form": True},
    )


__all__ = ["Inspection", "inspection_create", "inspection_detail", "inspection_list"]
