"""`manage.py seed_demo --scale district`: the district-sized data set, checked on a small scale."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Sum

from feedback.models import Opinion
from liaison import totals
from liaison.demo.scale import ScaleSpec
from liaison.models import Household, Organisation, OrganisationTotals, Resident, User
from liaison.models.sequences import Sequence
from liaison.text.pinyin import initials
from liaison.text.sorting import household_sort_key
from members.models import Pairing, PartyMember

pytestmark = pytest.mark.django_db

HOUSEHOLDS = 1200


class Rollback(Exception):
    pass


def generate(households: int = HOUSEHOLDS, seed: int = 1) -> str:
    out = StringIO()
    call_command("seed_demo", scale="district", households=households, seed=seed, stdout=out)
    return out.getvalue()


def fingerprint() -> list:
    return [
        list(Organisation.objects.order_by("path").values_list("code", "name", "path")),
        list(
            Household.objects.order_by("organisation__code", "sort_key", "address").values_list(
                "organisation__code", "group", "address", "head_name", "phone", "annual_income"
            )
        ),
        sorted(Resident.objects.values_list("name", "id_number", "phone", "birth_year")),
        sorted(PartyMember.objects.values_list("name", "id_number", "organisation__code")),
        sorted(
            Opinion.objects.values_list("organisation__code", "year", "number", "reporter_name", "due_date")
        ),
        Pairing.objects.count(),
    ]


def test_district_data_set_on_a_small_scale():
    output = generate()
    assert "区级规模数据已就绪" in output

    # the shape DESIGN.md asks for, per household
    households = Household.objects.count()
    assert households == HOUSEHOLDS
    assert 2.5 <= Resident.objects.count() / households <= 4
    assert 0.08 <= PartyMember.objects.count() / households <= 0.12
    assert 0.04 <= Pairing.objects.count() / households <= 0.06
    # bulk-created pairings carry their household's village and sort key (members.pairing_place)
    assert not Pairing.objects.exclude(
        organisation_id=F("household__organisation_id"), household_sort_key=F("household__sort_key")
    ).exists()
    assert 0.14 <= Opinion.objects.count() / households <= 0.16
    assert Household.tags.through.objects.count() > households * 0.1
    assert Opinion.objects.overdue(Opinion.objects.order_by().first().received_on.today()).exists()
    sizes = set(Household.objects.annotate(n=Count("residents")).values_list("n", flat=True))
    assert {1, 2, 3, 4, 5} <= sizes
    assert (
        not Household.objects.annotate(heads=Count("residents"))
        .filter(residents__relation="head")
        .exclude(heads__gte=1)
        .exists()
    )

    # the stored totals the dashboards read, counted once at the end of the load, agree with the rows
    assert totals.drift() == []
    stored = OrganisationTotals.objects.aggregate(households=Sum("households"), residents=Sum("residents"))
    assert stored == {"households": households, "residents": Resident.objects.count()}

    # logins of every role, placed in the generated tree
    village = User.objects.get(username="jingban").organisation
    assert village.is_grassroots and Household.objects.filter(organisation=village).exists()
    assert User.objects.get(username="zuzhibu").organisation.parent is None

    # derived fields exactly as save() fills them: computed in Python for all rows …
    for head_name, group, address, key, sort_key in Household.objects.values_list(
        "head_name", "group", "address", "head_initials", "sort_key"
    ):
        assert key == initials(head_name)
        assert sort_key == household_sort_key(group, address)
    for name, key in Resident.objects.values_list("name", "name_initials"):
        assert key == initials(name)
    for name, key in PartyMember.objects.values_list("name", "name_initials"):
        assert key == initials(name)
    for name, key in Opinion.objects.values_list("reporter_name", "reporter_initials"):
        assert key == initials(name)
    assert any(" " in key.strip() for key in Resident.objects.values_list("name_initials", flat=True)[:50])

    # … and by save() itself on a sample: saving changes nothing
    for model, fields in (
        (Household, ("head_initials", "sort_key")),
        (Resident, ("name_initials",)),
        (PartyMember, ("name_initials",)),
        (Opinion, ("reporter_initials",)),
    ):
        for row in model.objects.order_by("?")[:30]:
            before = [getattr(row, f) for f in fields]
            row.save()
            row.refresh_from_db()
            assert [getattr(row, f) for f in fields] == before

    # searchable as soon as it is built (SQLite's indexes are filled once at the end, rows are written
    # with their own ids), and a row the app adds afterwards gets a fresh id and is found as well
    resident = Resident.objects.filter(relation="head").order_by("?").first()
    household = resident.household
    assert resident in Resident.objects.filter(name_initials__pinyin=resident.name_initials.split()[0])
    assert resident in Resident.objects.filter(name__part=resident.name)
    assert household in Household.objects.filter(address__part=household.address[-6:])
    added = Resident.objects.get(pk=resident.pk)
    added.pk, added.id_number, added.relation, added.name = None, "", "other", "欧阳新芽"
    added.save()
    assert added.pk > Resident.objects.exclude(pk=added.pk).order_by("-pk").first().pk
    assert list(Resident.objects.filter(name__part="新芽")) == [added]
    assert added in Resident.objects.filter(name_initials__pinyin="oyxy")

    # reception days and receptions (DESIGN.md: 15,000 receptions a year at 400,000 households): every
    # township and village has its year published, the visitors' initials as save() fills them
    from feedback.models import Reception, ReceptionSession

    year = datetime.date.today().year
    for organisation in Organisation.objects.filter(level__in=["township", "village", "community"]):
        sessions = ReceptionSession.objects.published().filter(organisation=organisation, date__year=year)
        assert sessions.count() >= (12 if organisation.level == "township" else 52), organisation.name
    assert 0.025 <= Reception.objects.count() / households <= 0.04
    assert not Reception.objects.exclude(session__organisation=F("organisation")).exists()
    for name, key in Reception.objects.values_list("visitor_name", "visitor_initials"):
        assert key == initials(name)

    # opinion numbers continue where the generated ones stop
    for sequence in Sequence.objects.filter(kind="opinion"):
        numbers = Opinion.objects.filter(organisation=sequence.organisation, year=sequence.year)
        assert sequence.last == numbers.count() == max(numbers.values_list("number", flat=True))

    # only on an empty database
    with pytest.raises(CommandError, match="已有户数据"):
        generate()


def test_same_seed_same_rows_other_seed_other_rows():
    prints = []
    for seed in (7, 7, 8):
        try:
            with transaction.atomic():
                generate(600, seed)
                prints.append(fingerprint())
                raise Rollback
        except Rollback:
            pass
    assert prints[0] == prints[1]
    assert prints[0][2] != prints[2][2]


def test_scale_follows_the_household_count():
    """Villages keep their size: a smaller district has fewer villages, not smaller ones."""
    district = ScaleSpec()
    assert (district.townships, district.villages + district.communities) == (20, 277)
    tenth = ScaleSpec(households=40_000)
    assert (tenth.townships, tenth.villages + tenth.communities) == (2, 28)
