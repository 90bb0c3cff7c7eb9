"""Template helpers for the print layout of static/print/print.css (flowing forms, 续页)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def css_string(value: object) -> str:
    """A CSS string literal, for `string-set` in a style attribute (autoescaping then quotes it)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{text}"'


@register.inclusion_tag("print/part_start.html")
def part_start(continued: str) -> dict:
    """Start of a flowing part: its pages after the first are headed `continued`, and every page
    but its last ends with "（转下页）" (static/print/print.css, "Flowing forms")."""
    return {"continued": continued}
