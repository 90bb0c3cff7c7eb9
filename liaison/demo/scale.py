"""`manage.py seed_demo --scale district`: a district-sized data set for the benchmark harness.

DESIGN.md sizes the district after 重庆市巴南区 (seed 004): 20 镇街, 277 村（社区）(200 villages and 77
communities), 400,000 households, 1.2 M residents, 40,000 party members, 20,000 pairings and 60,000
opinions a year. `--households N` keeps every village the same size on average and scales the
number of villages and townships instead, so a village clerk's page can be compared between a
40k and a 400k district: their own village is the same in both.

Rows are drawn with the small demo's own functions (liaison/demo/people.py, households.py), so the
shapes are the same (household sizes, ages, jobs, away workers, tags), and inserted in batches as
tuples (liaison/demo/rows.py), one transaction per village. Derived fields (pinyin initials, sort
keys) are computed by the very functions the models' save() calls; tests compare them with save() on
a small set.

Each domain app extends the data set in `<app>/demo_scale.py` with `seed_scale(ctx: ScaleContext)
-> str | None`, called in dependency order after the backbone (members: pairings, unit pairings,
联系点, posts; feedback: opinions). Reproducible: the same --seed and --households give the same rows.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import importlib.util
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import connection, models, transaction

from liaison import totals as totals_of
from liaison.demo import data as demo
from liaison.demo import refresh_statistics
from liaison.demo.households import AddressBook, draw_household, finish_household, resident_row
from liaison.demo.members import draw_outside_members, make_member
from liaison.demo.people import Draw, Person, id_check_digit
from liaison.demo.rows import insert_rows
from liaison.models import Household, HouseholdTag, Organisation, Resident, Role, User
from liaison.text import pinyin, sorting, sqlite_fts

Level = Organisation.Level

DISTRICT_HOUSEHOLDS = 400_000
DISTRICT_TOWNSHIPS = 20
DISTRICT_VILLAGES = 200
DISTRICT_COMMUNITIES = 77
# Per household, from DESIGN.md's district: 40,000 members, 20,000 pairings, 60,000 opinions a year.
MEMBERS_PER_HOUSEHOLD = 0.10
PAIRINGS_PER_HOUSEHOLD = 0.05
OPINIONS_PER_HOUSEHOLD = 0.15
# Most members live in a household of their village; the rest (returned graduates, members living
# in town) are registered in its branch without one.
OUTSIDE_MEMBER_SHARE = 0.08
BATCH = 2000
SCALE_APPS = ("members", "visits", "feedback", "commitments")

# 巴南区's 镇街 (a few more than 20 so that the list never runs short).
TOWNSHIP_NAMES = (
    "鱼洞街道",
    "龙洲湾街道",
    "李家沱街道",
    "花溪街道",
    "南泉街道",
    "一品街道",
    "南彭街道",
    "惠民街道",
    "界石镇",
    "安澜镇",
    "天星寺镇",
    "接龙镇",
    "石滩镇",
    "石龙镇",
    "双河口镇",
    "麻柳嘴镇",
    "丰盛镇",
    "二圣镇",
    "东温泉镇",
    "姜家镇",
    "木洞镇",
    "圣灯山镇",
)
PLACE_FIRST = "桂石楠虎红新金银龙凤青白黄马鹿松柏竹梅兰清水山河丰太安永兴和平乐明光华荣"
PLACE_SECOND = "花岗竹啸星华山坪湾沟坝桥林塘岩垭口溪田园庄寨坡湖泉岭"
STREET_SUFFIXES = ("路", "街", "大道", "巷")


@dataclass(frozen=True)
class ScaleSpec:
    households: int = DISTRICT_HOUSEHOLDS
    seed: int = 1

    @property
    def factor(self) -> float:
        return self.households / DISTRICT_HOUSEHOLDS

    @property
    def townships(self) -> int:
        return max(1, min(DISTRICT_TOWNSHIPS, round(DISTRICT_TOWNSHIPS * self.factor)))

    @property
    def villages(self) -> int:
        return max(1, round(DISTRICT_VILLAGES * self.factor))

    @property
    def communities(self) -> int:
        return max(1 if self.households >= 1000 else 0, round(DISTRICT_COMMUNITIES * self.factor))


@dataclass
class Village:
    """One generated village or community and what the backbone put in it; apps read this."""

    organisation: Organisation
    township: Organisation
    branches: list[Organisation]
    clerk: User
    household_ids: list[int] = field(default_factory=list)
    # The party members drawn among (and beside) its households; members/demo_scale.py builds their
    # rows first and fills member_ids.
    drawn_members: list[Person] = field(default_factory=list)
    member_ids: list[int] = field(default_factory=list)
    poor_household_ids: list[int] = field(default_factory=list)
    # (name, address, phone) of some residents: reporters of opinions, visitors of receptions.
    reporters: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ScaleContext:
    spec: ScaleSpec
    district: Organisation
    townships: list[Organisation]
    villages: list[Village]
    today: datetime.date
    log: Callable[[str], None]
    counts: dict[str, int] = field(default_factory=dict)

    def rng(self, key: str) -> random.Random:
        return random.Random(f"{demo.SEED}:{self.spec.seed}:{key}")


def batched_create(model: type[models.Model], rows: Iterable[models.Model], batch: int = BATCH) -> list:
    """Insert generated rows in fixed batches (a generator of rows never sits in memory whole), as
    tuples with executemany rather than through bulk_create's compiler (liaison/demo/rows.py)."""
    return insert_rows(model, rows, batch)


