"""设岗定责: the post catalogue with its holders."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from members.models import Post, PostAssignment
from members.scope import visible_posts


def _holders() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=PostAssignment.objects.filter(end_date__isnull=True)
        .select_related("member__organisation")
        .order_by("member__name", "id"),
        to_attr="current_assignments",
    )


def post_list(*, user, organisation=None) -> QuerySet[Post]:
    queryset = visible_posts(user)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return (
        queryset.select_related("organisation")
        .prefetch_related(_holders())
        .order_by("organisation__path", "-is_active", "name", "id")
    )


def post_detail(*, user, pk: int) -> Post:
    assignments = (
        PostAssignment.objects.select_related("member__organisation")
        .prefetch_related("reports")
        .order_by("end_date", "member__name", "id")
    )
    return get_object_or_404(
        visible_posts(user)
        .select_related("organisation")
        .prefetch_related(Prefetch("assignments", queryset=assignments)),
        pk=pk,
    )
