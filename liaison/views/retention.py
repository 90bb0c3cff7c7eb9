"""Archive (迁出, 死亡), restore and purge households and residents (liaison/retention.py)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from liaison import retention
from liaison.access.privacy import can_see_personal_data
from liaison.access.scoping import get_scoped_or_404
from liaison.models import ArchiveReason, Household, Resident


class ArchiveForm(forms.Form):
    reason = forms.ChoiceField(
        label="归档原因",
        choices=[("", "请选择"), *ArchiveReason.choices],
        error_messages={"required": retention.REASON_REQUIRED},
    )
    archived_on = forms.DateField(
        label="迁出或死亡日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="不填则为今天。",
        error_messages={"invalid": "请输入正确的日期，如 2026-03-01。"},
    )
    note = forms.CharField(
        label="说明", max_length=200, required=False, help_text="如：迁往重庆市渝中区；2026年3月病故。"
    )


class PurgeForm(forms.Form):
    reason = forms.CharField(
        label="永久删除理由",
        max_length=200,
        error_messages={"required": retention.PURGE_REASON_REQUIRED},
        help_text="记入操作记录，如：依《个人信息保护法》第四十七条，保存期满删除。",
    )


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _archive_page(request, *, form, household, resident=None):
    return render(
        request,
        "liaison/archive_form.html",
        {
            "form": form,
            "household": household,
            "resident": resident,
            "retention_years": retention.retention_years(),
        },
    )


@login_required
@permission_required("liaison.change_household", raise_exception=True)
def household_archive(request, pk: int):
    household = get_scoped_or_404(Household.objects.select_related("organisation"), request.user, pk=pk)
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retention.household_archive(
                user=request.user,
                household=household,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["archived_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, f"已归档：{household}。该户不再出现在列表、查询和导出中，可在“已归档”中查看和恢复。"
            )
            return redirect("household-detail", pk=household.pk)
    return _archive_page(request, form=form, household=household)


@login_required
@permission_required("liaison.change_household", raise_exception=True)
@require_POST
def household_restore(request, pk: int):
    household = get_scoped_or_404(Household.all_objects.all(), request.user, pk=pk)
    try:
        retention.household_restore(household=household)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已恢复：{household}")
    return redirect("household-detail", pk=household.pk)


@login_required
@permission_required("liaison.change_household", raise_exception=True)
def resident_archive(request, pk: int, resident_pk: int):
    household = get_scoped_or_404(Household.objects.select_related("organisation"), request.user, pk=pk)
    resident = get_scoped_or_404(
        Resident.objects.filter(household=household),
        request.user,
        via="household__organisation",
        pk=resident_pk,
    )
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retention.resident_archive(
                user=request.user,
                resident=resident,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["archived_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已归档家庭成员：{resident.name}")
            return redirect("household-detail", pk=household.pk)
    return _archive_page(request, form=form, household=household, resident=resident)


@login_required
@permission_required("liaison.change_household", raise_exception=True)
@require_POST
def resident_restore(request, pk: int, resident_pk: int):
    resident = get_scoped_or_404(
        Resident.all_objects.filter(household_id=pk),
        request.user,
        via="household__organisation",
        pk=resident_pk,
    )
    try:
        retention.resident_restore(resident=resident)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已恢复家庭成员：{resident.name}")
    return redirect("household-detail", pk=pk)


@login_required
@permission_required("liaison.view_household", raise_exception=True)
def archived_list(request):
    households = retention.archived_households(request.user)
    residents = retention.archived_residents(request.user)
    page = Paginator(households, settings.LIAISON_PAGE_SIZE).get_page(request.GET.get("page"))
    resident_page = Paginator(residents, settings.LIAISON_PAGE_SIZE).get_page(request.GET.get("rpage"))
    context = {
        "page": page,
        "resident_page": resident_page,
        "years": retention.retention_years(),
        "cutoff": retention.purge_cutoff(timezone.localdate()),
        "show_personal_data": can_see_personal_data(request.user),
    }
    if request.user.has_perm("liaison.purge_archived"):
        due_households, due_residents = retention.purgeable(request.user)
        context.update(
            purge_form=PurgeForm(),
            due_households=due_households.count(),
            due_residents=due_residents.count(),
        )
    return render(request, "liaison/archived_list.html", context)


@login_required
@permission_required("liaison.purge_archived", raise_exception=True)
@require_POST
def purge_due(request):
    """Everything in the user's scope that is past its retention period, with one logged reason."""
    form = PurgeForm(request.POST)
    if form.is_valid():
        households, residents = retention.purgeable(request.user)
        try:
            result = retention.purge(
                user=request.user,
                reason=form.cleaned_data["reason"],
                households=households,
                residents=residents,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                f"已永久删除 {len(result.households)} 户、{len(result.residents)} 名家庭成员（理由已记入操作记录）。",
            )
    else:
        messages.error(request, retention.PURGE_REASON_REQUIRED)
    return redirect("household-archived")


@login_required
@permission_required("liaison.purge_archived", raise_exception=True)
def household_purge(request, pk: int):
    household = get_scoped_or_404(
        Household.all_objects.filter(archived_on__isnull=False), request.user, pk=pk
    )
    form = PurgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retention.purge(user=request.user, reason=form.cleaned_data["reason"], households=[household])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已永久删除：{household}（理由已记入操作记录）。")
            return redirect("household-archived")
    return render(
        request,
        "liaison/purge_form.html",
        {
            "form": form,
            "household": household,
            "due": retention.purge_due(household.archived_on),
            "years": retention.retention_years(),
        },
    )
