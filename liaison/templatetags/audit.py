"""`{% audit_history record %}`: the record's history on its page (liaison.audit.history)."""

from __future__ import annotations

from django import template

from liaison.audit.history import record_history

register = template.Library()


@register.inclusion_tag("liaison/includes/history.html", takes_context=True)
def audit_history(context, record, title: str = "修改记录"):
    user = context["request"].user
    return {"history": record_history(user=user, record=record), "title": title}
