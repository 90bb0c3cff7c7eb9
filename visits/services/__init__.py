from visits.services.events import event_record
from visits.services.visits import visit_record, visit_update

__all__ = ["event_record", "visit_record", "visit_update"]
