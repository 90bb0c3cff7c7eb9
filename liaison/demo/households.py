"""Households for the demo district: addresses in booklet order, the 八清楚, tags, and the rows to insert."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from liaison.demo import data as demo
from liaison.demo.people import (
    Draw,
    HouseholdDraft,
    Person,
    assign_contacts,
    assign_occupation,
    draw_family,
)
from liaison.models import Household, Organisation, Resident
from liaison.text.pinyin import initials
from liaison.text.sorting import household_sort_key

Relation = Resident.Relation


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


def draw_skills_and_concerns(
    draw: Draw, draft: HouseholdDraft, township: demo.TownshipDef, community: bool
) -> None:
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
    """Which concerns (data.VILLAGE_PROBLEMS and the like) fit this household."""
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
