from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from liaison.views import access_log, account, config, general, households, public, retention

handler400 = "liaison.views.errors.bad_request"
handler403 = "liaison.views.errors.permission_denied"
handler404 = "liaison.views.errors.page_not_found"
handler500 = "liaison.views.errors.server_error"

admin.site.site_header = "党员联系服务群众管理系统 · 后台"
admin.site.site_title = "党员联系服务群众管理系统"

urlpatterns = [
    path("", general.dashboard, name="dashboard"),
    path("dashboard/panels/<int:index>/", general.dashboard_panel, name="dashboard-panel"),
    path("dashboard/<slug:name>/", general.dashboard_section, name="dashboard-section"),
    path("compliance/", general.compliance, name="compliance"),
    path("compliance/<slug:key>/", general.compliance_rule, name="compliance-rule"),
    path("healthz", general.healthz, name="healthz"),
    path("public/", public.public_home, name="public-home"),
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True)),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account.PasswordChangeView.as_view(), name="password-change"),
    path("accounts/keepalive/", account.keepalive, name="keepalive"),
    path("households/", households.household_list, name="household-list"),
    path("households/new/", households.household_create, name="household-create"),
    path("households/export.xlsx", households.household_export, name="household-export"),
    path("households/<int:pk>/", households.household_detail, name="household-detail"),
    path("households/<int:pk>/edit/", households.household_update, name="household-update"),
    path("households/<int:pk>/pdf/", households.household_pdf, name="household-pdf"),
    path("households/archived/", retention.archived_list, name="household-archived"),
    path("households/archived/purge/", retention.purge_due, name="household-purge-due"),
    path("households/<int:pk>/archive/", retention.household_archive, name="household-archive"),
    path("households/<int:pk>/restore/", retention.household_restore, name="household-restore"),
    path("households/<int:pk>/purge/", retention.household_purge, name="household-purge"),
    path(
        "households/<int:pk>/residents/<int:resident_pk>/archive/",
        retention.resident_archive,
        name="resident-archive",
    ),
    path(
        "households/<int:pk>/residents/<int:resident_pk>/restore/",
        retention.resident_restore,
        name="resident-restore",
    ),
    path("config/quotas/", config.quota_list, name="quota-list"),
    path("config/quotas/<int:pk>/", config.quota_history, name="quota-history"),
    path("config/quotas/<int:pk>/edit/", config.quota_edit, name="quota-edit"),
    path("config/quotas/<int:pk>/local/", config.quota_local_create, name="quota-local-create"),
    path("config/calendar/", config.calendar_list, name="calendar-list"),
    path("config/calendar/new/", config.calendar_create, name="calendar-create"),
    path("config/calendar/<int:year>/", config.calendar_year, name="calendar-year"),
    path("config/calendar/<int:year>/edit/", config.calendar_edit, name="calendar-edit"),
    path("access-log/", access_log.access_log, name="accesslog-list"),
    path("", include("liaison.jobs.urls")),
    path("", include("members.urls")),
    path("", include("feedback.urls")),
    path("", include("visits.urls")),
    path("", include("commitments.urls")),
    path("", include("liaison.reports.urls")),
    path("admin/", admin.site.urls),
]
