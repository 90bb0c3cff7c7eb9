"""Flag text that no print font can draw, where it is typed and where it is read.

A name such as 𠮷 (CJK Extension B) is stored intact; the shipped GBK font cannot draw it and the
fallback font (fonts-hanazono) may be missing, or the character may be beyond it (Extension G …).
The record is saved all the same — the text is right, only the printer cannot draw it — so this is a
warning, never a validation error: a note under the field, a message after saving, and the PDF's own
note (liaison.documents.pdf).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.utils.html import format_html

from liaison.documents.fontcheck import describe, missing_glyphs

UNPRINTABLE_FIELD = "含有打印字库没有的字：{chars}。照常保存，但打印件上此处为空白或方框，请手工补写。"
UNPRINTABLE_SAVED = "“{labels}”含有打印字库没有的字：{chars}。已照常保存；打印件上会注明，请手工补写。"


def _text_value(form: forms.BaseForm, name: str) -> str:
    if form.is_bound:
        value = form.data.get(form.add_prefix(name), "")
    else:
        value = form.initial.get(name, form.fields[name].initial)
    return value if isinstance(value, str) else ""


class UnprintableTextWarningMixin:
    """A form whose text fields are printed: each field holding an unprintable character says so.

    The warning is added to the field's help text, so every way of rendering the field (crispy or
    plain) shows it next to the field; ``unprintable`` maps field names to their characters.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unprintable: dict[str, set[str]] = {}
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or field.widget.is_hidden:
                continue
            chars = missing_glyphs(_text_value(self, name))
            if chars:
                self.unprintable[name] = chars
                warning = format_html(
                    '<span class="text-warning-emphasis fw-semibold" data-unprintable>⚠ {}</span>',
                    UNPRINTABLE_FIELD.format(chars=describe(chars)),
                )
                field.help_text = (
                    format_html("{}<br>{}", field.help_text, warning) if field.help_text else warning
                )


def warn_unprintable(request, forms_: Iterable[forms.BaseForm]) -> None:
    """After a save: one message naming the fields and the characters that will not print."""
    labels: list[str] = []
    chars: set[str] = set()
    for form in forms_:
        for name, missing in getattr(form, "unprintable", {}).items():
            labels.append(str(form.fields[name].label))
            chars |= missing
    if chars:
        messages.warning(
            request,
            UNPRINTABLE_SAVED.format(labels="”“".join(dict.fromkeys(labels)), chars=describe(chars)),
        )
