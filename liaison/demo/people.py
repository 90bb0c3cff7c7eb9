"""People for the demo district: families with coherent ages, names, jobs, phones and valid ID numbers."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.base import CommandError

from liaison.demo import data as demo
from liaison.models import Household, Organisation, Resident

Level = Organisation.Level
Relation = Resident.Relation

# GB 11643-1999: weights of the 17 body digits and the check code for each remainder mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
# The first digit of the 3-digit sequence code tells the blocks apart (1–6 villages, 7 the unit),
# so ID numbers drawn for different villages can never collide.
UNIT_ID_BLOCK = 7
MAX_HOUSEHOLD_SIZE = 6


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
        joined = datetime.date(
            person.birth_date.year + join_age, self.rng.randint(1, 12), self.rng.randint(1, 28)
        )
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
        kids = children_of(
            draw, mother, father.surname, rng.choice((1, 1, 2, 2, 2, 3)), (0, 17), Relation.CHILD
        )
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
        grandchildren = children_of(
            draw, mother, head.surname, rng.choice((1, 2)), (0, 16), Relation.GRANDCHILD
        )
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
