"""Writes for the members app: keyword-only, atomic, `full_clean()` before every save.

Each function re-checks the user's scope itself (the forms already limit their choices; a tampered POST
still ends here) and raises ValidationError keyed by form field, so the view shows the message next to
the field and nothing is half-saved.
"""
