"""Numbers as people write them on the forms."""

from __future__ import annotations

from decimal import Decimal


def plain_number(value) -> str:
    """2.00 → 2, 500.50 → 500.5: quota numbers and money without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        text = f"{Decimal(str(value)):f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)
