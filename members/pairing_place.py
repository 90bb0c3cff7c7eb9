"""Where a pairing is listed: its household's village and sort key, stored on the pairing.

The pairing list is scoped from the household's side and sorted by village and household address.
Read through the household, the district's list joined its 20,000 pairings to all 400,000 households,
twice (the page and its count): 615 ms on PostgreSQL (issue #10). So a pairing keeps copies,
`Pairing.organisation` and `Pairing.household_sort_key`, equal to its household's at all times:

- `Pairing.save()` takes them from its household (`take_place`);
- a household's `save()` (a move to another village, a changed 村民小组 or address) passes them on
  to its pairings in one UPDATE, through the post_save signal connected here;
- writes that send no signals call `follow_households`: the Excel import's bulk update of households,
  and `seed_demo --scale district`'s bulk-created pairings.

Who may change a pairing is still read from the household itself (members.scope.editable_pairings).
`members/tests/test_pairing_place.py` compares the copies with the households after every kind of write.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_save

from liaison.models import Household
from members.models import Pairing


def take_place(pairing: Pairing) -> None:
    household = pairing.household
    pairing.organisation_id = household.organisation_id
    pairing.household_sort_key = household.sort_key


def follow_households(household_ids: Iterable[int] | None = None) -> int:
    """Copy the households' village and sort key onto their pairings (all households for None), in
    one UPDATE; returns the number of pairings that were behind."""
    pairings = Pairing.objects.all()
    if household_ids is not None:
        pairings = pairings.filter(household_id__in=list(household_ids))
    household = Household.all_objects.filter(pk=OuterRef("household_id"))
    behind = pairings.exclude(
        organisation_id=Subquery(household.values("organisation_id")),
        household_sort_key=Subquery(household.values("sort_key")),
    )
    return behind.update(
        organisation_id=Subquery(household.values("organisation_id")),
        household_sort_key=Subquery(household.values("sort_key")),
    )


def _household_saved(sender, instance: Household, raw=False, created=False, **kwargs) -> None:
    if not (raw or created):  # a new household has no pairing yet
        follow_households([instance.pk])


def connect() -> None:
    post_save.connect(_household_saved, sender=Household, dispatch_uid="pairing-place-household")
