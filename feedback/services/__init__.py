"""Writes for feedback/: keyword-only `<entity>_<action>` functions, atomic, validated, logged."""

from feedback.services.common import StaleOpinion, compute_deadline
from feedback.services.handling import (
    assignment_issue,
    assignment_receive,
    case_save,
    extension_decide,
    extension_request,
    urge_answer,
    urge_create,
)
from feedback.services.opinions import (
    opinion_close,
    opinion_recompute_due_dates,
    opinion_record_feedback,
    opinion_record_result,
    opinion_register,
    opinion_reopen,
    opinion_start,
    opinion_update,
)
from feedback.services.receptions import reception_register, reception_update
from feedback.services.sessions import (
    session_delete,
    session_generate,
    session_publish,
    session_record_outcome,
    session_record_outcomes,
    session_save,
)
from feedback.services.transfers import opinion_transfer, transfer_accept

__all__ = [
    "StaleOpinion",
    "assignment_issue",
    "assignment_receive",
    "case_save",
    "compute_deadline",
    "extension_decide",
    "extension_request",
    "opinion_close",
    "opinion_recompute_due_dates",
    "opinion_record_feedback",
    "opinion_record_result",
    "opinion_register",
    "opinion_reopen",
    "opinion_start",
    "opinion_transfer",
    "opinion_update",
    "reception_register",
    "reception_update",
    "session_delete",
    "session_generate",
    "session_publish",
    "session_record_outcome",
    "session_record_outcomes",
    "session_save",
    "transfer_accept",
    "urge_answer",
    "urge_create",
]
