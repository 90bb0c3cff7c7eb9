"""What every printed form shows at its foot: who printed it and when."""

from __future__ import annotations

from django.utils import timezone


def printed_meta(user) -> dict:
    """`printed_by` and `printed_at` for a print template's context."""
    return {"printed_by": getattr(user, "display_name", ""), "printed_at": timezone.localtime()}
