"""Configuration the organisation department owns: the quota rules (DESIGN.md "Quotas are data") and the
statutory work calendar the 1234 deadlines are counted on."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from liaison import quotas, services, workcal
from liaison.forms import CalendarYearForm, LocalQuotaRuleForm, QuotaRuleForm
from liaison.models import QuotaRule, QuotaRuleChange, WorkCalendarYear
from liaison.safeguards.saving import open_page
from liaison.text.numbers import plain_number
from liaison.views.helpers import submit


@login_required
@permission_required("liaison.view_quotarule", raise_exception=True)
def quota_list(request):
    """The rules in force today, or at the end of a chosen year (?year=2026: what that year is judged by)."""
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"))
    day = quotas.as_of(year=year) if year and year != today.year else today
    years = sorted(
        {today.year, *(d.year for d in QuotaRuleChange.objects.dates("effective_from", "year"))}, reverse=True
    )
    return render(
        request,
        "liaison/quota_list.html",
        {"rules": quotas.rules_in_force(day), "day": day, "year": year or today.year, "years": years},
    )


def parse_year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 2000 <= year <= timezone.localdate().year + 10 else None


@login_required
@permission_required("liaison.view_quotarule", raise_exception=True)
def quota_history(request, pk: int):
    """Every change of a rule (who, when, old → new, from which date), and the localities' own rules."""
    rule = get_object_or_404(QuotaRule.all_rules.select_related("organisation"), pk=pk)
    family = list(
        QuotaRule.all_rules.filter(code=rule.code)
        .select_related("organisation")
        .order_by("organisation__path")
    )
    changes = (
        QuotaRuleChange.objects.filter(rule__code=rule.code)
        .select_related("changed_by", "rule__organisation")
        .order_by("-changed_at", "-id")
    )
    local_form = None
    if request.user.has_perm("liaison.change_quotarule") and rule.organisation_id is None:
        local_form = LocalQuotaRuleForm(user=request.user, initial={"source": "", "minimum": rule.minimum})
        open_page(local_form, None)
    return render(
        request,
        "liaison/quota_history.html",
        {"rule": rule, "family": family, "changes": changes, "local_form": local_form},
    )


@login_required
@permission_required("liaison.change_quotarule", raise_exception=True)
def quota_edit(request, pk: int):
    rule = get_object_or_404(QuotaRule.all_rules.select_related("organisation"), pk=pk)
    form = QuotaRuleForm(request.POST or None, instance=rule)
    if response := submit(
        request,
        form,
        lambda: services.quota_rule_change(
            user=request.user,
            rule=rule.pk,
            minimum=form.cleaned_data["minimum"],
            source=form.cleaned_data["source"],
            notes=form.cleaned_data["notes"],
            effective_from=form.cleaned_data["effective_from"],
        ),
        success=lambda change: (
            f"已修改：{rule.name}（{rule.subject}），自 {change.effective_from:%Y-%m-%d} 起为 "
            f"{plain_number(change.new_minimum)} {rule.unit}；此前仍按 {plain_number(change.old_minimum)} {rule.unit} 考核。"
        ),
        then=lambda _: redirect("quota-history", pk=rule.pk),
        record=rule,
    ):
        return response
    return render(
        request,
        "liaison/quota_form.html",
        {"form": form, "rule": rule, "earliest": services.earliest_effective_date(rule)},
    )


@login_required
@permission_required("liaison.change_quotarule", raise_exception=True)
def quota_local_create(request, pk: int):
    """A locality's own rule, from the rule's history page."""
    rule = get_object_or_404(QuotaRule, pk=pk)  # a general rule
    form = LocalQuotaRuleForm(request.POST or None, user=request.user)
    if response := submit(
        request,
        form,
        lambda: services.quota_rule_localise(user=request.user, rule=rule.pk, **form.cleaned_data),
        success=lambda local: f"已为{local.organisation.display_name}设置自己的规则：{local}。",
        then=lambda local: redirect("quota-history", pk=local.pk),
        record=None,
    ):
        return response
    return render(request, "liaison/quota_local_form.html", {"form": form, "rule": rule})


# --- the statutory work calendar (法定节假日与调休) ---------------------------------------------------


@login_required
@permission_required("liaison.view_workcalendaryear", raise_exception=True)
def calendar_list(request):
    years = WorkCalendarYear.objects.annotate(
        holidays=Count("days", filter=Q(days__is_workday=False)),
        workdays=Count("days", filter=Q(days__is_workday=True)),
    ).order_by("-year")
    known = {year.year for year in years}
    return render(
        request,
        "liaison/calendar_list.html",
        {
            "years": years,
            "missing_years": workcal.missing_years_warning(timezone.localdate()),
            "importable": sorted(set(workcal.package_years()) - known, reverse=True),
        },
    )


@login_required
@permission_required("liaison.view_workcalendaryear", raise_exception=True)
def calendar_year(request, year: int):
    calendar_year = get_object_or_404(WorkCalendarYear.objects.select_related("updated_by"), year=year)
    days = list(calendar_year.days.all())
    exceptions = {day.date: day for day in days}
    months = [(month, workcal.month_grid(year, month, exceptions)) for month in range(1, 13)]
    return render(
        request,
        "liaison/calendar_year.html",
        {"calendar_year": calendar_year, "lines": workcal.format_days(days).splitlines(), "months": months},
    )


def _calendar_form_page(request, form: CalendarYearForm, calendar_year: WorkCalendarYear | None):
    if response := submit(
        request,
        form,
        lambda: workcal.save_year(
            year=form.cleaned_data["year"],
            source=form.cleaned_data["source"],
            notes=form.cleaned_data["notes"],
            entries=form.cleaned_data["entries"],
            user=request.user,
        ),
        success=lambda saved: (
            f"已保存{saved.year}年的工作日历，共 {len(form.cleaned_data['entries'])} 天放假或调休上班。"
        ),
        then=lambda saved: redirect("calendar-year", year=saved.year),
        record=calendar_year,
        parts=("days",),  # a calendar year is its source, notes and its days
        repeated=lambda _: redirect("calendar-list"),
    ):
        return response
    return render(request, "liaison/calendar_form.html", {"form": form, "calendar_year": calendar_year})


@login_required
@permission_required("liaison.add_workcalendaryear", raise_exception=True)
def calendar_create(request):
    initial = {}
    wanted = request.GET.get("year", "")
    if wanted.isdigit() and int(wanted) in workcal.package_years():
        year = int(wanted)
        initial = {
            "year": year,
            "source": workcal.package_source(year),
            "days": workcal.format_days(workcal.package_entries(year)),
        }
    elif wanted.isdigit():
        initial = {
            "year": int(wanted),
            "source": f"国务院办公厅关于{wanted}年部分节假日安排的通知（国办发明电〔　〕　号）",
        }
    form = CalendarYearForm(request.POST or None, initial=initial)
    return _calendar_form_page(request, form, None)


@login_required
@permission_required("liaison.change_workcalendaryear", raise_exception=True)
def calendar_edit(request, year: int):
    calendar_year = get_object_or_404(WorkCalendarYear, year=year)
    initial = {
        "year": year,
        "source": calendar_year.source,
        "notes": calendar_year.notes,
        "days": workcal.format_days(calendar_year.days.all()),
    }
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        data["year"] = str(year)  # disabled field: the year of the page, whatever is posted
    form = CalendarYearForm(data, initial=initial, editing=True)
    return _calendar_form_page(request, form, calendar_year)
