from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_tasks_db.models import DBTaskResult

from liaison.access.lockout_admin import unlock_users
from liaison.forms import MAX_RESIDENTS
from liaison.formsets import CappedTabularInline
from liaison.models import (
    AccessLog,
    Household,
    HouseholdTag,
    Job,
    Organisation,
    OrganisationTagTotal,
    OrganisationTotals,
    QuotaRule,
    QuotaRuleChange,
    Resident,
    Sequence,
    Submission,
    User,
    WorkCalendarDay,
    WorkCalendarYear,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "unit_kind", "parent"]
    list_filter = ["level", "unit_kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class LiaisonUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "full_name"]
    autocomplete_fields = ["organisation"]
    actions = [unlock_users]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("岗位与范围", {"fields": ["full_name", "title", "phone", "role", "organisation"]}),
    ]


@admin.register(HouseholdTag)
class HouseholdTagAdmin(admin.ModelAdmin):
    list_display = ["name", "is_poor", "sort_order"]
    list_editable = ["is_poor", "sort_order"]


class ResidentInline(CappedTabularInline):
    max_num = MAX_RESIDENTS
    model = Resident
    extra = 0
    fields = [
        "name",
        "relation",
        "gender",
        "birth_year",
        "id_number",
        "phone",
        "occupation",
        "is_party_member",
        "is_away",
        "archived_on",
        "archive_reason",
    ]

    def get_queryset(self, request):
        return Resident.all_objects.all()


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["head_name", "organisation", "group", "address", "archived_on"]
    list_filter = ["tags", "archive_reason"]
    search_fields = ["head_name", "address"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["tags"]
    inlines = [ResidentInline]
    show_full_result_count = False

    def get_queryset(self, request):
        # The superuser's tool sees archived households too (the default manager hides them).
        return Household.all_objects.select_related("organisation")


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["name", "relation", "household", "archived_on"]
    search_fields = ["name"]
    list_select_related = ["household"]
    raw_id_fields = ["household"]
    show_full_result_count = False

    def get_queryset(self, request):
        return Resident.all_objects.select_related("household")


@admin.register(QuotaRule)
class QuotaRuleAdmin(admin.ModelAdmin):
    """The numbers change on /config/quotas/ only, which keeps every change (who, when, old → new, from
    which date); here they are read-only so no edit bypasses that history."""

    list_display = ["name", "subject", "period", "minimum", "unit", "source", "effective_from"]
    readonly_fields = ["code", "minimum", "source", "notes", "organisation", "applies_from", "effective_from"]

    def get_queryset(self, request):
        return QuotaRule.all_rules.select_related("organisation")


@admin.register(QuotaRuleChange)
class QuotaRuleChangeAdmin(admin.ModelAdmin):
    """The history of the quota rules, read-only: changes are made on /config/quotas/, which keeps it."""

    list_display = ["rule", "effective_from", "old_minimum", "new_minimum", "changed_by", "changed_at"]
    list_select_related = ["rule", "changed_by"]
    readonly_fields = [f.name for f in QuotaRuleChange._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OrganisationTotals)
class OrganisationTotalsAdmin(admin.ModelAdmin):
    """Read only, for support: the application recounts these on every write (liaison/totals.py) and
    `manage.py rebuild_totals` recounts them all; a hand edit would only be overwritten."""

    list_display = ["organisation", "households", "households_with_away", "residents", "party_residents"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OrganisationTagTotal)
class OrganisationTagTotalAdmin(OrganisationTotalsAdmin):
    list_display = ["organisation", "tag", "households"]
    list_select_related = ["organisation", "tag"]


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "kind_name", "last"]
    list_filter = ["year"]
    list_select_related = ["organisation"]

    @admin.display(description="编号种类", ordering="kind")
    def kind_name(self, obj: Sequence) -> str:
        return Sequence.KIND_NAMES.get(obj.kind, obj.kind)


class WorkCalendarDayInline(CappedTabularInline):
    max_num = 366
    model = WorkCalendarDay
    extra = 0
    fields = ["date", "is_workday", "name"]


@admin.register(WorkCalendarYear)
class WorkCalendarYearAdmin(admin.ModelAdmin):
    """Prefer the 工作日历 pages; edits here also recount the running due dates."""

    list_display = ["year", "source", "updated_at"]
    inlines = [WorkCalendarDayInline]

    def save_related(self, request, form, formsets, change):
        from liaison.workcal import work_calendar_changed

        super().save_related(request, form, formsets, change)
        work_calendar_changed.send(sender=WorkCalendarYear, years=[form.instance.year])


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name", "calendar_year"]
    list_filter = ["calendar_year", "is_workday"]
    list_select_related = ["calendar_year"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        from liaison.workcal import work_calendar_changed

        super().save_model(request, obj, form, change)
        work_calendar_changed.send(sender=WorkCalendarDay, years=[obj.date.year])


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the application appends rows (liaison.access.middleware); nobody edits or deletes them."""

    list_display = ["at", "user", "organisation", "kind", "full_numbers", "path", "address"]
    list_filter = ["kind", "full_numbers"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__full_name", "path"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """One-time tokens of create forms (liaison.safeguards.idempotency): read-only, for support."""

    list_display = ["token", "user", "content_type", "object_id", "created_at"]
    list_filter = ["content_type"]
    readonly_fields = ["token", "user", "content_type", "object_id", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# django-auditlog's own admin speaks English only (its labels have no Chinese translation); the trail is
# read on each record's page (liaison/audit/history.py), so its admin is not offered.
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)

# django-tasks-db's queue table (DBTaskResult) has an English-only admin; what a job is and how it went
# is on 我的任务 and in the Job admin below, so the raw queue is not offered.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs are started from the pages and run by the worker."""

    list_display = ["title", "user", "organisation", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "user__username"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
