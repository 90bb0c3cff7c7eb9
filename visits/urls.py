from __future__ import annotations

from django.urls import path

from visits.compliance.views import coverage, meetings, records
from visits.views import events, imports, prints, visits

urlpatterns = [
    path("visits/", visits.visit_list, name="visit-list"),
    path("visits/new/", visits.visit_create, name="visit-create"),
    path("visits/new/household/<int:pk>/", visits.household_section, name="visit-household-section"),
    path("visits/booklet/pdf/", prints.booklet_pdf, name="visit-booklet-pdf"),
    path("visits/blank/pdf/", prints.blank_pdf, name="visit-blank-pdf"),
    path("visits/import/", imports.import_home, name="visit-import-home"),
    path("visits/import/template.xlsx", imports.import_template, name="visit-import-template"),
    path("visits/import/upload/", imports.import_upload, name="visit-import-upload"),
    path("visits/import/<uuid:token>/", imports.import_preview, name="visit-import-preview"),
    path("visits/import/<uuid:token>/commit/", imports.import_commit, name="visit-import-commit"),
    path("visits/import/<uuid:token>/discard/", imports.import_discard, name="visit-import-discard"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/edit/", visits.visit_update, name="visit-update"),
    path("visits/<int:pk>/pdf/", prints.visit_pdf, name="visit-pdf"),
    path("visits/events/", events.event_list, name="event-list"),
    path("visits/events/new/", events.event_create, name="event-create"),
    path("visits/coverage/", coverage.coverage, name="visit-coverage"),
    path("visits/coverage/<int:pk>/", coverage.coverage_village, name="visit-coverage-village"),
    path("visits/quotas/", coverage.quotas, name="yearly-duties"),
    path("visits/meetings/", meetings.meeting_list, name="meeting-list"),
    path("visits/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("visits/meetings/village/<int:pk>/", meetings.meeting_year, name="meeting-year"),
    path("visits/meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("visits/meetings/<int:pk>/edit/", meetings.meeting_update, name="meeting-update"),
    path("visits/terms/", records.term_list, name="term-list"),
    path("visits/terms/new/", records.term_create, name="term-create"),
    path("visits/terms/<int:pk>/edit/", records.term_update, name="term-update"),
    path("visits/talks/", records.talk_list, name="talk-list"),
    path("visits/talks/new/", records.talk_create, name="talk-create"),
    path("visits/talks/<int:pk>/", records.talk_detail, name="talk-detail"),
    path("visits/talks/<int:pk>/edit/", records.talk_update, name="talk-update"),
    path("visits/research/", records.research_list, name="research-list"),
    path("visits/research/new/", records.research_create, name="research-create"),
    path("visits/research/<int:pk>/", records.research_detail, name="research-detail"),
    path("visits/research/<int:pk>/edit/", records.research_update, name="research-update"),
    path("visits/research/reports/new/", records.report_create, name="report-create"),
    path("visits/research/reports/<int:pk>/file/", records.report_file, name="report-file"),
]
