from __future__ import annotations

from django import template

from liaison.access import privacy

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    return privacy.mask_phone(value or "")


@register.filter
def mask_id_number(value: str) -> str:
    return privacy.mask_id_number(value or "")
