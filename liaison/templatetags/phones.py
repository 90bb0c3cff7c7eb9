"""`{{ number|phone_link }}`: a number shown in full becomes a tap-to-call link; a masked one stays text.

A masked number (138****1234) must never become a link: the link would carry the masked digits, and
a role that may not see the number has no business calling it from here either.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html

register = template.Library()

DIALLABLE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")


def tel_href(value: str) -> str | None:
    """ "023-6623 1234" → "tel:02366231234"; None when the text is masked or not a number."""
    value = (value or "").strip()
    if "*" in value or not DIALLABLE.match(value):
        return None
    return "tel:" + re.sub(r"[ \-]", "", value)


@register.filter
def phone_link(value) -> str:
    href = tel_href(str(value or ""))
    if href is None:
        return value or ""
    return format_html('<a class="tel-link" href="{}">{}</a>', href, value)
