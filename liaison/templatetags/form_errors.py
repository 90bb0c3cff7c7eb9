"""`{% form_error_summary form formset … %}`: every error of a submission at the top of the page, each
linked to its field — on a phone the first error may be screens below. One include for every form page
(templates/includes/form_errors.html); static/js/app.js moves the focus to it when the page loads."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class Problem:
    message: str
    label: str = ""
    anchor: str = ""


def _anchor(field: forms.BoundField) -> str:
    # Radio buttons and checkbox lists label no single input: point at the first one.
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")


def _problems(form: forms.BaseForm, prefix: str = "") -> list[Problem]:
    found = [Problem(f"{prefix}{e}") for e in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            if field.is_hidden:
                found.append(Problem(f"{prefix}{error}"))
            else:
                found.append(Problem(str(error), f"{prefix}{field.label}", _anchor(field)))
    return found


def problems_of(*forms_and_formsets) -> list[Problem]:
    found: list[Problem] = []
    for item in forms_and_formsets:
        if item is None or item == "" or not getattr(item, "is_bound", False):
            continue
        if isinstance(item, forms.BaseFormSet):
            found += [Problem(str(e)) for e in item.non_form_errors()]
            label = getattr(item, "row_label", "第 {n} 行")
            for n, form in enumerate(item.forms, start=1):
                found += _problems(form, prefix=label.format(n=n) + " · ")
        else:
            found += _problems(item)
    return found


@register.inclusion_tag("includes/form_errors.html")
def form_error_summary(*forms_and_formsets) -> dict:
    return {"problems": problems_of(*forms_and_formsets)}
