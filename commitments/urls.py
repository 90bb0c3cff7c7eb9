from __future__ import annotations

from django.urls import path

from commitments.views import assessments, inspections, items, personal, prints

urlpatterns = [
    path("commitments/", items.commitment_list, name="commitment-list"),
    path("commitments/new/", items.commitment_create, name="commitment-create"),
    path("commitments/<int:pk>/", items.commitment_detail, name="commitment-detail"),
    path("commitments/<int:pk>/edit/", items.commitment_update, name="commitment-update"),
    path("commitments/<int:pk>/comments/new/", items.commitment_comment, name="commitment-comment"),
    path("commitments/<int:pk>/vote/", items.commitment_vote, name="commitment-vote"),
    path("commitments/<int:pk>/approve/", items.commitment_approve, name="commitment-approve"),
    path("commitments/<int:pk>/refuse/", items.commitment_refuse, name="commitment-refuse"),
    path("commitments/<int:pk>/publish/", items.commitment_publish, name="commitment-publish"),
    path("commitments/<int:pk>/progress/new/", items.commitment_progress, name="commitment-progress"),
    path("commitments/<int:pk>/revise/", items.commitment_revise, name="commitment-revise"),
    path("commitments/<int:pk>/withdraw/", items.commitment_withdraw, name="commitment-withdraw"),
    path("commitments/evidence/<int:pk>/", items.progress_evidence, name="progress-evidence"),
    path(
        "commitments/pledge/<int:organisation>/<int:year>/pdf/",
        prints.pledge_pdf,
        name="commitment-pledge-pdf",
    ),
    path("commitments/inspections/", inspections.inspection_list, name="inspection-list"),
    path("commitments/inspections/new/", inspections.inspection_create, name="inspection-create"),
    path("commitments/inspections/<int:pk>/", inspections.inspection_detail, name="inspection-detail"),
    path("commitments/assessments/", assessments.assessment_list, name="assessment-list"),
    path("commitments/assessments/new/", assessments.assessment_create, name="assessment-create"),
    path("commitments/assessments/<int:pk>/", assessments.assessment_detail, name="assessment-detail"),
    path(
        "commitments/assessments/<int:pk>/tallies/", assessments.assessment_tallies, name="assessment-tallies"
    ),
    path("commitments/assessments/<int:pk>/check/", assessments.assessment_check, name="assessment-check"),
    path(
        "commitments/assessments/<int:pk>/finalise/",
        assessments.assessment_finalise,
        name="assessment-finalise",
    ),
    path(
        "commitments/assessments/<int:pk>/publish/", assessments.assessment_publish, name="assessment-publish"
    ),
    path("commitments/personal/", personal.personal_list, name="personal-list"),
    path("commitments/personal/new/", personal.personal_create, name="personal-create"),
    path("commitments/personal/<int:pk>/edit/", personal.personal_update, name="personal-update"),
    path("commitments/personal/<int:pk>/review/", personal.personal_review, name="personal-review"),
]
