from __future__ import annotations

from django.urls import path

from visits.compliance.views import coverage, meetings, records

urlpatterns = [
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
