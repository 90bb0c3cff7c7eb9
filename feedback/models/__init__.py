from feedback.models.handling import Assignment, CaseOwnership, Extension, Transfer, Urge
from feedback.models.history import EventKind, OpinionEvent, Reminder
from feedback.models.opinions import Channel, FeedbackMethod, Opinion, OpinionQuerySet, Satisfaction
from feedback.models.receptions import (
    HalfDay,
    Handling,
    PlaceKind,
    Reception,
    ReceptionSession,
    SessionKind,
    SessionStatus,
)

__all__ = [
    "Assignment",
    "CaseOwnership",
    "Channel",
    "EventKind",
    "Extension",
    "FeedbackMethod",
    "HalfDay",
    "Handling",
    "Opinion",
    "OpinionEvent",
    "OpinionQuerySet",
    "PlaceKind",
    "Reception",
    "ReceptionSession",
    "Reminder",
    "Satisfaction",
    "SessionKind",
    "SessionStatus",
    "Transfer",
    "Urge",
]
