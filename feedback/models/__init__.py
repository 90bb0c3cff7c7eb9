from feedback.models.handling import Assignment, CaseOwnership, Extension, Urge
from feedback.models.history import EventKind, OpinionEvent, Reminder
from feedback.models.opinions import Channel, FeedbackMethod, Opinion, OpinionQuerySet, Satisfaction

__all__ = [
    "Assignment",
    "CaseOwnership",
    "Channel",
    "EventKind",
    "Extension",
    "FeedbackMethod",
    "Opinion",
    "OpinionEvent",
    "OpinionQuerySet",
    "Reminder",
    "Satisfaction",
    "Urge",
]
