"""Terms, meetings, talks, stays and reports in the admin: for support; the work is done under /visits/."""

from __future__ import annotations

from django.contrib import admin

from visits.models import AnalysisMeeting, FieldResearch, ResearchReport, Talk, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["organisation", "name", "elected_on", "ends_on"]
    raw_id_fields = ["organisation", "created_by"]
    list_select_related = ["organisation"]


@admin.register(AnalysisMeeting)
class AnalysisMeetingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "organisation", "host"]
    raw_id_fields = ["organisation", "host", "attendees", "opinions", "visits", "created_by"]
    list_select_related = ["organisation", "host"]
    date_hierarchy = "held_on"


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    list_display = ["talked_on", "leader", "form", "counterpart"]
    list_filter = ["form"]
    raw_id_fields = ["leader", "created_by"]
    list_select_related = ["leader"]
    date_hierarchy = "talked_on"


@admin.register(FieldResearch)
class FieldResearchAdmin(admin.ModelAdmin):
    list_display = ["started_on", "ended_on", "days", "leader", "village", "topic"]
    raw_id_fields = ["leader", "village", "created_by"]
    list_select_related = ["leader", "village"]
    date_hierarchy = "started_on"


@admin.register(ResearchReport)
class ResearchReportAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "author", "file_kind", "file_size"]
    raw_id_fields = ["author", "created_by"]
    list_select_related = ["author"]
    readonly_fields = ["file", "file_kind", "file_name", "file_size"]

    def has_add_permission(self, request) -> bool:
        return False  # uploads go through /visits/research/reports/new/, which checks the file's content
