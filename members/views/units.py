"""联系帮扶: list with this year's progress, page with every year and its records, create/edit, coverage."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from liaison.access.scoping import visible_organisations
from liaison.http import post_only
from liaison.safeguards.ids import parse_id
from liaison.safeguards.saving import open_page
from liaison.views.helpers import paginate, submit
from members.forms import UnitPairingForm, UnitRecordForm
from members.models import UnitPairing
from members.scope import visible_unit_pairings
from members.selectors import coverage as coverage_selectors
from members.selectors import units as selectors
from members.services import unit_pairing_save, unit_record_add
from members.views.common import chosen_year, year_choices


@login_required
@permission_required("members.view_unitpairing", raise_exception=True)
def unit_pairing_list(request):
    year = chosen_year(request)
    unit_filter, queryset = selectors.unit_pairing_list(user=request.user, filters=request.GET, year=year)
    page, querystring = paginate(request, queryset)
    rules_by_kind = selectors.unit_quotas()
    rows = [(p, selectors.year_progress(p, rules_by_kind[p.kind], year)) for p in page.object_list]
    return render(
        request,
        "members/unit_list.html",
        {
            "filter": unit_filter,
            "page": page,
            "querystring": querystring,
            "rows": rows,
            "year": year,
            "years": year_choices(),
            "rules": rules_by_kind.values(),
        },
    )


def _render_detail(request, pairing: UnitPairing, record_form: UnitRecordForm, status: int = 200):
    return render(
        request,
        "members/unit_detail.html",
        {
            "pairing": pairing,
            "years": selectors.unit_year_results(pairing),
            "rule": selectors.unit_quotas()[pairing.kind],
            "records": pairing.records.select_related("created_by").order_by("-date", "-id"),
            "record_form": record_form,
        },
        status=status,
    )


@login_required
@permission_required("members.view_unitpairing", raise_exception=True)
def unit_pairing_detail(request, pk: int):
    pairing = selectors.unit_pairing_detail(user=request.user, pk=pk)
    return _render_detail(request, pairing, open_page(UnitRecordForm(), None))


@post_only("unitpairing-detail")
@login_required
@permission_required("members.add_unitpairingrecord", raise_exception=True)
def unit_record_create(request, pk: int):
    pairing = selectors.unit_pairing_detail(user=request.user, pk=pk)
    form = UnitRecordForm(request.POST)
    if response := submit(
        request,
        form,
        lambda: unit_record_add(user=request.user, pairing=pairing, **form.cleaned_data),
        success=lambda _: "已添加帮扶记录。",
        then=lambda _: redirect("unitpairing-detail", pk=pairing.pk),
        record=None,  # a record's money is never counted twice: a repeat lands on the pairing
    ):
        return response
    return _render_detail(request, pairing, form)


def _edit(request, pairing: UnitPairing | None):
    if request.method == "POST":
        form = UnitPairingForm(request.POST, user=request.user, pairing=pairing)
        if response := submit(
            request,
            form,
            lambda: unit_pairing_save(
                user=request.user,
                pairing=pairing,
                **{**form.cleaned_data, "members": list(form.cleaned_data["members"])},
            ),
            success=lambda saved: f"已保存：{saved}",
            then=lambda saved: redirect("unitpairing-detail", pk=saved.pk),
            record=pairing,
            repeated=lambda earlier: (
                redirect("unitpairing-detail", pk=earlier.pk) if earlier else redirect("unitpairing-list")
            ),
        ):
            return response
    else:
        initial = {"start_date": timezone.localdate()} if pairing is None else None
        form = open_page(UnitPairingForm(user=request.user, pairing=pairing, initial=initial), pairing)
    return render(request, "members/unit_form.html", {"form": form, "pairing": pairing})


@login_required
@permission_required("members.add_unitpairing", raise_exception=True)
def unit_pairing_create(request):
    return _edit(request, None)


@login_required
@permission_required("members.change_unitpairing", raise_exception=True)
def unit_pairing_update(request, pk: int):
    return _edit(request, get_object_or_404(visible_unit_pairings(request.user), pk=pk))


@login_required
@permission_required("members.view_unitpairing", raise_exception=True)
def coverage(request):
    """党组织100%覆盖、贫困群众100%覆盖 per 镇街, and who is not covered yet."""
    rows, total = coverage_selectors.coverage_by_township(request.user)
    township = None
    if township_id := parse_id(request.GET.get("township")):
        township = get_object_or_404(visible_organisations(request.user), pk=township_id)
    households, querystring = paginate(
        request, coverage_selectors.uncovered_poor_households(request.user, township)
    )
    return render(
        request,
        "members/coverage.html",
        {
            "rows": rows,
            "total": total,
            "township": township,
            "organisations": coverage_selectors.uncovered_organisations(request.user, township),
            "households": households,
            "querystring": querystring,
        },
    )
