"""The visit and 五必访 models: constraints the database holds whatever code writes, and the audit trail."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from auditlog.registry import auditlog
from django.db import IntegrityError, transaction

from liaison.models import Resident
from tests.factories import PartyMemberFactory, ResidentFactory
from visits import rules
from visits.models import EventKind, MustVisitEvent, Visit, VisitMember
from visits.services.snapshot import save_members, take_snapshot

DAY = datetime.date(2026, 3, 3)


@pytest.fixture
def visitor(tree):
    return PartyMemberFactory(organisation=tree["village_a"], name="陈书记")


def make_visit(household, visitor, *, on=DAY, **fields) -> Visit:
    visit = Visit(visitor=visitor, visited_on=on, situation="了解生产生活情况。", **fields)
    rows = take_snapshot(visit, household)
    visit.save()
    save_members(visit, rows)
    return visit


def test_snapshot_copies_the_eight_clear_and_the_family(household_a, visitor):
    household_a.housing_area = Decimal("120.5")
    household_a.annual_income = Decimal("56000")
    household_a.skills = "柑橘种植"
    household_a.save()
    ResidentFactory(
        household=household_a,
        name="王小军",
        relation=Resident.Relation.CHILD,
        birth_year=1998,
        is_away=True,
        away_location="广东省东莞市",
        occupation="电子厂工人",
        phone="13700001111",
        away_return="春节返家",
    )
    visit = make_visit(household_a, visitor)
    assert visit.organisation == household_a.organisation
    assert (visit.address, visit.head_name) == ("桂花村三组12号", "王喆")
    assert (visit.housing_area, visit.annual_income, visit.skills) == (Decimal("120.5"), 56000, "柑橘种植")
    head, son = visit.members.all()
    assert (head.position, head.name, head.relation, head.age) == (1, "王喆", "户主", 56)
    assert head.phone == ""  # a resident at home: the household's phone is the 联系电话
    assert (son.age, son.is_away, son.away_location, son.phone, son.away_return) == (
        28,
        True,
        "广东省东莞市",
        "13700001111",
        "春节返家",
    )


def test_later_household_edits_never_rewrite_the_log(household_a, visitor):
    visit = make_visit(household_a, visitor)
    household_a.address = "桂花村四组1号"
    household_a.housing_area = Decimal("300")
    household_a.save()
    Resident.objects.filter(household=household_a).update(name="王某某")
    visit.refresh_from_db()
    assert visit.address == "桂花村三组12号"
    assert visit.housing_area is None
    assert [m.name for m in visit.members.all()] == ["王喆"]


def test_one_visit_per_visitor_household_and_day(household_a, visitor):
    make_visit(household_a, visitor)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_visit(household_a, visitor)
    make_visit(household_a, visitor, on=DAY + datetime.timedelta(days=1))
    assert Visit.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("housing_area", rules.MAX_HOUSING_AREA, True),
        ("housing_area", rules.MAX_HOUSING_AREA + Decimal("0.01"), False),
        ("housing_area", Decimal("-0.01"), False),
        ("annual_income", rules.MAX_ANNUAL_INCOME, True),
        ("annual_income", rules.MAX_ANNUAL_INCOME + Decimal("0.01"), False),
        ("annual_income", Decimal("-1"), False),
    ],
)
def test_database_refuses_absurd_area_and_income(household_a, visitor, field, value, ok):
    visit = make_visit(household_a, visitor)
    query = Visit.objects.filter(pk=visit.pk)
    if ok:
        query.update(**{field: value})
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        query.update(**{field: value})


def test_signature_not_before_the_visit(household_a, visitor):
    visit = make_visit(household_a, visitor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(signed_on=DAY - datetime.timedelta(days=1))
    Visit.objects.filter(pk=visit.pk).update(signed_on=DAY)


def test_family_rows_keep_their_order_unique(household_a, visitor):
    visit = make_visit(household_a, visitor)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitMember.objects.create(visit=visit, position=1, name="重复")


def test_must_visit_event_open_until_a_tagged_visit_on_or_after_it(household_a, visitor):
    from members.models import Position

    # the village secretary's visit closes it (visits/tests/test_must_visit.py for anyone else's)
    Position.objects.create(
        member=visitor,
        organisation=household_a.organisation,
        role=Position.Role.SECRETARY,
        start_date=datetime.date(2021, 1, 1),
    )
    event = MustVisitEvent.objects.create(
        organisation=household_a.organisation,
        household=household_a,
        kind=EventKind.HOSPITALISED,
        occurred_on=DAY,
    )
    make_visit(household_a, visitor, on=DAY - datetime.timedelta(days=2))  # before: not tagged
    assert list(MustVisitEvent.objects.open()) == [event]
    make_visit(household_a, visitor, on=DAY + datetime.timedelta(days=3), event=event)
    assert list(MustVisitEvent.objects.open()) == []
    assert list(MustVisitEvent.objects.closed()) == [event]
    assert event.days_since(DAY + datetime.timedelta(days=5)) == 5


def test_must_visit_event_unique_per_household_kind_day(household_a):
    fields = dict(
        organisation=household_a.organisation, household=household_a, kind=EventKind.ACCIDENT, occurred_on=DAY
    )
    MustVisitEvent.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        MustVisitEvent.objects.create(**fields)


def test_every_visits_model_is_on_the_audit_trail():
    for model in (Visit, VisitMember, MustVisitEvent):
        assert auditlog.contains(model)
