from __future__ import annotations

from django import template

from liaison.access import privacy
from liaison.text.numbers import plain_number

register = template.Library()


# 2.00 → 2, 500.50 → 500.5: quota numbers and money as people write them.
register.filter("number", plain_number)


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
