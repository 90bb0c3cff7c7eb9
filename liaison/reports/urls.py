from __future__ import annotations

from django.urls import path

from liaison.reports import views

urlpatterns = [
    path("reports/", views.report_index, name="report-index"),
    path("reports/opinions.xlsx", views.opinion_export, name="report-opinions-xlsx"),
]
