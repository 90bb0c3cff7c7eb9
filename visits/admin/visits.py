"""Visits and 五必访 events in the admin: read-mostly, for support (the snapshot is the visit's own)."""

from __future__ import annotations

from django.contrib import admin

from liaison.formsets import CappedTabularInline
from visits.models import MustVisitEvent, Visit, VisitImport, VisitMember


class VisitMemberInline(CappedTabularInline):
    max_num = 50
    model = VisitMember
    extra = 0
    fields = ["position", "name", "relation", "gender", "age", "occupation", "is_away", "away_location"]
    raw_id_fields = ["resident"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "organisation", "head_name", "visitor", "handling"]
    list_filter = ["handling"]
    search_fields = ["head_name", "visitor__name"]
    list_select_related = ["organisation", "visitor"]
    raw_id_fields = ["organisation", "household", "visitor", "pairing", "event", "opinion", "created_by"]
    date_hierarchy = "visited_on"
    inlines = [VisitMemberInline]


@admin.register(VisitMember)
class VisitMemberAdmin(admin.ModelAdmin):
    list_display = ["visit", "position", "name", "relation", "age"]
    raw_id_fields = ["visit", "resident"]
    list_select_related = ["visit"]


@admin.register(MustVisitEvent)
class MustVisitEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "organisation", "household", "kind"]
    list_filter = ["kind"]
    raw_id_fields = ["organisation", "household", "created_by"]
    list_select_related = ["organisation", "household"]
    date_hierarchy = "occurred_on"


@admin.register(VisitImport)
class VisitImportAdmin(admin.ModelAdmin):
    """The Excel imports of visits: who uploaded which file, and what it wrote (read-only: the import
    pages do the work)."""

    list_display = [
        "created_at",
        "user",
        "organisation",
        "filename",
        "status",
        "rows",
        "visits_created",
        "visits_existing",
        "opinions_created",
    ]
    list_filter = ["status"]
    list_select_related = ["user", "organisation"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
