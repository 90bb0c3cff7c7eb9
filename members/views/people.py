"""Party members: list with filters, page, create/edit with their positions, export."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from liaison.access.privacy import can_see_personal_data
from liaison.documents.xlsx import write_sheets
from liaison.jobs.long_prints import print_or_start
from liaison.jobs.params import params_of
from liaison.views.helpers import paginate, submit
from members.exports import member_filename, member_sheets
from members.forms import PartyMemberForm, position_formset_class
from members.models import PartyMember
from members.scope import visible_members
from members.selectors import people as selectors
from members.selectors.pairings import pairing_flags, visit_rows
from members.services import member_save
from members.visit_counts import NOT_AVAILABLE, pairing_visit_source


@login_required
@permission_required("members.view_partymember", raise_exception=True)
def member_list(request):
    member_filter, queryset = selectors.member_list(user=request.user, filters=request.GET)
    page, querystring = paginate(request, queryset)
    return render(
        request,
        "members/member_list.html",
        {
            "filter": member_filter,
            "page": page,
            "querystring": querystring,
            "show_personal_data": can_see_personal_data(request.user),
        },
    )


@login_required
@permission_required("members.view_partymember", raise_exception=True)
def member_detail(request, pk: int):
    member = selectors.member_detail(user=request.user, pk=pk)
    pairings = selectors.member_pairings(user=request.user, member=member)
    active = [p for p in pairings if p.status == p.Status.ACTIVE]
    flags = pairing_flags()
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "pairings": [(p, flags.short(p)) for p in pairings],
            "duration_years": flags.duration_years,
            "visits": visit_rows(pairings),
            "visits_available": pairing_visit_source.available,
            "visits_note": NOT_AVAILABLE,
            "leader_quota": selectors.township_leader_quota(
                member=member, active_households=len({p.household_id for p in active})
            ),
            "points": selectors.member_points(user=request.user, member=member),
            "posts": selectors.member_posts(member=member),
            "unit_pairings": selectors.member_unit_pairings(member=member),
            "show_personal_data": can_see_personal_data(request.user),
            "this_year": timezone.localdate().year,
        },
    )


def _edit(request, member: PartyMember | None):
    instance = member or PartyMember()
    formset_class = position_formset_class(extra=1 if member is None else 0)
    form = PartyMemberForm(request.POST or None, instance=instance, user=request.user)
    formset = formset_class(
        request.POST or None, instance=instance, prefix="positions", form_kwargs={"user": request.user}
    )
    if response := submit(
        request,
        form,
        lambda: member_save(user=request.user, form=form, positions=formset),
        valid=formset.is_valid(),
        success=lambda saved: f"已保存：{saved.name}",
        then=lambda saved: redirect("member-detail", pk=saved.pk),
        record=member,
        parts=("positions",),  # a member record is its fields and its positions (任职)
    ):
        return response
    return render(request, "members/member_form.html", {"form": form, "formset": formset, "member": member})


@login_required
@permission_required("members.add_partymember", raise_exception=True)
def member_create(request):
    return _edit(request, None)


@login_required
@permission_required("members.change_partymember", raise_exception=True)
def member_update(request, pk: int):
    member = get_object_or_404(
        visible_members(request.user).select_related("organisation", "household"), pk=pk
    )
    return _edit(request, member)


@login_required
@permission_required("members.view_partymember", raise_exception=True)
def member_export(request):
    """The list's current filter as xlsx: at once up to LIAISON_EXPORT_MAX_MEMBERS rows, a background
    job beyond (members.jobs.members_xlsx), as the same user."""
    _, queryset = selectors.member_list(user=request.user, filters=request.GET)
    return print_or_start(
        request,
        size=queryset.count(),
        limit=settings.LIAISON_EXPORT_MAX_MEMBERS,
        render=lambda: write_sheets(member_sheets(queryset, user=request.user), filename=member_filename()),
        kind="members.members_xlsx",
        title=member_filename().removesuffix(".xlsx"),
        params=params_of(request.GET),
        inline=False,
    )
