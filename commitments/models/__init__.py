from commitments.models.commitments import (
    AREAS_BY_SUBJECT,
    Area,
    Commitment,
    CommitmentEvent,
    Completion,
    Direction,
    EventKind,
    Scope,
    Subject,
)
from commitments.models.personal import PersonalCommitment, ReviewResult
from commitments.models.reviews import Assessment, AssessmentTally, Inspection, VoterGroup
from commitments.models.steps import Comment, CommentSource, ProgressNote, Vote, VoteBody

__all__ = [
    "AREAS_BY_SUBJECT",
    "Area",
    "Assessment",
    "AssessmentTally",
    "Comment",
    "CommentSource",
    "Commitment",
    "CommitmentEvent",
    "Completion",
    "Direction",
    "EventKind",
    "Inspection",
    "PersonalCommitment",
    "ProgressNote",
    "ReviewResult",
    "Scope",
    "Subject",
    "Vote",
    "VoteBody",
    "VoterGroup",
]
