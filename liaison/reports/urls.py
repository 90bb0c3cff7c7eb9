from __future__ import annotations

from django.urls import path

from liaison.reports import views

urlpatterns = [
    path("reports/", views.report_index, name="report-index"),
    path("reports/annual.xlsx", views.annual_xlsx, name="report-annual-xlsx"),
    path("reports/opinions.xlsx", views.opinion_export, name="report-opinions-xlsx"),
]
