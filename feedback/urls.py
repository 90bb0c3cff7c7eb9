from __future__ import annotations

from django.urls import path

from feedback.views import actions, opinions, prints

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
    path("opinions/assignments/<int:pk>/receive/", actions.assignment_receive, name="assignment-receive"),
    path("opinions/assignments/<int:pk>/pdf/", prints.assignment_pdf, name="assignment-pdf"),
    path("opinions/urges/<int:pk>/answer/", actions.urge_answer, name="urge-answer"),
    path("opinions/extensions/<int:pk>/decide/", actions.extension_decide, name="extension-decide"),
]
