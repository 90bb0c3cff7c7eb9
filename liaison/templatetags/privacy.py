"""Personal data in templates, through the one display layer (liaison.access.privacy).

{% personal household "phone" %} prints the number as the request's viewer may read it (masked, or
full and noted for the access log); {% personal_changes opinion event.changes as rows %} gives the
history rows with the personal values masked."""

from __future__ import annotations

from django import template

from liaison.access import privacy

register = template.Library()


def _viewer(context) -> privacy.Viewer:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return privacy.viewer_for(user)


@register.simple_tag(takes_context=True)
def personal(context, record, name: str) -> str:
    if record is None:
        return ""
    return _viewer(context).show(record, name)


@register.simple_tag(takes_context=True)
def personal_changes(context, record, changes) -> list[tuple[str, str, str]]:
    return _viewer(context).show_changes(record, changes or [])


@register.filter
def mask_phone(value: str) -> str:
    return privacy.mask_phone(value or "")


@register.filter
def mask_id_number(value: str) -> str:
    return privacy.mask_id_number(value or "")
