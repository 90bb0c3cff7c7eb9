from __future__ import annotations

from django.urls import path

from feedback.views import actions, opinions, prints, reception_prints, receptions, sessions

urlpatterns = [
    path("opinions/", opinions.opinion_list, name="opinion-list"),
    path("opinions/new/", opinions.opinion_create, name="opinion-create"),
    path("opinions/due-dates/", opinions.due_dates, name="opinion-due-dates"),
    path("opinions/register/", prints.register, name="opinion-register"),
    path("opinions/register/pdf/", prints.register_pdf, name="opinion-register-pdf"),
    path("opinions/register/xlsx/", prints.register_xlsx, name="opinion-register-xlsx"),
    path("opinions/<int:pk>/", opinions.opinion_detail, name="opinion-detail"),
    path("opinions/<int:pk>/edit/", opinions.opinion_update, name="opinion-update"),
    path("opinions/<int:pk>/pdf/", prints.opinion_pdf, name="opinion-pdf"),
    path("opinions/<int:pk>/feedback-slip/pdf/", prints.feedback_slip_pdf, name="opinion-feedback-slip-pdf"),
    path("opinions/<int:pk>/start/", actions.opinion_start, name="opinion-start"),
    path("opinions/<int:pk>/result/", actions.opinion_result, name="opinion-result"),
    path("opinions/<int:pk>/feedback/", actions.opinion_feedback, name="opinion-feedback"),
    path("opinions/<int:pk>/close/", actions.opinion_close, name="opinion-close"),
    path("opinions/<int:pk>/reopen/", actions.opinion_reopen, name="opinion-reopen"),
    path("opinions/<int:pk>/assign/", actions.assignment_create, name="opinion-assign"),
    path("opinions/<int:pk>/urge/", actions.urge_create, name="opinion-urge"),
    path("opinions/<int:pk>/extension/", actions.extension_create, name="opinion-extension"),
    path("opinions/<int:pk>/case/", actions.case_edit, name="opinion-case"),
    path("opinions/<int:pk>/transfer/", actions.opinion_transfer, name="opinion-transfer"),
    path("opinions/<int:pk>/transfer/accept/", actions.transfer_accept, name="opinion-transfer-accept"),
    path("opinions/assignments/<int:pk>/receive/", actions.assignment_receive, name="assignment-receive"),
    path("opinions/assignments/<int:pk>/pdf/", prints.assignment_pdf, name="assignment-pdf"),
    path("opinions/urges/<int:pk>/answer/", actions.urge_answer, name="urge-answer"),
    path("opinions/extensions/<int:pk>/decide/", actions.extension_decide, name="extension-decide"),
    # receptions (接待群众, 附件1) and the scheduled reception days (接待日)
    path("receptions/", receptions.reception_list, name="reception-list"),
    path("receptions/new/", receptions.reception_create, name="reception-create"),
    path("receptions/visitors/", receptions.visitor_lookup, name="reception-visitor-lookup"),
    path("receptions/receivers/", receptions.receiver_lookup, name="reception-receiver-lookup"),
    path("receptions/register/", reception_prints.register, name="reception-register"),
    path("receptions/register/pdf/", reception_prints.register_pdf, name="reception-register-pdf"),
    path("receptions/register/blank/pdf/", reception_prints.blank_pdf, name="reception-blank-pdf"),
    path("receptions/<int:pk>/", receptions.reception_detail, name="reception-detail"),
    path("receptions/<int:pk>/pdf/", reception_prints.reception_pdf, name="reception-pdf"),
    path("receptions/<int:pk>/edit/", receptions.reception_update, name="reception-update"),
    path("receptions/sessions/", sessions.session_list, name="session-list"),
    path("receptions/sessions/new/", sessions.session_create, name="session-create"),
    path("receptions/sessions/generate/", sessions.session_generate, name="session-generate"),
    path("receptions/sessions/publish/", sessions.session_publish, name="session-publish"),
    path("receptions/sessions/compliance/", sessions.compliance, name="session-compliance"),
    path("receptions/sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("receptions/sessions/<int:pk>/edit/", sessions.session_update, name="session-update"),
    path("receptions/sessions/<int:pk>/outcome/", sessions.session_outcome, name="session-outcome"),
    path("receptions/sessions/<int:pk>/delete/", sessions.session_delete, name="session-delete"),
    # the 公告 for the 党务公开栏: no login (liaison/views/public.py has the page)
    path(
        "public/receptions/<int:pk>/<int:year>/<int:month>/pdf/",
        reception_prints.public_notice_pdf,
        name="public-reception-notice-pdf",
    ),
]
