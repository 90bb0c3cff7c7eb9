"""Household pages: list, detail, create/edit with residents, the 户情卡 PDF and the xlsx export."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone

from liaison import selectors, services
from liaison.access.privacy import can_see_personal_data
from liaison.access.scoping import get_scoped_or_404
from liaison.documents.pdf import render_pdf
from liaison.documents.rendering import file_response
from liaison.forms import HouseholdForm, posted_head_name, resident_formset_class
from liaison.jobs.long_prints import print_or_start
from liaison.jobs.params import params_of
from liaison.models import Household
from liaison.panels import household_panels
from liaison.printing import household_card_context
from liaison.reports.exports import household_export_file
from liaison.safeguards.saving import open_page
from liaison.views.helpers import paginate, submit

# What a household record is, for the stale-save check: its fields, tags and residents.
HOUSEHOLD_PARTS = ("residents",)

NEW_HOUSEHOLD_BLANK_ROWS = 3


@login_required
@permission_required("liaison.view_household", raise_exception=True)
def household_list(request):
    household_filter, queryset = selectors.household_list(user=request.user, filters=request.GET)
    page, querystring = paginate(
        request,
        queryset,
        count=selectors.stored_household_count(household_filter),
        searched=bool(request.GET.get("q", "").strip()),
    )
    page.object_list = selectors.with_resident_counts(page.object_list)
    return render(
        request,
        "liaison/household_list.html",
        {
            "filter": household_filter,
            "page": page,
            "querystring": querystring,
            "show_personal_data": can_see_personal_data(request.user),
        },
    )


@login_required
@permission_required("liaison.view_household", raise_exception=True)
def household_detail(request, pk: int):
    household = selectors.household_detail(user=request.user, pk=pk, include_archived=True)
    return render(
        request,
        "liaison/household_detail.html",
        {
            "household": household,
            "show_personal_data": can_see_personal_data(request.user),
            "panels": household_panels.render(request, household=household),
            "can_archive_residents": request.user.has_perm("liaison.change_household")
            and not household.is_archived,
        },
    )


def _edit(request, household: Household | None):
    extra = NEW_HOUSEHOLD_BLANK_ROWS if household is None else 0
    formset_class = resident_formset_class(extra=extra, new=household is None)
    instance = household or Household()
    if request.method == "POST":
        form = HouseholdForm(
            request.POST,
            instance=instance,
            user=request.user,
            head_name=posted_head_name(request.POST, "residents"),
        )
        formset = formset_class(
            request.POST, instance=instance, prefix="residents", form_kwargs={"user": request.user}
        )
        if response := submit(
            request,
            form,
            lambda: services.household_save(user=request.user, form=form, formset=formset),
            valid=formset.is_valid(),
            related=formset.forms,
            success=lambda saved: f"已保存：{saved}",
            then=lambda saved: redirect("household-detail", pk=saved.pk),
            record=household,
            parts=HOUSEHOLD_PARTS,
        ):
            return response
    else:
        form = open_page(
            HouseholdForm(instance=instance, user=request.user), household, parts=HOUSEHOLD_PARTS
        )
        formset = formset_class(instance=instance, prefix="residents", form_kwargs={"user": request.user})
    return render(
        request, "liaison/household_form.html", {"form": form, "formset": formset, "household": household}
    )


@login_required
@permission_required("liaison.add_household", raise_exception=True)
def household_create(request):
    return _edit(request, None)


@login_required
@permission_required("liaison.change_household", raise_exception=True)
def household_update(request, pk: int):
    household = get_scoped_or_404(Household.objects.select_related("organisation"), request.user, pk=pk)
    return _edit(request, household)


@login_required
@permission_required("liaison.view_household", raise_exception=True)
def household_pdf(request, pk: int):
    household = selectors.household_detail(user=request.user, pk=pk)
    rendered = render_pdf(
        "liaison/print/household_card.html",
        household_card_context(household=household, user=request.user),
        filename=f"户情卡-{household.organisation.name}-{household.head_name}.pdf",
    )
    return file_response(rendered, inline=True)


@login_required
@permission_required("liaison.view_household", raise_exception=True)
def household_export(request):
    """The list's current filter as xlsx: at once up to LIAISON_EXPORT_MAX_HOUSEHOLDS (what a request
    writes well within 30 s), a background job above it (liaison.reports.jobs), as the same user."""
    _, queryset = selectors.household_list(user=request.user, filters=request.GET)
    return print_or_start(
        request,
        size=queryset.count(),
        limit=settings.LIAISON_EXPORT_MAX_HOUSEHOLDS,
        render=lambda: household_export_file(user=request.user, query=request.GET),
        kind="reports.households_xlsx",
        title=f"户情信息导出-{timezone.localdate():%Y%m%d}",
        params=params_of(request.GET),
        inline=False,
    )
