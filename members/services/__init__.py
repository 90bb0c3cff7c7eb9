"""Writes for the members app: keyword-only `<entity>_<action>` functions, atomic, `full_clean()` before every save.

Each function re-checks the user's scope itself (the forms already limit their choices; a tampered POST
still ends here) and raises ValidationError keyed by form field, so the view shows the message next to
the field and nothing is half-saved.
"""

from members.services.pairings import pairing_save
from members.services.people import member_save
from members.services.points import liaison_contact_add, liaison_point_save
from members.services.posts import post_add_standard, post_assign, post_report_save, post_save
from members.services.units import unit_pairing_save, unit_record_add

__all__ = [
    "liaison_contact_add",
    "liaison_point_save",
    "member_save",
    "pairing_save",
    "post_add_standard",
    "post_assign",
    "post_report_save",
    "post_save",
    "unit_pairing_save",
    "unit_record_add",
]
