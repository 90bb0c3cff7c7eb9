"""Masking of residents' phone and ID numbers for roles that may not see them in full."""

from __future__ import annotations

from collections.abc import Callable

PERSONAL_DATA_PERMISSION = "liaison.view_personal_data"


def can_see_personal_data(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PERSONAL_DATA_PERMISSION))


def mask_phone(value: str) -> str:
    """13812341234 → 138****1234; 023-66231234 → 023-****1234."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    head = value[:3] if value[0] == "1" else value[: value.find("-") + 1 or 4]
    return f"{head}****{value[-4:]}"


def mask_id_number(value: str) -> str:
    """500113199001011234 → 500113********1234 (keeps the region code and the last four)."""
    if not value:
        return ""
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}" if len(value) > 10 else "*" * len(value)


def _unchanged(value: str) -> str:
    return value


def maskers(user) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """(phone, id_number): how this user may see them, for exports and prints that format many rows."""
    if can_see_personal_data(user):
        return _unchanged, _unchanged
    return mask_phone, mask_id_number


def shown_phone(user, value: str) -> str:
    return value if can_see_personal_data(user) else mask_phone(value)


def shown_id_number(user, value: str) -> str:
    return value if can_see_personal_data(user) else mask_id_number(value)
