"""Gapless numbering: the next number is taken under a row lock in the caller's transaction.

If the caller's transaction rolls back, so does the increment, so numbers never skip; two clerks
saving at once wait for each other on the lock instead of taking the same number.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from liaison.models import Organisation
from liaison.models.sequences import Sequence


def next_number(*, organisation: Organisation, year: int, kind: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that saves the numbered record")
    sequence, _ = Sequence.objects.select_for_update().get_or_create(
        organisation=organisation, year=year, kind=kind
    )
    Sequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db(fields=["last"])
    return sequence.last
