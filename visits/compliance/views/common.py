"""What the compliance pages share: the township chosen for a drill-down."""

from __future__ import annotations

from django.http import Http404

from liaison.access.scoping import visible_organisations
from liaison.models import Organisation
from liaison.safeguards.ids import parse_id


def chosen_township(request) -> Organisation | None:
    """?township= among the user's townships; None when not given, 404 when not in scope."""
    raw = request.GET.get("township")
    if not raw:
        return None
    pk = parse_id(raw)
    township = (
        visible_organisations(request.user).filter(pk=pk, level=Organisation.Level.TOWNSHIP).first()
        if pk
        else None
    )
    if township is None:
        raise Http404("不在管辖范围内")
    return township
