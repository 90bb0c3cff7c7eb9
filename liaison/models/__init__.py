from liaison.models.access_log import AccessLog
from liaison.models.calendar import WorkCalendarDay, WorkCalendarYear
from liaison.models.households import ArchiveReason, Household, HouseholdTag, Resident
from liaison.models.jobs import Job
from liaison.models.organisations import Organisation
from liaison.models.quotas import QuotaRule, QuotaRuleChange
from liaison.models.sequences import Sequence
from liaison.models.submissions import Submission
from liaison.models.totals import OrganisationTagTotal, OrganisationTotals
from liaison.models.users import Role, User

__all__ = [
    "AccessLog",
    "ArchiveReason",
    "Household",
    "HouseholdTag",
    "Job",
    "Organisation",
    "OrganisationTagTotal",
    "OrganisationTotals",
    "QuotaRule",
    "QuotaRuleChange",
    "Resident",
    "Role",
    "Sequence",
    "Submission",
    "User",
    "WorkCalendarDay",
    "WorkCalendarYear",
]
