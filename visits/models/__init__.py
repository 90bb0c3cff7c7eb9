from visits.models.events import EventKind, MustVisitEvent, MustVisitEventQuerySet
from visits.models.visit import CREATES_OPINION, Handling, Visit, VisitMember

__all__ = [
    "CREATES_OPINION",
    "EventKind",
    "Handling",
    "MustVisitEvent",
    "MustVisitEventQuerySet",
    "Visit",
    "VisitMember",
]
