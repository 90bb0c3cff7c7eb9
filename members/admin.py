from __future__ import annotations

from django.contrib import admin

from members.models import PartyMember


@admin.register(PartyMember)
class PartyMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "gender", "organisation", "title", "phone"]
    search_fields = ["name", "name_initials"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["household", "user"]
