from __future__ import annotations

from django import forms
from django.utils import timezone

from liaison.reports.scope import report_organisations

YEAR_RANGE = "年度应在 2000 至 2100 之间。"


class AnnualReportForm(forms.Form):
    """Which annual workbook: a unit the user may report on, and a year."""

    organisation = forms.TypedChoiceField(label="统计范围", coerce=int)
    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        error_messages={"min_value": YEAR_RANGE, "max_value": YEAR_RANGE, "invalid": YEAR_RANGE},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the values are read (one query); the 404 for a unit outside the subtree is the view's.
        self.fields["organisation"].choices = [
            (pk, "　" * max(depth - 1, 0) + (short or name))
            for pk, name, short, depth in report_organisations(user).values_list(
                "pk", "name", "short_name", "depth"
            )
        ]
        self.fields["organisation"].error_messages["invalid_choice"] = "请选择统计范围。"
        if user.organisation_id:
            self.initial.setdefault("organisation", user.organisation_id)
        self.initial.setdefault("year", timezone.localdate().year)
