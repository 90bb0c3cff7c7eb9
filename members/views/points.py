"""联系点: list with this year's average frequency, page with contacts per month, create/edit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from liaison.http import post_only
from liaison.quotas import quota_rule
from liaison.safeguards.ids import parse_id
from liaison.safeguards.saving import open_page
from liaison.views.helpers import paginate, submit
from members.forms import LiaisonContactForm, LiaisonPointForm
from members.scope import editable_points
from members.selectors import points as selectors
from members.services import liaison_contact_add, liaison_point_save
from members.views.common import chosen_year, year_choices


@login_required
@permission_required("members.view_liaisonpoint", raise_exception=True)
def point_list(request):
    year = chosen_year(request)
    page, querystring = paginate(request, selectors.point_list(user=request.user, year=year))
    rule = quota_rule("liaison-point-contacts")
    today = timezone.localdate()
    rows = [(p, selectors.frequency(p, year, p.year_contacts, rule.minimum, today)) for p in page.object_list]
    return render(
        request,
        "members/point_list.html",
        {
            "page": page,
            "querystring": querystring,
            "rows": rows,
            "year": year,
            "years": year_choices(),
            "rule": rule,
        },
    )


def _render_detail(request, point, contact_form, year: int):
    return render(
        request,
        "members/point_detail.html",
        {
            "point": point,
            "year": year,
            "years": year_choices(),
            "contact_form": contact_form,
            "can_edit": request.user.has_perm("members.change_liaisonpoint")
            and editable_points(request.user).filter(pk=point.pk).exists(),
            **selectors.point_year(point, year),
        },
    )


@login_required
@permission_required("members.view_liaisonpoint", raise_exception=True)
def point_detail(request, pk: int):
    point = selectors.point_detail(user=request.user, pk=pk)
    return _render_detail(request, point, open_page(LiaisonContactForm(), None), chosen_year(request))


@post_only("point-detail")
@login_required
@permission_required("members.add_liaisoncontact", raise_exception=True)
def point_contact_create(request, pk: int):
    point = selectors.point_detail(user=request.user, pk=pk)
    form = LiaisonContactForm(request.POST)
    if response := submit(
        request,
        form,
        lambda: liaison_contact_add(user=request.user, point=point, **form.cleaned_data),
        success=lambda _: "已添加联系记录。",
        then=lambda contact: redirect(f"{reverse('point-detail', args=[point.pk])}?year={contact.date.year}"),
        record=None,
        repeated=lambda _: redirect("point-detail", pk=point.pk),
    ):
        return response
    return _render_detail(request, point, form, timezone.localdate().year)


def _edit(request, point):
    if request.method == "POST":
        form = LiaisonPointForm(request.POST, user=request.user, point=point)
        if response := submit(
            request,
            form,
            lambda: liaison_point_save(user=request.user, point=point, **form.cleaned_data),
            success=lambda saved: f"已保存联系点：{saved}",
            then=lambda saved: redirect("point-detail", pk=saved.pk),
            record=point,
        ):
            return response
    else:
        initial = {"started_on": timezone.localdate()} if point is None else None
        if point is None and (leader := parse_id(request.GET.get("leader"))):
            initial["leader"] = leader
        form = open_page(LiaisonPointForm(user=request.user, point=point, initial=initial), point)
    return render(request, "members/point_form.html", {"form": form, "point": point})


@login_required
@permission_required("members.add_liaisonpoint", raise_exception=True)
def point_create(request):
    return _edit(request, None)


@login_required
@permission_required("members.change_liaisonpoint", raise_exception=True)
def point_update(request, pk: int):
    point = get_object_or_404(
        editable_points(request.user).select_related("leader__organisation", "organisation__parent"), pk=pk
    )
    return _edit(request, point)
