from __future__ import annotations

from django import template

from liaison.access import privacy
from liaison.text.numbers import plain_number

register = template.Library()


@register.filter
def number(value) -> str:
    return plain_number(value)


@register.simple_tag(takes_context=True)
def member_phone(context, member) -> str:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    return privacy.shown_phone(user, member.phone or "")


@register.simple_tag(takes_context=True)
def member_id_number(context, member) -> str:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    return privacy.shown_id_number(user, member.id_number or "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key, []) if mapping else []
