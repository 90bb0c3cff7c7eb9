"""Rules every app shares, as pure functions (no ORM, no clock)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Number = int | Decimal | Fraction


def quota_met(achieved: Number, minimum: Number) -> bool:
    """A QuotaRule's "不少于": at least the minimum, and reaching it exactly is enough."""
    return achieved >= minimum