# The derived fields, computed by the same functions save() calls, memoised: 1.2 M names come from a
# few thousand distinct ones.
cached_initials = functools.lru_cache(maxsize=65536)(pinyin.initials)
cached_sort_key = functools.lru_cache(maxsize=4096)(sorting.household_sort_key)


class ScaleDraw(Draw):
    """A village's draws, with ID numbers numbered per birth date and sex across the whole district (the
    small demo's random 3-digit blocks would collide among 1.2 M people)."""

    def __init__(self, key: str, counters: dict, used_phones: set[str]) -> None:
        super().__init__(key, 0, set(), used_phones)
        self.counters = counters

    def id_number(self, birth: datetime.date, gender: str) -> str:
        slot = (birth, gender)
        n = self.counters.get(slot, 0)
        if n >= 500:
            raise CommandError(f"{birth} 出生的人太多，身份证顺序码不够用。")
        self.counters[slot] = n + 1
        sequence = n * 2 + (1 if gender == "M" else 0)  # GB 11643: odd for men, even for women
        body = f"{demo.REGION_ID_PREFIX}{birth:%Y%m%d}{sequence:03d}"
        return body + id_check_digit(body)


def village_names(rng: random.Random, count: int) -> list[str]:
    names = [a + b for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
    rng.shuffle(names)
    return names[:count]


def split(total: int, weights: Sequence[float]) -> list[int]:
    """Apportion `total` by weight (largest remainder), so the parts add up exactly."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: total - sum(parts)]:
        parts[index] += 1
    return parts


class DistrictGenerator:
    def __init__(self, spec: ScaleSpec, *, log: Callable[[str], None], today: datetime.date) -> None:
        self.spec = spec
        self.log = log
        self.today = today
        self.id_counters: dict = {}
        self.used_phones: set[str] = set()
        self.password = make_password(demo.PASSWORD)

    def rng(self, key: str) -> random.Random:
        return random.Random(f"{demo.SEED}:{self.spec.seed}:{key}")

    def run(self) -> ScaleContext:
        if Household.objects.exists():
            raise CommandError(
                "数据库里已有户数据：--scale district 只在空库上生成（先删除数据库文件或新建数据库）。"
            )
        started = time.monotonic()
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:  # a throwaway data set: no fsync per village
                cursor.execute("PRAGMA synchronous=OFF")
        with sqlite_fts.bulk_load():  # SQLite's search indexes filled once at the end, not row by row
            ctx = self.generate(started)
        if connection.vendor == "sqlite":
            self.log(f"  检索索引已建（{time.monotonic() - started:.0f} 秒）")
        refresh_statistics()
        # The villages' stored totals, counted once the planner knows the tables' sizes: counted per
        # village while loading, PostgreSQL planned each count for tables it still took as empty
        # (1.5 s a village at 20,000 households, and growing with the district). Rows written here
        # send no signals, so nothing else keeps the totals.
        totals_of.recount(v.organisation.pk for v in ctx.villages)
        self.log(f"  村（社区）合计已算（{time.monotonic() - started:.0f} 秒）")
        return ctx

    def generate(self, started: float) -> ScaleContext:
        with transaction.atomic():
            ctx = self.organisations()
            self.logins(ctx)
        tags = {tag.name: tag for tag in HouseholdTag.objects.all()}
        poor = {tag.name for tag in tags.values() if tag.is_poor}
        ids = [self.village_households(ctx, v) for v in ctx.villages]
        totals = [0, 0, 0]
        for index, (village, count) in enumerate(zip(ctx.villages, ids, strict=True)):
            with transaction.atomic():
                made = self.seed_village(ctx, village, count, tags, poor)
            totals = [a + b for a, b in zip(totals, made, strict=True)]
            if index % 20 == 19 or index == len(ctx.villages) - 1:
                self.log(
                    f"  村（社区）{index + 1}/{len(ctx.villages)}：户 {totals[0]}，家庭成员 {totals[1]}，"
                    f"党员 {totals[2]}（{time.monotonic() - started:.0f} 秒）"
                )
        ctx.counts.update(households=totals[0], residents=totals[1], members=totals[2])
        for app in self.scale_apps():
            with transaction.atomic():
                summary = importlib.import_module(f"{app}.demo_scale").seed_scale(ctx)
            if summary:
                self.log(f"  {summary}（{time.monotonic() - started:.0f} 秒）")
        return ctx

    @staticmethod
    def scale_apps() -> list[str]:
        names = {config.name for config in apps.get_app_configs()}
        return [
            app
            for app in SCALE_APPS
            if app in names and importlib.util.find_spec(f"{app}.demo_scale") is not None
        ]

    # organisations and logins ------------------------------------------------------------------------

    def organisations(self) -> ScaleContext:
        spec = self.spec
        rng = self.rng("organisations")
        region = "重庆市巴南区"
        district = Organisation(
            code=demo.DISTRICT_CODE,
            name=f"中共{region}委",
            short_name="巴南区",
            level=Level.DISTRICT,
            address=demo.DISTRICT_ADDRESS,
        )
        district.save()
        townships = []
        for index in range(spec.townships):
            name = TOWNSHIP_NAMES[index]
            township = Organisation(
                code=f"{demo.DISTRICT_CODE}-T{index + 1:02d}",
                name=f"{name}{'党工委' if name.endswith('街道') else '党委'}",
                short_name=name,
                level=Level.TOWNSHIP,
                parent=district,
                address=f"{name}政务服务中心",
            )
            township.save()
            townships.append(township)
        kinds = [False] * spec.villages + [True] * spec.communities
        rng.shuffle(kinds)
        names = village_names(rng, len(kinds))
        villages = []
        for index, is_community in enumerate(kinds):
            township = townships[index % len(townships)]
            name = names[index] + ("社区" if is_community else "村")
            organisation = Organisation(
                code=f"{township.code}-V{index + 1:03d}",
                name=f"{name}党委" if index % 3 == 0 else f"{name}党总支",
                short_name=name,
                level=Level.COMMUNITY if is_community else Level.VILLAGE,
                parent=township,
                address=f"{township.short_name}{name}便民服务中心",
            )
            organisation.save()
            branches = []
            for number in range(1, self.rng(f"branches:{index}").randint(2, 4)):
                branch = Organisation(
                    code=f"{organisation.code}-{number}",
                    name=f"{name}第{demo.CHINESE_NUMERALS[number - 1]}党支部",
                    short_name=f"第{demo.CHINESE_NUMERALS[number - 1]}党支部",
                    level=Level.BRANCH,
                    parent=organisation,
                    address=organisation.address,
                )
                branch.save()
                branches.append(branch)
            villages.append(Village(organisation, township, branches, clerk=None))  # type: ignore[arg-type]
        return ScaleContext(spec, district, townships, villages, self.today, self.log)

    def logins(self, ctx: ScaleContext) -> None:
        """The demo's five logins, placed in the first village and townships, and one clerk per village
        (the opinions' 责任人/经办人)."""
        first = ctx.villages[0]
        second_township = ctx.townships[1] if len(ctx.townships) > 1 else ctx.townships[0]
        places = {
            "jingban": first.organisation,
            "shuji": first.township,
            "zhenjie": second_township,
            "zuzhibu": ctx.district,
            "admin": ctx.district,
        }
        rows = []
        for login in demo.LOGINS:
            rows.append(
                User(
                    username=login.username,
                    full_name=login.full_name,
                    title=login.title,
                    phone=login.phone,
                    role=login.role,
                    organisation=places[login.username],
                    is_staff=login.superuser,
                    is_superuser=login.superuser,
                    password=self.password,
                )
            )
        for village in ctx.villages[1:]:
            rows.append(
                User(
                    username=f"clerk-{village.organisation.code.lower()}",
                    full_name=f"{village.organisation.short_name}经办人",
                    title=f"{village.organisation.short_name}便民服务专干",
                    role=Role.CLERK,
                    organisation=village.organisation,
                    password=self.password,
                )
            )
        User.objects.bulk_create(rows)
        users = {u.organisation_id: u for u in User.objects.filter(role=Role.CLERK)}
        for village in ctx.villages:
            village.clerk = users[village.organisation.pk]

    # households, residents, members ------------------------------------------------------------------

    def village_households(self, ctx: ScaleContext, village: Village) -> int:
        weights = [
            self.rng(f"size:{i}").uniform(0.4, 1.6) * (1.3 if v.organisation.level == Level.COMMUNITY else 1)
            for i, v in enumerate(ctx.villages)
        ]
        if not hasattr(self, "_sizes"):
            self._sizes = split(self.spec.households, weights)
        return self._sizes[ctx.villages.index(village)]

    def village_def(self, village: Village, households: int) -> tuple[demo.TownshipDef, demo.VillageDef]:
        organisation = village.organisation
        community = organisation.level == Level.COMMUNITY
        rng = self.rng(f"def:{organisation.code}")
        streets: tuple[str, ...] = ()
        if community:
            count = max(3, households // 700)
            streets = tuple(
                rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND) + rng.choice(STREET_SUFFIXES)
                for _ in range(count)
            )
            streets = tuple(dict.fromkeys(streets))
        groups = min(10, max(3, households // 120)) if not community else max(3, households // 250)
        township = demo.TownshipDef(
            code=village.township.code,
            name=village.township.short_name,
            committee=village.township.name,
            address=village.township.address,
            villages=(),
        )
        definition = demo.VillageDef(
            code=organisation.code,
            name=organisation.short_name,
            is_community=community,
            groups=groups,
            households=households,
            branches=tuple(b.short_name for b in village.branches),
            streets=streets,
        )
        return township, definition

    def seed_village(
        self, ctx: ScaleContext, village: Village, households: int, tags: dict, poor: set[str]
    ) -> tuple[int, int, int]:
        if households == 0:
            return 0, 0, 0
        township, definition = self.village_def(village, households)
        draw = ScaleDraw(f"{self.spec.seed}:{definition.code}", self.id_counters, self.used_phones)
        addresses = AddressBook(draw, township, definition)
        drafts = [draw_household(draw, addresses, township) for _ in range(households)]
        # Party members: adults of the village's households, more often men and older people, as in
        # the small demo (member_weight), to about MEMBERS_PER_HOUSEHOLD per household.
        members: list[Person] = []
        linked = round(households * MEMBERS_PER_HOUSEHOLD * (1 - OUTSIDE_MEMBER_SHARE))
        adults = [p for d in drafts for p in d.people if p.age >= 20]
        chance = min(1.0, linked / max(1, len(adults)))
        for person in adults:
            if draw.chance(chance):
                make_member(draw, person)
                person.branch = draw.rng.randrange(len(village.branches))
                person.title = demo.MEMBER_TITLE
                members.append(person)
        outside = round(households * MEMBERS_PER_HOUSEHOLD * OUTSIDE_MEMBER_SHARE)
        members += draw_outside_members(draw, outside, len(village.branches), (24, 60))
        rows = [finish_household(draw, d, village.organisation) for d in drafts]
        for row in rows:  # the same functions as Household.save()
            row.head_initials = cached_initials(row.head_name)
            row.sort_key = cached_sort_key(row.group, row.address)
        rows = batched_create(Household, rows)
        residents = []
        for d in drafts:
            for p in d.people:
                resident = resident_row(p, d.row)
                residents.append(resident)
        for resident in residents:  # Resident.save()
            resident.name_initials = cached_initials(resident.name)
        batched_create(Resident, residents)
        through = Household.tags.through
        batched_create(
            through,
            (
                through(household=d.row, householdtag=tags[name])
                for d in drafts
                for name in d.tags
                if name in tags
            ),
        )
        village.drawn_members = members
        village.household_ids = [d.row.pk for d in drafts]
        village.poor_household_ids = [d.row.pk for d in drafts if poor.intersection(d.tags)]
        village.reporters = [
            (p.name, d.address, p.phone or d.row.phone)
            for d in drafts[:: max(1, len(drafts) // 500)]
            for p in d.people[:1]
        ]
        return len(rows), len(residents), len(members)
