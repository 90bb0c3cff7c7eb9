from __future__ import annotations

from django import template

from liaison.access import privacy
from liaison.text.numbers import plain_number

register = template.Library()


# 2.00 → 2, 500.50 → 500.5: quota numbers and money as people write them.
register.filter("number", plain_number)


def _viewer(context) -> privacy.Viewer:
    user = getattr(context.get("request"), "user", None) or context.get("user")
    return privacy.viewer_for(user)


@register.simple_tag(takes_context=True)
def member_phone(context, member) -> str:
    return _viewer(context).show(member, "phone")


@register.simple_tag(takes_context=True)
def member_id_number(context, member) -> str:
    return _viewer(context).show(member, "id_number")


@register.filter
def get_item(mapping, key):
    return mapping.get(key, []) if mapping else []
