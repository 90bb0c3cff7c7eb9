"""Who in the demo villages is a party member, with their branch and title: drafts, not rows.

Being a member is on the household's card (家庭党员情况), so liaison draws it with the households; the
members app turns the drafts into PartyMember rows (members/demo.py)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from liaison.demo import data as demo
from liaison.demo.people import (
    Draw,
    HouseholdDraft,
    Person,
    occupation_income,
)
from liaison.models import Organisation, Resident

Relation = Resident.Relation


def weighted_sample(
    rng: random.Random, items: Sequence[Person], weights: Sequence[float], k: int
) -> list[Person]:
    """k items without replacement, each as likely as its weight (Efraimidis–Spirakis)."""
    keys = [rng.random() ** (1 / weight) for weight in weights]
    ranked = sorted(zip(keys, range(len(items)), strict=True), reverse=True)
    return [items[index] for _, index in ranked[:k]]


def member_weight(person: Person) -> float:
    weight = 3.0 if person.age >= 60 else 2.0 if person.age >= 40 else 1.0
    return weight * (1.5 if person.gender == "M" else 1.0)


def can_lead(person: Person) -> bool:
    return 35 <= person.age <= 62 and not person.is_away


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def choose_village_members(
    draw: Draw, drafts: Sequence[HouseholdDraft], village: demo.VillageDef
) -> list[Person]:
    """Residents who are members, one branch at a time: a secretary, committee members, members."""
    branches = len(village.branches)
    chosen: list[Person] = []
    for branch, quota in enumerate(split(demo.LINKED_MEMBERS_PER_VILLAGE, branches)):
        residents = [
            p
            for d in drafts
            if d.group_index * branches // village.groups == branch
            for p in d.people
            if p.age >= 22
        ]
        leaders = [p for p in residents if can_lead(p)]
        secretary = draw.rng.choice(leaders) if leaders else None
        others = [p for p in residents if p is not secretary]
        picked = weighted_sample(
            draw.rng, others, [member_weight(p) for p in others], quota - bool(secretary)
        )
        members = [secretary, *picked] if secretary else picked
        for person in members:
            person.branch = branch
        give_titles(members)
        chosen += members
    for person in chosen:
        make_member(draw, person)
        if person.title == demo.SECRETARY_TITLE and not person.is_away:
            person.occupation = "社区工作者" if village.is_community else "村干部"
            person.income = occupation_income(draw, person.occupation, village.is_community)
    return chosen


def give_titles(members: Sequence[Person]) -> None:
    """The first is the secretary, the next ones who are at home sit on the committee."""
    committee = 0
    for index, person in enumerate(members):
        if index == 0:
            person.title = demo.SECRETARY_TITLE
        elif committee < demo.COMMITTEE_PER_BRANCH and not person.is_away:
            person.title = demo.COMMITTEE_TITLE
            committee += 1
        else:
            person.title = demo.MEMBER_TITLE


def make_member(draw: Draw, person: Person) -> None:
    person.is_party_member = True
    person.join_date = draw.join_date(person)
    person.phone = person.phone or draw.mobile()
    person.id_number = person.id_number or draw.id_number(person.birth_date, person.gender)
    if person.is_away:
        person.away_party_life = draw.rng.choice(demo.AWAY_PARTY_LIFE_MEMBER)


def draw_outside_members(draw: Draw, count: int, branches: int, ages: tuple[int, int]) -> list[Person]:
    """Members registered in the branch who live in no seeded household."""
    people = []
    for _ in range(count):
        person = draw.person(draw.rng.randint(*ages), "M" if draw.chance(0.6) else "F", Relation.OTHER)
        person.branch = draw.rng.randrange(branches)
        person.title = demo.MEMBER_TITLE
        make_member(draw, person)
        people.append(person)
    return people


@dataclass
class DrawnMembers:
    """The members seed_demo drew this run, each with the branch they belong to, for the apps' demo.seed."""

    members: list[tuple[Person, Organisation]] = field(default_factory=list)

    def add(self, people: Sequence[Person], branches: Sequence[Organisation]) -> None:
        self.members += [(person, branches[person.branch]) for person in people]
