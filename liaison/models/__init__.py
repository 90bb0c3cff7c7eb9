from liaison.models.households import Household, HouseholdTag, Resident
from liaison.models.organisations import Organisation
from liaison.models.users import Role, User

__all__ = ["Household", "HouseholdTag", "Organisation", "Resident", "Role", "User"]
