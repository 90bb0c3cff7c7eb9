"""Configuration the organisation department owns: the quota rules (DESIGN.md "Quotas are data") and the
statutory work calendar the 1234 deadlines are counted on."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from liaison import workcal
from liaison.models import QuotaRule, WorkCalendarYear


class QuotaRuleForm(forms.ModelForm):
    class Meta:
        model = QuotaRule
        fields = ["minimum", "source", "notes"]
        error_messages = {"minimum": {"min_value": "最低要求不能为负数。"}}


@login_required
@permission_required("liaison.view_quotarule", raise_exception=True)
def quota_list(request):
    return render(request, "liaison/quota_list.html", {"rules": QuotaRule.objects.all()})


@login_required
@permission_required("liaison.change_quotarule", raise_exception=True)
def quota_edit(request, pk: int):
    rule = get_object_or_404(QuotaRule, pk=pk)
    form = QuotaRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已修改：{rule}")
        return redirect("quota-list")
    return render(request, "liaison/quota_form.html", {"form": form, "rule": rule})


# --- the statutory work calendar (法定节假日与调休) ---------------------------------------------------

CALENDAR_YEAR_EXISTS = "{year}年已经录入，请在该年度页面修改。"


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source = forms.CharField(
        label="依据", max_length=300, help_text="国务院办公厅关于该年部分节假日安排的通知，注明文号"
    )
    notes = forms.CharField(label="说明", max_length=300, required=False)
    days = forms.CharField(
        label="放假和调休上班日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace", "spellcheck": "false"}),
        help_text="每行一项：“2027-10-01 至 2027-10-07 休 国庆节”或“2027-09-26 班 国庆节调休”。"
        "未列出的日子按常规：周一至周五上班，周六、周日休息。",
    )

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["year"].disabled = True

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not self.editing and WorkCalendarYear.objects.filter(year=year).exists():
            raise forms.ValidationError(CALENDAR_YEAR_EXISTS.format(year=year))
        return year

    def clean(self) -> dict:
        cleaned = super().clean()
        if "year" in cleaned:
            try:
                cleaned["entries"] = workcal.parse_days(cleaned.get("days", ""), year=cleaned["year"])
            except forms.ValidationError as exc:
                self.add_error("days", exc)
        return cleaned


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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = workcal.save_year(
            year=data["year"],
            source=data["source"],
            notes=data["notes"],
            entries=data["entries"],
            user=request.user,
        )
        messages.success(
            request, f"已保存{saved.year}年的工作日历，共 {len(data['entries'])} 天放假或调休上班。"
        )
        return redirect("calendar-year", year=saved.year)
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
