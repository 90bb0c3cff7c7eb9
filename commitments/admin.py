"""Admin: read-mostly views for support; the pages under /commitments/ are where work is done (the
six steps go through the services, so the admin never moves a commitment's state)."""

from __future__ import annotations

from django.contrib import admin

from commitments.models import (
    Assessment,
    AssessmentTally,
    Comment,
    Commitment,
    CommitmentEvent,
    Inspection,
    PersonalCommitment,
    ProgressNote,
    Vote,
)
from liaison.formsets import CappedTabularInline


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VoteInline(CappedTabularInline):
    max_num = 50
    model = Vote
    extra = 0
    fields = ["held_on", "body", "eligible", "approve", "reject", "abstain", "result"]
    readonly_fields = fields
    can_delete = False


class EventInline(CappedTabularInline):
    max_num = 500
    model = CommitmentEvent
    extra = 0
    fields = ["at", "user", "kind", "from_state", "to_state", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "subject", "area", "year", "end_year", "state"]
    list_filter = ["state", "subject", "area", "scope", "year"]
    search_fields = ["title", "target"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "revision_of"]
    readonly_fields = ["state", "end_year", "approved_on", "approved_by", "published_on", "version"]
    inlines = [VoteInline, EventInline]
    show_full_result_count = False


@admin.register(CommitmentEvent)
class CommitmentEventAdmin(ReadOnly):
    """The history is written by the services; here it is read only."""

    list_display = ["commitment", "at", "user", "kind", "from_state", "to_state"]
    list_filter = ["kind"]
    list_select_related = ["commitment", "user"]
    raw_id_fields = ["commitment"]


@admin.register(Vote)
class VoteAdmin(ReadOnly):
    list_display = ["commitment", "held_on", "body", "eligible", "approve", "reject", "abstain", "result"]
    list_filter = ["result", "body"]
    list_select_related = ["commitment"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["commitment", "received_on", "source", "handling"]
    raw_id_fields = ["commitment"]
    list_select_related = ["commitment"]


@admin.register(ProgressNote)
class ProgressNoteAdmin(admin.ModelAdmin):
    list_display = ["commitment", "date", "evidence_name"]
    raw_id_fields = ["commitment"]
    list_select_related = ["commitment"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "date", "inspectors"]
    list_filter = ["year"]
    raw_id_fields = ["organisation", "commitments"]
    list_select_related = ["organisation"]


class TallyInline(CappedTabularInline):
    max_num = 6
    model = AssessmentTally
    extra = 0
    fields = ["group", "satisfied", "basically_satisfied", "dissatisfied"]
    readonly_fields = fields
    can_delete = False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "measured_grade", "final_grade", "published_on"]
    list_filter = ["year", "final_grade"]
    raw_id_fields = ["organisation"]
    list_select_related = ["organisation"]
    readonly_fields = [
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
        "measured_grade",
        "final_grade",
        "finalised_on",
        "published_on",
        "version",
    ]
    inlines = [TallyInline]


@admin.register(AssessmentTally)
class AssessmentTallyAdmin(ReadOnly):
    list_display = ["assessment", "group", "satisfied", "basically_satisfied", "dissatisfied"]
    list_select_related = ["assessment", "assessment__organisation"]


@admin.register(PersonalCommitment)
class PersonalCommitmentAdmin(admin.ModelAdmin):
    list_display = ["member", "year", "slot", "content", "review_result"]
    list_filter = ["year", "review_result"]
    raw_id_fields = ["member"]
    list_select_related = ["member"]
    readonly_fields = ["slot", "version"]
