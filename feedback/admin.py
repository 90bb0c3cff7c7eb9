"""Admin: read-mostly views for support; the pages under /opinions/ are where work is done."""

from __future__ import annotations

from django.contrib import admin

from feedback.models import (
    Assignment,
    CaseOwnership,
    Extension,
    Opinion,
    OpinionEvent,
    Reception,
    ReceptionSession,
    Reminder,
    Transfer,
    Urge,
)
from liaison.formsets import CappedTabularInline


class AssignmentInline(CappedTabularInline):
    max_num = 50
    model = Assignment
    extra = 0
    fields = ["year", "number", "unit", "role", "issued_on", "due_date", "received_by", "received_on"]
    readonly_fields = ["year", "number"]
    raw_id_fields = ["unit"]


class EventInline(CappedTabularInline):
    max_num = 2000
    model = OpinionEvent
    extra = 0
    fields = ["at", "user", "kind", "from_state", "to_state", "old_due_date", "new_due_date", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "organisation",
        "received_on",
        "reporter_name",
        "subject",
        "category",
        "due_date",
        "state",
    ]
    list_filter = ["state", "category", "channel"]
    search_fields = ["reporter_name", "subject"]
    list_select_related = ["organisation"]

    @admin.display(description="编号", ordering=("year", "number"))
    def number(self, obj: Opinion) -> str:
        return obj.number_display

    raw_id_fields = ["organisation", "responsible", "handler"]
    readonly_fields = [
        "year",
        "number",
        "original_due_date",
        "due_date",
        "due_date_provisional",
        "state",
        "version",
    ]
    inlines = [AssignmentInline, EventInline]
    show_full_result_count = False
    date_hierarchy = "received_on"


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "opinion", "unit", "role", "issued_on", "due_date", "received_on"]
    list_filter = ["role", "year"]
    raw_id_fields = ["opinion", "unit", "issuing_organisation"]
    readonly_fields = ["year", "number"]
    list_select_related = ["opinion", "unit"]


@admin.register(OpinionEvent)
class OpinionEventAdmin(admin.ModelAdmin):
    """The history is written by the services; here it is read only."""

    list_display = ["opinion", "at", "user", "kind", "from_state", "to_state", "old_due_date", "new_due_date"]
    list_filter = ["kind"]
    list_select_related = ["opinion", "user"]
    raw_id_fields = ["opinion"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Urge)
class UrgeAdmin(admin.ModelAdmin):
    list_display = ["opinion", "kind", "urged_by", "urged_at", "answered_at"]
    raw_id_fields = ["opinion"]
    list_select_related = ["opinion", "urged_by"]


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["opinion", "previous_due_date", "requested_due_date", "status", "decided_by"]
    list_filter = ["status"]
    raw_id_fields = ["opinion"]


@admin.register(CaseOwnership)
class CaseOwnershipAdmin(admin.ModelAdmin):
    list_display = ["opinion", "leader_name", "leader_title", "started_on"]
    raw_id_fields = ["opinion"]


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    """转报上级: both receipts and both due dates, as the opinion's history keeps them."""

    list_display = [
        "opinion",
        "from_organisation",
        "to_organisation",
        "transferred_on",
        "previous_due_date",
        "received_on",
        "due_date",
    ]
    list_select_related = ["opinion", "from_organisation", "to_organisation"]
    raw_id_fields = ["opinion", "transferred_by"]
    date_hierarchy = "transferred_on"


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["opinion", "recipient", "kind", "due_date", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["opinion", "recipient"]


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(admin.ModelAdmin):
    """For support; the schedule is proposed, edited and published under /receptions/sessions/."""

    list_display = ["date", "half_day", "organisation", "receiver", "receiver_title", "place", "status"]
    list_filter = ["status", "kind", "place_kind"]
    list_select_related = ["organisation", "receiver"]
    raw_id_fields = ["organisation", "receiver", "published_by", "created_by"]
    readonly_fields = ["published_at"]
    date_hierarchy = "date"
    show_full_result_count = False


@admin.register(Reception)
class ReceptionAdmin(admin.ModelAdmin):
    """For support; receptions are entered under /receptions/ (the visitor's phone is not listed)."""

    list_display = ["received_on", "organisation", "receiver", "visitor_name", "matter", "handling"]
    list_filter = ["handling"]
    list_select_related = ["organisation", "receiver"]
    raw_id_fields = ["organisation", "session", "receiver", "opinion", "created_by"]
    search_fields = ["visitor_name", "matter"]
    date_hierarchy = "received_on"
    show_full_result_count = False
