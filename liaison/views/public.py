"""/public/ (no login): what the party organisations publish — the 三公开 of the reception days, and
whatever else a domain app registers in `liaison.panels.public_sections` (the commitments' 公示 …).

The page holds nothing of any resident or visitor, and nothing of the person looking at it (no name, no
messages, no CSRF token): the same page for everybody, so it may be cached (liaison.access.caching
leaves /public/ cacheable; here it says for how long). Organisations are chosen by township and then
village; each section gets the chosen organisation (None: the district and the townships)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from liaison.models import Organisation
from liaison.panels import public_sections
from liaison.safeguards.ids import parse_id

# Published times change rarely and are announced ahead: five minutes is fresh enough.
PUBLIC_MAX_AGE = 300
PUBLIC_LEVELS = (
    Organisation.Level.DISTRICT,
    Organisation.Level.TOWNSHIP,
    Organisation.Level.VILLAGE,
    Organisation.Level.COMMUNITY,
)
NOT_FOUND = "没有找到所选的党组织，下面显示全区的安排。"


@require_GET
def public_home(request):
    chosen = None
    notice = ""
    if "org" in request.GET:
        pk = parse_id(request.GET.get("org"))
        chosen = (
            Organisation.objects.filter(pk=pk, level__in=PUBLIC_LEVELS).select_related("parent").first()
            if pk
            else None
        )
        if chosen is None and request.GET.get("org"):
            notice = NOT_FOUND
    township = None
    if chosen is not None:
        township = chosen if chosen.level == Organisation.Level.TOWNSHIP else chosen.parent
        if township is not None and township.level != Organisation.Level.TOWNSHIP:
            township = None
    townships = Organisation.objects.filter(level=Organisation.Level.TOWNSHIP).order_by("path")
    villages = (
        Organisation.objects.filter(parent=township, level__in=Organisation.GRASSROOTS_LEVELS).order_by(
            "path"
        )
        if township is not None
        else Organisation.objects.none()
    )
    response = render(
        request,
        "liaison/public/home.html",
        {
            "chosen": chosen,
            "township": township,
            "townships": townships,
            "villages": villages,
            "notice": notice,
            "sections": public_sections.render(request, organisation=chosen),
        },
    )
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
