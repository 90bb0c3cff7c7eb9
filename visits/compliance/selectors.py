"""Reads of terms, talks, stays and reports: scoped, filtered, with what the list shows joined in."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from visits.compliance import filters, scope
from visits.models import FieldResearch, ResearchReport, Talk, Term


def term_list(*, user, params=None) -> tuple[filters.TermFilter, QuerySet[Term]]:
    base = scope.visible_terms(user).select_related("organisation__parent", "created_by")
    term_filter = filters.TermFilter(params or None, queryset=base, user=user)
    return term_filter, term_filter.qs.order_by("organisation__path", "-elected_on", "-id")


def talk_list(*, user, year: int, params=None) -> tuple[filters.TalkFilter, QuerySet[Talk]]:
    base = scope.visible_talks(user).filter(talked_on__year=year).select_related("leader__organisation")
    talk_filter = filters.TalkFilter(params or None, queryset=base, user=user)
    return talk_filter, talk_filter.qs.order_by("-talked_on", "-id")


def talk_detail(*, user, pk: int) -> Talk:
    return get_object_or_404(
        scope.visible_talks(user).select_related("leader__organisation", "created_by"), pk=pk
    )


def research_list(*, user, year: int, params=None) -> tuple[filters.ResearchFilter, QuerySet[FieldResearch]]:
    base = (
        scope.visible_research(user)
        .filter(started_on__year=year)
        .select_related("leader__organisation", "village__parent")
    )
    research_filter = filters.ResearchFilter(params or None, queryset=base, user=user)
    return research_filter, research_filter.qs.order_by("-started_on", "-id")


def research_detail(*, user, pk: int) -> FieldResearch:
    return get_object_or_404(
        scope.visible_research(user).select_related("leader__organisation", "village__parent", "created_by"),
        pk=pk,
    )


def report_list(*, user, year: int, params=None) -> tuple[filters.ReportFilter, QuerySet[ResearchReport]]:
    base = scope.visible_reports(user).filter(year=year).select_related("author__organisation", "created_by")
    report_filter = filters.ReportFilter(params or None, queryset=base, user=user)
    return report_filter, report_filter.qs.order_by("-submitted_on", "-id")
