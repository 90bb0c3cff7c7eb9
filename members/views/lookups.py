"""Search-as-you-type for the member and household pickers: scoped, at most 20 results, JSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Exists, OuterRef, Q
from django.http import JsonResponse

from liaison.access.privacy import number_search
from liaison.access.scoping import scoped
from liaison.models import Household, HouseholdTag
from liaison.safeguards.text import search_text
from liaison.text.pinyin import looks_like_initials, search_key
from members.forms import household_label, member_label
from members.scope import visible_members

LIMIT = 20


def _match(
    user,
    value: str,
    *,
    name: str,
    initials: str,
    phone: str,
    id_number: str = "",
    extra: tuple[str, ...] = (),
) -> Q:
    number = number_search(user, value)
    if number is not None:
        return number.q(phone=[phone], id_number=[id_number] if id_number else [])
    if looks_like_initials(value):
        return Q(**{f"{initials}__contains": search_key(value)})
    query = Q(**{f"{name}__contains": value})
    for field in extra:
        query |= Q(**{f"{field}__contains": value})
    return query


@login_required
@permission_required("members.view_partymember", raise_exception=True)
def member_lookup(request):
    value = search_text(request.GET.get("q"), limit=50)
    if not value:
        return JsonResponse({"results": []})
    members = (
        visible_members(request.user)
        .filter(
            _match(
                request.user,
                value,
                name="name",
                initials="name_initials",
                phone="phone",
                id_number="id_number",
            )
        )
        .select_related("organisation")
        .order_by("organisation__path", "name", "id")[:LIMIT]
    )
    return JsonResponse({"results": [{"id": m.pk, "label": member_label(m)} for m in members]})


@login_required
@permission_required("liaison.view_household", raise_exception=True)
def household_lookup(request):
    value = search_text(request.GET.get("q"), limit=50)
    if not value:
        return JsonResponse({"results": []})
    households = scoped(Household.objects.all(), request.user).filter(
        _match(
            request.user, value, name="head_name", initials="head_initials", phone="phone", extra=("address",)
        )
    )
    if request.GET.get("poor") == "1":
        households = households.filter(
            Exists(HouseholdTag.objects.filter(households=OuterRef("pk"), is_poor=True))
        )
    households = households.order_by("organisation__path", "sort_key", "id")[:LIMIT]
    return JsonResponse({"results": [{"id": h.pk, "label": household_label(h)} for h in households]})
