"""Writes of the commitments app, by step: drafting and the vote, the township's part, progress,
the year-end assessment, and members' personal commitments."""

from commitments.services.assessments import (
    assessment_field_check,
    assessment_finalise,
    assessment_publish,
    assessment_record,
)
from commitments.services.drafting import (
    comment_add,
    commitment_create,
    commitment_revise,
    commitment_update,
    commitment_withdraw,
    vote_record,
)
from commitments.services.personal import personal_add, personal_review, personal_update
from commitments.services.progress import progress_add
from commitments.services.township import (
    commitment_approve,
    commitment_publish,
    commitment_refuse,
    inspection_add,
)

__all__ = [
    "assessment_field_check",
    "assessment_finalise",
    "assessment_publish",
    "assessment_record",
    "comment_add",
    "commitment_approve",
    "commitment_create",
    "commitment_publish",
    "commitment_refuse",
    "commitment_revise",
    "commitment_update",
    "commitment_withdraw",
    "inspection_add",
    "personal_add",
    "personal_review",
    "personal_update",
    "progress_add",
    "vote_record",
]
