"""Member list and member page."""

from __future__ import annotations

import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from liaison.models import Organisation
from liaison.quotas import quota_rule
from liaison.rules import quota_met
from members.filters import MemberFilter
from members.models import (
    LiaisonPoint,
    Pairing,
    PairingMember,
    PartyMember,
    Position,
    PostAssignment,
    UnitPairing,
)
from members.scope import visible_members, visible_pairings, visible_points


def current_positions_prefetch(today: datetime.date) -> Prefetch:
    current = (
        Position.objects.filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("organisation")
        .order_by("role", "organisation__path")
    )
    return Prefetch("positions", queryset=current, to_attr="current_positions")


def active_pairing_count() -> Coalesce:
    """Active pairings of the member, as a correlated subquery (no row multiplication in the list)."""
    counts = (
        PairingMember.objects.filter(member=OuterRef("pk"), pairing__status=Pairing.Status.ACTIVE)
        .values("member")
        .annotate(n=Count("pairing"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def member_list(*, user, filters: dict | None = None) -> tuple[MemberFilter, QuerySet[PartyMember]]:
    today = timezone.localdate()
    base = (
        visible_members(user)
        .select_related("organisation")
        .annotate(pairing_count=active_pairing_count())
        .prefetch_related(
            current_positions_prefetch(today),
            Prefetch(
                "post_assignments",
                queryset=PostAssignment.objects.filter(end_date__isnull=True).select_related("post"),
                to_attr="current_posts",
            ),
        )
        .order_by("organisation__path", "name", "id")
    )
    member_filter = MemberFilter(filters or None, queryset=base, user=user)
    return member_filter, member_filter.qs


def member_detail(*, user, pk: int) -> PartyMember:
    today = timezone.localdate()
    queryset = visible_members(user).select_related("organisation__parent", "household__organisation", "user")
    member = get_object_or_404(queryset.prefetch_related(current_positions_prefetch(today)), pk=pk)
    member.all_positions = list(member.positions.select_related("organisation").order_by("-start_date", "id"))
    return member


def member_pairings(*, user, member: PartyMember) -> list[Pairing]:
    return list(
        visible_pairings(user)
        .filter(memberships__member=member)
        .select_related("household__organisation")
        .prefetch_related(Prefetch("members", queryset=PartyMember.objects.select_related("organisation")))
        .order_by("status", "-start_date", "-id")
    )


def member_points(*, user, member: PartyMember) -> list[LiaisonPoint]:
    year = timezone.localdate().year
    return list(
        visible_points(user)
        .filter(leader=member)
        .select_related("organisation")
        .annotate(contacts_this_year=Count("contacts", filter=Q(contacts__date__year=year)))
        .order_by("ended_on", "started_on")
    )


def member_posts(*, member: PartyMember) -> list[PostAssignment]:
    return list(
        member.post_assignments.select_related("post__organisation")
        .prefetch_related("reports")
        .order_by("end_date", "-start_date")
    )


def member_unit_pairings(*, member: PartyMember) -> list[UnitPairing]:
    return list(
        UnitPairing.objects.filter(Q(members=member) | Q(target_member=member))
        .select_related("helper_organisation", "target_organisation", "target_household")
        .distinct()
    )


def township_leader_quota(*, member: PartyMember, active_households: int) -> dict | None:
    """002 二 “乡党政领导班子成员每人结对联系2户以上困难群众”: shown for a current township leader."""
    leads_township = any(
        p.organisation.level == Organisation.Level.TOWNSHIP and p.role in Position.LEADERSHIP_ROLES
        for p in member.current_positions
    )
    if not leads_township:
        return None
    rule = quota_rule("households-paired-township-leader")
    return {"rule": rule, "achieved": active_households, "met": quota_met(active_households, rule.minimum)}
