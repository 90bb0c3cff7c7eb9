from __future__ import annotations

from django.urls import path

from liaison.jobs import views

urlpatterns = [
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<uuid:token>/", views.job_detail, name="job-detail"),
    path("jobs/<uuid:token>/status/", views.job_status, name="job-status"),
    path("jobs/<uuid:token>/download/", views.job_download, name="job-download"),
    path("jobs/<uuid:token>/retry/", views.job_retry, name="job-retry"),
]
