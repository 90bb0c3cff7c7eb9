"""`manage.py seed_demo`: a small, realistic district of 重庆市巴南区 with one login per role.

Idempotent. Organisations are upserted by code and logins by username. A village's households,
residents and party members are drawn only while the village holds none of them yet (the unit's
members only while its branch has none), so a second run adds nothing. Each village draws from its
own random.Random seeded with demo_data.SEED and the village code: the same data every time, whether
or not the other villages exist. All of it runs in one transaction.

The names, places and word lists live in liaison/demo_data.py.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import random
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from liaison import demo_data as demo
from liaison.models import Household, HouseholdTag, Organisation, Resident, Role, User
from liaison.pinyin import initials
from liaison.sorting import household_sort_key

# Apps whose demo.py adds to the demo district, in dependency order.
DEMO_APPS = ("members", "visits", "feedback", "commitments")

Level = Organisation.Level
Relation = Resident.Relation

# GB 11643-1999: weights of the 17 body digits and the check code for each remainder mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
# The first digit of the 3-digit sequence code tells the blocks apart (1–6 villages, 7 the unit),
# so ID numbers drawn for different villages can never collide.
UNIT_ID_BLOCK = 7
MAX_HOUSEHOLD_SIZE = 6


def run_app_demos(district: Organisation, stdout) -> list[str]:
    """Each domain app may ship `<app>/demo.py` with `seed(district) -> str | None` (idempotent, in this
    transaction); liaison finds it the way the admin finds admin.py, so it imports none of the apps."""
    lines = []
    for config in apps.get_app_configs():
        if config.name in DEMO_APPS and importlib.util.find_spec(f"{config.name}.demo") is not None:
            summary = importlib.import_module(f"{config.name}.demo").seed(district)
            if summary:
                lines.append(summary)
    return lines


def id_check_digit(body: str) -> str:
    return ID_CHECK_CODES[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


# --- drafts: people and households before they become rows -----------------------------------------


@dataclass
class Person:
    name: str
    gender: str
    birth_date: datetime.date
    relation: str = Relation.OTHER
    occupation: str = ""
    income: int = 0
    phone: str = ""
    id_number: str = ""
    is_away: bool = False
    away_location: str = ""
    away_requests: str = ""
    away_party_life: str = ""
    away_law_record: str = ""
    away_return: str = ""
    is_party_member: bool = False
    join_date: datetime.date | None = None
    title: str = ""
    branch: int = 0
    household: HouseholdDraft | None = None

    @property
    def age(self) -> int:
        return demo.REFERENCE_DATE.year - self.birth_date.year

    @property
    def surname(self) -> str:
        return self.name[0]


@dataclass
class HouseholdDraft:
    shape: str
    group: str
    group_index: int
    address: str
    people: list[Person]
    housing_area: Decimal
    skills: str = ""
    problems: str = ""
    requests: str = ""
    tags: list[str] = field(default_factory=list)
    row: Household | None = None

    @property
    def head(self) -> Person:
        return self.people[0]


# --- random draws -----------------------------------------------------------------------------------


class Draw:
    """The random choices for one village (or the unit), from its own seeded generator."""

    def __init__(self, key: str, id_block: int, used_ids: set[str], used_phones: set[str]) -> None:
        self.rng = random.Random(f"{demo.SEED}:{key}")
        self.id_block = id_block
        self.used_ids = used_ids
        self.used_phones = used_phones

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def weighted(self, options: demo.Weighted, exclude: frozenset[str] = frozenset()) -> str:
        allowed = [(value, weight) for value, weight in options if value not in exclude]
        values, weights = zip(*allowed, strict=True)
        return self.rng.choices(values, weights)[0]

    def between(self, bounds: tuple[int, int], step: int = 1) -> int:
        low, high = bounds
        return self.rng.randrange(low // step, high // step + 1) * step

    def birth_date(self, age: int) -> datetime.date:
        year = demo.REFERENCE_DATE.year - age
        start = datetime.date(year, 1, 1)
        end = min(datetime.date(year, 12, 31), demo.REFERENCE_DATE)
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def given_name(self, gender: str, birth_year: int) -> str:
        if birth_year > demo.OLD_BORN_BY and self.chance(demo.RARE_NAME_SHARE):
            return self.rng.choice(demo.RARE_GIVEN_NAMES[gender])
        if birth_year <= demo.OLD_BORN_BY:
            generation = "old"
        elif birth_year <= demo.MIDDLE_BORN_BY:
            generation = "middle"
        else:
            generation = "young"
        return self.rng.choice(demo.GIVEN_NAMES[(generation, gender)])

    def person(self, age: int, gender: str, relation: str, surname: str | None = None) -> Person:
        birth = self.birth_date(max(age, 0))
        surname = surname or self.weighted(demo.SURNAMES)
        name = surname + self.given_name(gender, birth.year)
        return Person(name=name, gender=gender, birth_date=birth, relation=relation)

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(demo.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def landline(self) -> str:
        return demo.LANDLINE_PREFIX + f"{self.rng.randrange(10**6):06d}"

    def id_number(self, birth: datetime.date, gender: str) -> str:
        parity = (1, 3, 5, 7, 9) if gender == "M" else (0, 2, 4, 6, 8)
        for _ in range(500):
            sequence = f"{self.id_block}{self.rng.randrange(10)}{self.rng.choice(parity)}"
            body = f"{demo.REGION_ID_PREFIX}{birth:%Y%m%d}{sequence}"
            number = body + id_check_digit(body)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        raise CommandError(f"无法为 {birth} 出生的人生成不重复的身份证号。")

    def join_date(self, person: Person) -> datetime.date:
        low, high = demo.JOIN_AGE
        join_age = self.rng.randint(low, max(low, min(high, person.age - 2)))
        latest = demo.REFERENCE_DATE - datetime.timedelta(days=90)
        joined = datetime.date(person.birth_date.year + join_age, self.rng.randint(1, 12), self.rng.randint(1, 28))
        return min(joined, latest)


# --- families ---------------------------------------------------------------------------------------


def spouse_of(draw: Draw, head: Person) -> Person:
    gender = "F" if head.gender == "M" else "M"
    gap = draw.rng.randint(-5, 2) if gender == "F" else draw.rng.randint(-2, 6)
    return draw.person(head.age + gap, gender, Relation.SPOUSE)


def children_of(
    draw: Draw,
    mother: Person,
    surname: str,
    count: int,
    age_range: tuple[int, int],
    relation: str,
    gender: str | None = None,
) -> list[Person]:
    """Children born when their mother was 20–38, within age_range (at least 0)."""
    low = max(age_range[0], mother.age - 38, 0)
    high = max(min(age_range[1], mother.age - 20), low)
    return [
        draw.person(draw.rng.randint(low, high), gender or draw.rng.choice("MF"), relation, surname=surname)
        for _ in range(count)
    ]


def parents_of(draw: Draw, head: Person, count: int) -> list[Person]:
    father_age = min(head.age + draw.rng.randint(22, 32), 94)
    father = draw.person(father_age, "M", Relation.PARENT, surname=head.surname)
    mother = draw.person(min(father_age - draw.rng.randint(0, 4), 92), "F", Relation.PARENT)
    if count >= 2:
        return [father, mother]
    return [mother] if draw.chance(0.65) else [father]


def head_gender(draw: Draw) -> str:
    return "F" if draw.chance(0.12) else "M"


def couple(draw: Draw, age: int) -> tuple[Person, Person, Person, Person]:
    """(head, spouse, father, mother) of a married couple whose head is about `age`."""
    head = draw.person(age, head_gender(draw), Relation.HEAD)
    spouse = spouse_of(draw, head)
    father, mother = (head, spouse) if head.gender == "M" else (spouse, head)
    return head, spouse, father, mother


def draw_family(draw: Draw, shape: str) -> list[Person]:
    """Head first, then spouse, children, in-laws, grandchildren, parents: coherent ages and surnames."""
    rng = draw.rng
    if shape == "single_elder":
        return [draw.person(rng.randint(66, 90), rng.choice("MF"), Relation.HEAD)]
    if shape == "elder_couple":
        head = draw.person(rng.randint(60, 86), "M", Relation.HEAD)
        return [head, spouse_of(draw, head)]
    if shape == "single_adult":
        head = draw.person(rng.randint(24, 55), head_gender(draw), Relation.HEAD)
        return [head, *parents_of(draw, head, 1)] if draw.chance(0.5) else [head]
    if shape == "young_family":
        head, spouse, father, mother = couple(draw, rng.randint(26, 42))
        kids = children_of(draw, mother, father.surname, rng.choice((1, 1, 2, 2, 2, 3)), (0, 17), Relation.CHILD)
        elders = parents_of(draw, head, rng.choice((1, 2))) if draw.chance(0.4) else []
        return [head, spouse, *kids, *elders][:MAX_HOUSEHOLD_SIZE]
    if shape == "middle_family":
        head, spouse, father, mother = couple(draw, rng.randint(43, 60))
        kids = children_of(draw, mother, father.surname, rng.choice((1, 1, 2, 2, 3)), (8, 32), Relation.CHILD)
        elders = parents_of(draw, head, 1) if draw.chance(0.25) else []
        return [head, spouse, *kids, *elders][:MAX_HOUSEHOLD_SIZE]
    if shape == "three_generations":
        head = draw.person(rng.randint(56, 74), "M", Relation.HEAD)
        spouse = spouse_of(draw, head)
        # A son and his wife, or now and then a daughter and her 上门女婿; the children keep the head's name.
        child_gender = "F" if draw.chance(0.15) else "M"
        child = children_of(draw, spouse, head.surname, 1, (26, 45), Relation.CHILD, gender=child_gender)[0]
        partner = spouse_of(draw, child)
        partner.relation = Relation.CHILD_IN_LAW
        mother = partner if child_gender == "M" else child
        grandchildren = children_of(draw, mother, head.surname, rng.choice((1, 2)), (0, 16), Relation.GRANDCHILD)
        family = [head, spouse] if draw.chance(0.8) else [head]  # 丧偶 in one in five
        return [*family, child, partner, *grandchildren]
    raise CommandError(f"未知的家庭类型：{shape}")


# --- what people do ----------------------------------------------------------------------------------


def assign_occupation(draw: Draw, person: Person, community: bool) -> None:
    age = person.age
    male_only = frozenset() if person.gender == "M" else demo.MALE_OCCUPATIONS
    if age < 3:
        person.occupation = ""
    elif age < 6:
        person.occupation = "幼儿园"
    elif age < 19 or (age < 23 and draw.chance(0.6)):
        person.occupation = "学生"
    elif age < 60:
        away_share = demo.AWAY_SHARE_COMMUNITY if community else demo.AWAY_SHARE_VILLAGE
        if age <= 55 and draw.chance(away_share):
            send_away(draw, person, male_only)
            return
        person.occupation = draw.weighted(
            demo.COMMUNITY_OCCUPATIONS if community else demo.VILLAGE_OCCUPATIONS, male_only
        )
    else:
        elder = demo.COMMUNITY_ELDER_OCCUPATIONS if community else demo.VILLAGE_ELDER_OCCUPATIONS
        person.occupation = draw.weighted(elder)
    person.income = occupation_income(draw, person.occupation, community)


def occupation_income(draw: Draw, occupation: str, community: bool) -> int:
    if occupation == "退休" and not community:
        return draw.between(demo.VILLAGE_RETIREE_INCOME, 100)
    return draw.between(demo.OCCUPATION_INCOME.get(occupation, (0, 0)), 100)


def send_away(draw: Draw, person: Person, male_only: frozenset[str]) -> None:
    """外出人员 and the second 八清楚."""
    person.is_away = True
    person.occupation = draw.rng.choice([job for job in demo.AWAY_JOBS if job not in male_only])
    person.income = draw.between(demo.AWAY_INCOME, 1000)
    person.away_location = draw.weighted(demo.AWAY_LOCATIONS)
    person.away_return = draw.weighted(demo.AWAY_RETURNS)
    person.away_requests = draw.weighted(demo.AWAY_REQUESTS)
    person.away_law_record = draw.weighted(demo.AWAY_LAW_RECORDS)


def assign_contacts(draw: Draw, person: Person) -> None:
    age = person.age
    if person.is_away or (16 <= age <= 75 and draw.chance(0.85)) or (age > 75 and draw.chance(0.25)):
        person.phone = draw.mobile()
    if draw.chance(0.92 if age >= 16 else 0.6):
        person.id_number = draw.id_number(person.birth_date, person.gender)


# --- households ------------------------------------------------------------------------------------


class AddressBook:
    """Addresses and 村民小组/网格 of one village or community, never the same address twice."""

    def __init__(self, draw: Draw, township: demo.TownshipDef, village: demo.VillageDef) -> None:
        self.draw = draw
        self.prefix = township.name + village.name
        self.village = village
        self.next_number = [draw.rng.randint(1, 3) for _ in range(village.groups)]
        self.used: set[str] = set()

    def group_label(self, index: int) -> str:
        if self.village.is_community:
            return f"第{index + 1}网格"
        return f"{demo.CHINESE_NUMERALS[index]}组"

    def next(self) -> tuple[int, str]:
        """(group index, address)."""
        rng = self.draw.rng
        if not self.village.is_community:
            index = rng.randrange(self.village.groups)
            number = self.next_number[index]
            self.next_number[index] += rng.randint(1, 4)
            return index, f"{self.prefix}{self.group_label(index)}{number}号"
        while True:
            street_index = rng.randrange(len(self.village.streets))
            building = rng.randint(1, 120)
            flat = f"{rng.randint(1, 3)}单元{rng.randint(1, 7)}-{rng.randint(1, 4)}"
            address = f"{self.prefix}{self.village.streets[street_index]}{building}号{flat}"
            if address not in self.used:
                self.used.add(address)
                return (street_index * 31 + building) % self.village.groups, address


def draw_household(draw: Draw, addresses: AddressBook, township: demo.TownshipDef) -> HouseholdDraft:
    village = addresses.village
    community = village.is_community
    shape = draw.weighted(demo.HOUSEHOLD_SHAPES)
    people = draw_family(draw, shape)
    for person in people:
        assign_occupation(draw, person, community)
        assign_contacts(draw, person)
    index, address = addresses.next()
    area_range = demo.COMMUNITY_HOUSING_AREA if community else demo.VILLAGE_HOUSING_AREA
    draft = HouseholdDraft(
        shape=shape,
        group=addresses.group_label(index),
        group_index=index,
        address=address,
        people=people,
        housing_area=Decimal(draw.between((area_range[0] * 2, area_range[1] * 2))) / 2,
    )
    for person in people:
        person.household = draft
    draw_skills_and_concerns(draw, draft, township, community)
    return draft


def draw_skills_and_concerns(draw: Draw, draft: HouseholdDraft, township: demo.TownshipDef, community: bool) -> None:
    rng = draw.rng
    if draw.chance(demo.SKILLS_SHARE):
        pool = demo.COMMUNITY_SKILLS if community else demo.VILLAGE_SKILLS
        draft.skills = "、".join(rng.sample(pool, 2 if draw.chance(0.3) else 1))
    if draw.chance(demo.CONCERNS_SHARE):
        words = {"group": draft.group, "township": township.name}
        fits = circumstances(draft.people)
        problems = demo.COMMUNITY_PROBLEMS if community else demo.VILLAGE_PROBLEMS
        requests = demo.COMMUNITY_REQUESTS if community else demo.VILLAGE_REQUESTS
        draft.problems = rng.choice([text for text, need in problems if need in fits]).format(**words)
        if draw.chance(demo.REQUEST_WITH_CONCERN_SHARE):
            draft.requests = rng.choice([text for text, need in requests if need in fits]).format(**words)


def circumstances(people: Sequence[Person]) -> set[str]:
    """Which concerns (demo_data.VILLAGE_PROBLEMS and the like) fit this household."""
    fits = {""}
    if any(6 <= p.age <= 18 for p in people):
        fits.add("child")
    if any(p.age >= 65 for p in people):
        fits.add("elder")
    if len(people) == 1 and people[0].age >= 60:
        fits.add("alone")
    return fits


def household_income(draft: HouseholdDraft) -> int:
    low, high = demo.HOUSEHOLD_INCOME_RANGE
    return min(max(sum(p.income for p in draft.people), low), high)


def household_phone(draw: Draw, draft: HouseholdDraft) -> str:
    for person in draft.people:
        if person.phone:
            return person.phone
    return draw.landline() if draw.chance(0.5) else ""


def party_member_info(draft: HouseholdDraft) -> str:
    members = [p for p in draft.people if p.is_party_member]
    if not members:
        return ""
    words = []
    for person in members:
        word = demo.KIN_WORDS[person.relation][0 if person.gender == "M" else 1]
        words.append(word if person.relation in (Relation.HEAD, Relation.SPOUSE) else word + person.name)
    text = "、".join(words) + "为党员"
    return text if len(members) == 1 else f"{text}（共{len(members)}名）"


def candidate_tags(draft: HouseholdDraft, income: int) -> list[str]:
    people = draft.people
    per_capita = income / len(people)
    tags = ["残疾人", "示范户"]
    if draft.shape == "single_elder" and per_capita < 15000:
        tags.append("五保户")
    if per_capita < 7000:
        tags.append("低保户")
    if per_capita < 5000:
        tags.append("贫困户")
    if all(p.age >= 60 for p in people):
        tags.append("空巢老人")
    if is_left_behind(people):
        tags.append("留守儿童")
    if any(p.is_party_member and p.age >= 70 for p in people):
        tags.append("老党员")
    if income >= demo.RICH_INCOME and any(p.occupation in demo.ENTERPRISING_OCCUPATIONS for p in people):
        tags.append("致富能人")
    return tags


def is_left_behind(people: Sequence[Person]) -> bool:
    """留守儿童: a child under 16 whose parents in the household all work away."""
    for child_relation, parent_relations in (
        (Relation.CHILD, (Relation.HEAD, Relation.SPOUSE)),
        (Relation.GRANDCHILD, (Relation.CHILD, Relation.CHILD_IN_LAW)),
    ):
        kids = [p for p in people if p.relation == child_relation and p.age < 16]
        parents = [p for p in people if p.relation in parent_relations and p.age >= 18]
        if kids and parents and all(p.is_away for p in parents):
            return True
    return False


def finish_household(draw: Draw, draft: HouseholdDraft, organisation: Organisation) -> Household:
    income = household_income(draft)
    draft.tags = [tag for tag in candidate_tags(draft, income) if draw.chance(demo.TAG_CHANCE[tag])]
    head = draft.head
    draft.row = Household(
        organisation=organisation,
        group=draft.group,
        address=draft.address,
        head_name=head.name,
        head_initials=initials(head.name),
        sort_key=household_sort_key(draft.group, draft.address),
        phone=household_phone(draw, draft),
        housing_area=draft.housing_area,
        annual_income=Decimal(income),
        skills=draft.skills,
        problems=draft.problems,
        requests=draft.requests,
        party_member_info=party_member_info(draft),
    )
    return draft.row


def resident_row(person: Person, household: Household) -> Resident:
    away_party_life = (person.away_party_life or demo.AWAY_PARTY_LIFE_NON_MEMBER) if person.is_away else ""
    return Resident(
        household=household,
        name=person.name,
        name_initials=initials(person.name),
        relation=person.relation,
        gender=person.gender,
        birth_year=person.birth_date.year,
        id_number=person.id_number,
        phone=person.phone,
        occupation=person.occupation,
        is_party_member=person.is_party_member,
        is_away=person.is_away,
        away_location=person.away_location,
        away_income=Decimal(person.income) if person.is_away else None,
        away_requests=person.away_requests,
        away_party_life=away_party_life,
        away_law_record=person.away_law_record,
        away_return=person.away_return,
    )


# --- party members ---------------------------------------------------------------------------------


def weighted_sample(rng: random.Random, items: Sequence[Person], weights: Sequence[float], k: int) -> list[Person]:
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


def choose_village_members(draw: Draw, drafts: Sequence[HouseholdDraft], village: demo.VillageDef) -> list[Person]:
    """Residents who are members, one branch at a time: a secretary, committee members, members."""
    branches = len(village.branches)
    chosen: list[Person] = []
    for branch, quota in enumerate(split(demo.LINKED_MEMBERS_PER_VILLAGE, branches)):
        residents = [
            p for d in drafts if d.group_index * branches // village.groups == branch
            for p in d.people if p.age >= 22
        ]
        leaders = [p for p in residents if can_lead(p)]
        secretary = draw.rng.choice(leaders) if leaders else None
        others = [p for p in residents if p is not secretary]
        picked = weighted_sample(draw.rng, others, [member_weight(p) for p in others], quota - bool(secretary))
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


def member_row(person: Person, organisation: Organisation) -> models.Model:
    party_member = apps.get_model("members", "PartyMember")
    return party_member(
        organisation=organisation,
        name=person.name,
        name_initials=initials(person.name),
        gender=person.gender,
        birth_date=person.birth_date,
        join_date=person.join_date,
        phone=person.phone,
        id_number=person.id_number,
        title=person.title,
        household=person.household.row if person.household else None,
    )


# --- the command -----------------------------------------------------------------------------------


@dataclass
class Tally:
    households: int = 0
    residents: int = 0
    members: int = 0
    skipped: list[str] = field(default_factory=list)


def assign(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def upsert_organisation(code: str, **values: Any) -> Organisation:
    organisation = Organisation.objects.filter(code=code).first() or Organisation(code=code)
    if assign(organisation, values) or organisation.pk is None:
        organisation.save()
    return organisation


class DemoPassword:
    """demo.PASSWORD hashed once and checked once per distinct hash.

    PBKDF2 takes most of a second; five logins hashed and checked one by one would make seeding slow.
    Sharing one salted hash between demo accounts whose password is printed anyway costs nothing.
    """

    def __init__(self) -> None:
        self.encoded: str | None = None
        self.verified: dict[str, bool] = {}

    def matches(self, encoded: str) -> bool:
        if encoded not in self.verified:
            self.verified[encoded] = bool(encoded) and check_password(demo.PASSWORD, encoded)
        return self.verified[encoded]

    def encode(self) -> str:
        if self.encoded is None:
            self.encoded = make_password(demo.PASSWORD)
            self.verified[self.encoded] = True
        return self.encoded


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


class Command(BaseCommand):
    help = "生成演示数据：重庆市巴南区的 2 个镇街、6 个村（社区）、约 300 户、约 60 名党员，以及每个角色一个登录账号。可重复运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.party_member = apps.get_model("members", "PartyMember")
        self.tally = Tally()
        self._used_ids: set[str] | None = None
        self.used_phones: set[str] = set()
        with transaction.atomic():
            district = self.seed_organisations()
            self.seed_people()
            users = self.seed_logins()
            extras = run_app_demos(district, self.stdout if options["verbosity"] >= 1 else None)
        if options["verbosity"] >= 1:
            self.report(district, users, time.monotonic() - started)
            for line in extras:
                self.stdout.write(f"  {line}")

    # organisations ---------------------------------------------------------------------------------

    def seed_organisations(self) -> Organisation:
        region = settings.LIAISON_REGION_NAME
        district = upsert_organisation(
            demo.DISTRICT_CODE, name=f"中共{region}委", short_name=region.rpartition("市")[2] or region,
            level=Level.DISTRICT, parent=None, address=demo.DISTRICT_ADDRESS,
        )
        self.villages: list[tuple[demo.TownshipDef, demo.VillageDef, Organisation, list[Organisation]]] = []
        for township in demo.TOWNSHIPS:
            township_org = upsert_organisation(
                township.code, name=township.committee, short_name=township.name, level=Level.TOWNSHIP,
                parent=district, address=township.address,
            )
            for village in township.villages:
                village_org = upsert_organisation(
                    village.code, name=f"{village.name}党委", short_name=village.name,
                    level=Level.COMMUNITY if village.is_community else Level.VILLAGE, parent=township_org,
                    address=f"{township.name}{village.name}便民服务中心",
                )
                branches = [
                    upsert_organisation(
                        f"{village.code}-{index}", name=f"{village.name}{branch}", short_name=branch,
                        level=Level.BRANCH, parent=village_org, address=village_org.address,
                    )
                    for index, branch in enumerate(village.branches, start=1)
                ]
                self.villages.append((township, village, village_org, branches))
        unit = upsert_organisation(
            demo.UNIT.code, name=demo.UNIT.name, short_name=demo.UNIT.name, level=Level.UNIT, parent=district,
            address=demo.DISTRICT_ADDRESS,
        )
        self.unit_branch = upsert_organisation(
            f"{demo.UNIT.code}-1", name=demo.UNIT.branch, short_name=demo.UNIT.branch, level=Level.BRANCH,
            parent=unit, address=demo.DISTRICT_ADDRESS,
        )
        return district

    # households, residents, members ----------------------------------------------------------------

    @property
    def used_ids(self) -> set[str]:
        """ID numbers already in the database, read once and only when something is drawn."""
        if self._used_ids is None:
            self._used_ids = set(Resident.objects.exclude(id_number="").values_list("id_number", flat=True))
            self._used_ids |= set(self.party_member.objects.exclude(id_number="").values_list("id_number", flat=True))
        return self._used_ids

    def seed_people(self) -> None:
        tags = {tag.name: tag for tag in HouseholdTag.objects.all()}
        for block, (township, village, village_org, branches) in enumerate(self.villages, start=1):
            if self.is_seeded(village_org, branches):
                self.tally.skipped.append(village.name)
                continue
            self.seed_village(block, township, village, village_org, branches, tags)
        if self.party_member.objects.filter(organisation=self.unit_branch).exists():
            self.tally.skipped.append(demo.UNIT.name)
        else:
            self.seed_unit()

    def is_seeded(self, village_org: Organisation, branches: Sequence[Organisation]) -> bool:
        return (
            Household.objects.filter(organisation=village_org).exists()
            or self.party_member.objects.filter(organisation__in=branches).exists()
        )

    def seed_village(
        self,
        block: int,
        township: demo.TownshipDef,
        village: demo.VillageDef,
        village_org: Organisation,
        branches: Sequence[Organisation],
        tags: dict[str, HouseholdTag],
    ) -> None:
        if block >= UNIT_ID_BLOCK:
            raise CommandError("演示村（社区）太多：身份证顺序码的分段只够 6 个。")
        draw = Draw(village.code, block, self.used_ids, self.used_phones)
        addresses = AddressBook(draw, township, village)
        drafts = [draw_household(draw, addresses, township) for _ in range(village.households)]
        members = choose_village_members(draw, drafts, village)
        members += draw_outside_members(draw, demo.UNLINKED_MEMBERS_PER_VILLAGE, len(branches), (24, 45))
        rows = Household.objects.bulk_create([finish_household(draw, d, village_org) for d in drafts])
        residents = [resident_row(p, d.row) for d in drafts for p in d.people]
        Resident.objects.bulk_create(residents, batch_size=500)
        through = Household.tags.through
        through.objects.bulk_create(
            [through(household=d.row, householdtag=tags[name]) for d in drafts for name in d.tags if name in tags]
        )
        self.party_member.objects.bulk_create([member_row(p, branches[p.branch]) for p in members])
        self.tally.households += len(rows)
        self.tally.residents += len(residents)
        self.tally.members += len(members)

    def seed_unit(self) -> None:
        draw = Draw(demo.UNIT.code, UNIT_ID_BLOCK, self.used_ids, self.used_phones)
        members = draw_outside_members(draw, demo.UNIT.members, 1, (26, 58))
        members.sort(key=lambda p: (not can_lead(p), -p.age))
        give_titles(members)
        self.party_member.objects.bulk_create([member_row(p, self.unit_branch) for p in members])
        self.tally.members += len(members)

    # logins -------------------------------------------------------------------------------------------

    def seed_logins(self) -> list[User]:
        users = []
        password = DemoPassword()
        for login in demo.LOGINS:
            user = User.objects.filter(username=login.username).first() or User(username=login.username)
            changed = assign(user, {
                "full_name": login.full_name,
                "title": login.title,
                "phone": login.phone,
                "role": login.role,
                "organisation": Organisation.objects.get(code=login.organisation_code),
                "is_active": True,
                "is_staff": login.superuser,
                "is_superuser": login.superuser,
            })
            if not password.matches(user.password):
                user.password = password.encode()
                changed = True
            if changed:
                user.save()
            users.append(user)
        return users

    # output ---------------------------------------------------------------------------------------------

    def report(self, district: Organisation, users: Sequence[User], seconds: float) -> None:
        subtree = district.subtree()
        households = Household.objects.filter(organisation__in=subtree)
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：{district.name}（用时 {seconds:.1f} 秒）"))
        self.stdout.write(
            f"  镇街 {subtree.filter(level=Level.TOWNSHIP).count()} 个，"
            f"村（社区）{subtree.filter(level__in=[Level.VILLAGE, Level.COMMUNITY]).count()} 个，"
            f"户 {households.count()} 户，家庭成员 {Resident.objects.filter(household__in=households).count()} 人，"
            f"党员 {self.party_member.objects.filter(organisation__in=subtree).count()} 名"
        )
        self.stdout.write(
            f"  本次新建：户 {self.tally.households}，家庭成员 {self.tally.residents}，党员 {self.tally.members}"
        )
        if self.tally.skipped:
            self.stdout.write(f"  已有数据、未重复生成：{'、'.join(self.tally.skipped)}")
        self.stdout.write("")
        header = ("用户名", "密码", "角色", "所属党组织", "职务")
        rows = [
            (u.username, demo.PASSWORD, Role(u.role).label if u.role else demo.SUPERUSER_LABEL,
             u.organisation.name if u.organisation else "", u.title)
            for u in users
        ]
        widths = [max(display_width(row[i]) for row in (header, *rows)) for i in range(len(header))]
        for row in (header, *rows):
            line = "  ".join(pad(cell, width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + line).rstrip())
        self.stdout.write("")
        self.stdout.write(f"登录地址：{demo.URL}")
