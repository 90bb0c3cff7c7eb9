"""Inline formsets with a hard cap on their rows.

Django builds one form per row the POST claims in ``<prefix>-TOTAL_FORMS`` (up to ``absolute_max``,
2,000 by default), so a forged ``TOTAL_FORMS=10000000`` cost tens of seconds per request. Every formset
here is built by ``capped_inline_formset``: ``absolute_max == max_num`` bounds the forms Django
constructs, and ``validate_max`` answers a forged or overlong POST with a Chinese message instead.
"""

from __future__ import annotations

from django.contrib import admin
from django.forms import BaseInlineFormSet, inlineformset_factory

TOO_MANY_ROWS = "最多只能填写 %(num)d 行，请删去多余的行后再保存。"


class CappedInlineFormSet(BaseInlineFormSet):
    default_error_messages = {**BaseInlineFormSet.default_error_messages, "too_many_forms": TOO_MANY_ROWS}


def capped_inline_formset(parent_model, model, *, max_num: int, formset=CappedInlineFormSet, **kwargs):
    """``inlineformset_factory`` with at most ``max_num`` rows, refused (not truncated) beyond it."""
    if not issubclass(formset, CappedInlineFormSet):
        raise TypeError(f"{formset.__name__} must derive from CappedInlineFormSet")
    return inlineformset_factory(
        parent_model,
        model,
        formset=formset,
        max_num=max_num,
        absolute_max=max_num,
        validate_max=True,
        **kwargs,
    )


class CappedTabularInline(admin.TabularInline):
    """An admin inline that, like the pages' formsets, builds at most ``max_num`` rows from a POST."""

    max_num = 200

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.get_max_num(request, obj, **kwargs) or self.max_num)
        return super().get_formset(request, obj, **kwargs)
