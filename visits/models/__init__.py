from visits.models.events import EventKind, MustVisitEvent, MustVisitEventQuerySet
from visits.models.imports import VisitImport
from visits.models.meetings import AnalysisMeeting
from visits.models.research import FieldResearch, ResearchReport
from visits.models.talks import Talk
from visits.models.terms import Term
from visits.models.visit import CREATES_OPINION, Handling, Visit, VisitMember

__all__ = [
    "AnalysisMeeting",
    "CREATES_OPINION",
    "EventKind",
    "FieldResearch",
    "Handling",
    "MustVisitEvent",
    "MustVisitEventQuerySet",
    "ResearchReport",
    "Talk",
    "Term",
    "Visit",
    "VisitImport",
    "VisitMember",
]
