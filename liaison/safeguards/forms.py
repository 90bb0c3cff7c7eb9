"""The base of every form in the project: each field is guarded the same way, so no form can forget.

`GuardedForm` and `GuardedModelForm` (or `GuardedFormMixin` in front of any other form class) apply,
field by field, when the form is built:
- text: no control characters or NUL (`text.CONTAINS_CONTROL`), and a length limit on boxes that have
  none of their own (`text.TEXT_LIMIT`);
- any field (a checkbox, a choice, a hidden token): a posted value holding control characters is
  refused next to the field, whatever the field would have made of it;
- a model choice (a picker): an id the database cannot hold (99999999999999999999999) is an invalid
  choice, not an OverflowError;
- a date: its plausible range (`dates.RANGES`): the model field's own `PlausibleDate`, else the
  form's `date_ranges[name]`, else "any";
- a whole number without a maximum: at most what the database stores.
A test walks every form class of every app and fails for one that does not inherit it.
"""

from __future__ import annotations

import functools

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator

from liaison.safeguards.dates import PlausibleDate
from liaison.safeguards.ids import MAX_ID, parse_id
from liaison.safeguards.text import (
    CONTAINS_CONTROL,
    TEXT_LIMIT,
    TOO_LONG,
    has_control_characters,
    validate_no_control_characters,
)

INVALID_CHOICE = "所选项不存在或不在您的管辖范围内。"
NUMBER_TOO_LARGE = "数值过大。"
_INTEGER_PKS = ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField")


def _integer_pk(field: forms.ModelChoiceField) -> bool:
    if field.to_field_name:
        return field.queryset.model._meta.get_field(field.to_field_name).get_internal_type() in _INTEGER_PKS
    return field.queryset.model._meta.pk.get_internal_type() in _INTEGER_PKS


def _refuse(field: forms.Field) -> ValidationError:
    return ValidationError(field.error_messages.get("invalid_choice", INVALID_CHOICE), code="invalid_choice")


def _guard_model_choice(field: forms.ModelChoiceField) -> None:
    """Ids are checked before they reach the database (SQLite cannot even hold them in a query)."""
    if not _integer_pk(field):
        return
    if isinstance(field, forms.ModelMultipleChoiceField):
        check_values = field._check_values

        @functools.wraps(check_values)
        def guarded_check_values(value):
            try:
                values = list(value)
            except TypeError:
                values = [value]
            if any(not isinstance(v, field.queryset.model) and parse_id(v) is None for v in values):
                raise _refuse(field)
            return check_values(value)

        field._check_values = guarded_check_values
        return
    to_python = field.to_python

    @functools.wraps(to_python)
    def guarded_to_python(value):
        if value in field.empty_values or isinstance(value, field.queryset.model):
            return to_python(value)
        if parse_id(value) is None:
            raise _refuse(field)
        return to_python(value)

    field.to_python = guarded_to_python


def _model_field(form: forms.BaseForm, name: str):
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # a form-only field
        return None


def guard_fields(form: forms.BaseForm) -> None:
    """Guard each field once; run when the form is built and again before it is cleaned, so a field
    a form's __init__ replaces after the base class's (a scoped picker) is guarded too."""
    date_ranges: dict[str, str] = getattr(form, "date_ranges", {})
    for name, field in form.fields.items():
        if getattr(field, "_guarded", False):
            continue
        field._guarded = True
        if isinstance(field, forms.UUIDField):
            continue  # a token: parsed as a UUID or refused; control characters are caught below
        if isinstance(field, forms.CharField):
            if validate_no_control_characters not in field.validators:
                field.validators.append(validate_no_control_characters)
            if field.max_length is None:
                field.max_length = TEXT_LIMIT
                field.validators.append(MaxLengthValidator(TEXT_LIMIT, TOO_LONG.format(limit=TEXT_LIMIT)))
                field.widget.attrs.setdefault("maxlength", str(TEXT_LIMIT))
        elif isinstance(field, forms.ModelChoiceField):
            _guard_model_choice(field)
        elif isinstance(field, forms.DateField):
            model_field = _model_field(form, name)
            own = [v for v in getattr(model_field, "validators", []) if isinstance(v, PlausibleDate)]
            if not own and not any(isinstance(v, PlausibleDate) for v in field.validators):
                field.validators.append(PlausibleDate(date_ranges.get(name, "any")))
        elif isinstance(field, forms.IntegerField) and field.max_value is None:
            field.max_value = MAX_ID
            field.validators.append(MaxValueValidator(MAX_ID, NUMBER_TOO_LARGE))


def _raw_values(form: forms.BaseForm, name: str) -> list[object]:
    key = form.add_prefix(name)
    data = form.data
    if hasattr(data, "getlist"):
        return list(data.getlist(key))
    value = data.get(key)
    return list(value) if isinstance(value, (list, tuple)) else [value]


class GuardedFormMixin:
    """Put in front of a form class: see the module docstring."""

    # name → key of liaison.safeguards.dates.RANGES, for date fields a model does not already range.
    date_ranges: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        guard_fields(self)

    def full_clean(self) -> None:
        guard_fields(self)
        super().full_clean()
        if not self.is_bound or self.empty_permitted and not self.has_changed():
            return
        for name in self.fields:
            if name in self._errors:
                continue
            if any(isinstance(v, str) and has_control_characters(v) for v in _raw_values(self, name)):
                self.add_error(name, CONTAINS_CONTROL)


class GuardedForm(GuardedFormMixin, forms.Form):
    pass


class GuardedModelForm(GuardedFormMixin, forms.ModelForm):
    pass
