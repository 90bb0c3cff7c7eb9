from __future__ import annotations

from django.contrib import admin

from liaison.formsets import CappedTabularInline
from members.forms import MAX_POSITIONS
from members.models import (
    ImportBatch,
    LiaisonContact,
    LiaisonPoint,
    Pairing,
    PairingMember,
    PartyMember,
    Position,
    Post,
    PostAssignment,
    PostReport,
    UnitPairing,
    UnitPairingRecord,
)


class PositionInline(CappedTabularInline):
    max_num = MAX_POSITIONS
    model = Position
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(PartyMember)
class PartyMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "gender", "organisation", "title", "category", "is_mobile", "phone"]
    list_filter = ["category", "is_mobile", "gender"]
    search_fields = ["name", "name_initials", "id_number", "phone"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["household", "user"]
    inlines = [PositionInline]


class PairingMemberInline(CappedTabularInline):
    max_num = 50
    model = PairingMember
    extra = 0
    raw_id_fields = ["member"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["household", "start_date", "planned_end", "status"]
    list_filter = ["status"]
    raw_id_fields = ["household", "created_by"]
    list_select_related = ["household"]
    inlines = [PairingMemberInline]


class UnitPairingRecordInline(CappedTabularInline):
    model = UnitPairingRecord
    extra = 0
    exclude = ["created_by"]


@admin.register(UnitPairing)
class UnitPairingAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "helper_organisation",
        "target_organisation",
        "target_household",
        "status",
        "start_date",
    ]
    list_filter = ["kind", "status"]
    raw_id_fields = ["target_household", "target_member", "members", "created_by"]
    autocomplete_fields = ["helper_organisation", "target_organisation"]
    inlines = [UnitPairingRecordInline]


class LiaisonContactInline(CappedTabularInline):
    model = LiaisonContact
    extra = 0
    exclude = ["created_by"]


@admin.register(LiaisonPoint)
class LiaisonPointAdmin(admin.ModelAdmin):
    list_display = ["leader", "organisation", "started_on", "ended_on"]
    raw_id_fields = ["leader"]
    autocomplete_fields = ["organisation"]
    inlines = [LiaisonContactInline]


class PostAssignmentInline(CappedTabularInline):
    model = PostAssignment
    extra = 0
    raw_id_fields = ["member"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["organisation"]
    inlines = [PostAssignmentInline]


@admin.register(PostReport)
class PostReportAdmin(admin.ModelAdmin):
    list_display = ["assignment", "year", "submitted_on"]
    raw_id_fields = ["assignment", "created_by"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "user",
        "filename",
        "status",
        "rows",
        "households_created",
        "members_created",
    ]
    list_filter = ["status"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["member", "organisation", "role", "start_date", "end_date"]
    list_filter = ["role"]
    raw_id_fields = ["member"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["member", "organisation"]


@admin.register(PairingMember)
class PairingMemberAdmin(admin.ModelAdmin):
    list_display = ["pairing", "member"]
    raw_id_fields = ["pairing", "member"]
    list_select_related = ["pairing__household", "member"]


@admin.register(UnitPairingRecord)
class UnitPairingRecordAdmin(admin.ModelAdmin):
    list_display = ["pairing", "date", "content", "money", "goods"]
    raw_id_fields = ["pairing", "created_by"]
    list_select_related = ["pairing__helper_organisation"]


@admin.register(LiaisonContact)
class LiaisonContactAdmin(admin.ModelAdmin):
    list_display = ["point", "date", "method", "content"]
    raw_id_fields = ["point", "created_by"]
    list_select_related = ["point__leader", "point__organisation"]


@admin.register(PostAssignment)
class PostAssignmentAdmin(admin.ModelAdmin):
    list_display = ["post", "member", "source", "start_date", "end_date"]
    list_filter = ["source"]
    raw_id_fields = ["post", "member"]
    list_select_related = ["post", "member"]
