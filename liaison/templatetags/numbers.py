"""`{{ share|percent }}` or `{{ part|percent:whole }}`: liaison.text.numbers.percent in templates."""

from __future__ import annotations

from django import template

from liaison.text import numbers

register = template.Library()


@register.filter
def percent(part, whole=None) -> str:
    return numbers.percent(part, whole)
