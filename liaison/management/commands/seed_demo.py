"""`manage.py seed_demo`: a small, realistic district of 重庆市巴南区 with one login per role.

Idempotent. Organisations are upserted by code and logins by username. A village's households and
residents are drawn only while the village holds none yet, so a second run adds nothing. Each village
draws from its own random.Random seeded with data.SEED and the village code: the same data every time,
whether or not the other villages exist. All of it runs in one transaction.

Which residents are party members is drawn with the households (it is on the 户情卡); the apps build
their own rows from there: each `<app>/demo.py` has `seed(district, drawn)`, called in DEMO_APPS order
with the members drawn this run (members/demo.py turns them into PartyMember rows).

The names, places and word lists live in liaison/demo/data.py; people, households and members are
drawn by liaison/demo/people.py, households.py and members.py.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import disable_auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from liaison import totals
from liaison.demo import data as demo
from liaison.demo import refresh_statistics
from liaison.demo.households import AddressBook, draw_household, finish_household, resident_row
from liaison.demo.members import DrawnMembers, choose_village_members, draw_outside_members
from liaison.demo.people import UNIT_ID_BLOCK, Draw
from liaison.demo.scale import DISTRICT_HOUSEHOLDS, DistrictGenerator, ScaleSpec
from liaison.models import Household, HouseholdTag, Organisation, Resident, Role, User

# Apps whose demo.py adds to the demo district, in dependency order.
DEMO_APPS = ("members", "feedback", "visits", "commitments")

Level = Organisation.Level
Relation = Resident.Relation


def run_app_demos(district: Organisation, drawn: DrawnMembers) -> list[str]:
    """Each domain app may ship `<app>/demo.py` with `seed(district, drawn) -> str | None` (idempotent, in
    this transaction); liaison finds it the way the admin finds admin.py, so it imports none of the apps."""
    lines = []
    installed = {config.name for config in apps.get_app_configs()}
    for name in DEMO_APPS:  # in this order (visits registers opinions after feedback's own)
        if name in installed and importlib.util.find_spec(f"{name}.demo") is not None:
            summary = importlib.import_module(f"{name}.demo").seed(district, drawn)
            if summary:
                lines.append(summary)
    return lines


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

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            choices=["demo", "district"],
            default="demo",
            help="demo：小型演示区（默认）；district：区级规模数据（40 万户，用于性能基准，只在空库上生成）",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="随机种子：相同种子生成相同数据（--scale district）"
        )
        parser.add_argument(
            "--households",
            type=int,
            default=DISTRICT_HOUSEHOLDS,
            help=f"户数（--scale district，默认 {DISTRICT_HOUSEHOLDS}）；村（社区）数随之按比例增减，每村规模不变",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] == "district":
            self.seed_district(options)
            return
        started = time.monotonic()
        self.tally = Tally()
        self.drawn = DrawnMembers()
        self._used_ids: set[str] | None = None
        self.used_phones: set[str] = set()
        # Demo data is no one's action: it stays off the audit trail (liaison/audit/, README).
        with disable_auditlog(), transaction.atomic():
            district = self.seed_organisations()
            self.seed_people()
            users = self.seed_logins()
            extras = run_app_demos(district, self.drawn)
            refresh_statistics()
        if options["verbosity"] >= 1:
            self.report(district, users, extras, time.monotonic() - started)

    def seed_district(self, options: dict[str, Any]) -> None:
        if options["households"] < 1:
            raise CommandError("--households 必须是正整数。")
        started = time.monotonic()
        spec = ScaleSpec(households=options["households"], seed=options["seed"])
        quiet = options["verbosity"] < 1
        log = (lambda line: None) if quiet else (lambda line: self.stdout.write(line))
        log(
            f"生成区级规模数据：{spec.townships} 个镇街，{spec.villages + spec.communities} 个村（社区），"
            f"{spec.households} 户（种子 {spec.seed}）"
        )
        ctx = DistrictGenerator(spec, log=log, today=timezone.localdate()).run()
        counts = "，".join(f"{name} {value}" for name, value in ctx.counts.items())
        log(self.style.SUCCESS(f"区级规模数据已就绪（用时 {time.monotonic() - started:.0f} 秒）：{counts}"))
        log(f"登录账号同演示数据（密码 {demo.PASSWORD}）：jingban、shuji、zhenjie、zuzhibu、admin")

    # organisations ---------------------------------------------------------------------------------

    def seed_organisations(self) -> Organisation:
        region = settings.LIAISON_REGION_NAME
        district = upsert_organisation(
            demo.DISTRICT_CODE,
            name=f"中共{region}委",
            short_name=region.rpartition("市")[2] or region,
            level=Level.DISTRICT,
            parent=None,
            address=demo.DISTRICT_ADDRESS,
        )
        self.villages: list[tuple[demo.TownshipDef, demo.VillageDef, Organisation, list[Organisation]]] = []
        for township in demo.TOWNSHIPS:
            township_org = upsert_organisation(
                township.code,
                name=township.committee,
                short_name=township.name,
                level=Level.TOWNSHIP,
                parent=district,
                address=township.address,
            )
            for village in township.villages:
                village_org = upsert_organisation(
                    village.code,
                    name=f"{village.name}党委",
                    short_name=village.name,
                    level=Level.COMMUNITY if village.is_community else Level.VILLAGE,
                    parent=township_org,
                    address=f"{township.name}{village.name}便民服务中心",
                )
                branches = [
                    upsert_organisation(
                        f"{village.code}-{index}",
                        name=f"{village.name}{branch}",
                        short_name=branch,
                        level=Level.BRANCH,
                        parent=village_org,
                        address=village_org.address,
                    )
                    for index, branch in enumerate(village.branches, start=1)
                ]
                self.villages.append((township, village, village_org, branches))
        unit = upsert_organisation(
            demo.UNIT.code,
            name=demo.UNIT.name,
            short_name=demo.UNIT.name,
            level=Level.UNIT,
            unit_kind=Organisation.Kind.ORGAN,  # 区农业农村委: a 机关
            parent=district,
            address=demo.DISTRICT_ADDRESS,
        )
        upsert_organisation(
            f"{demo.UNIT.code}-1",
            name=demo.UNIT.branch,
            short_name=demo.UNIT.branch,
            level=Level.BRANCH,
            parent=unit,
            address=demo.DISTRICT_ADDRESS,
        )
        return district

    # households, residents, members ----------------------------------------------------------------

    @property
    def used_ids(self) -> set[str]:
        """ID numbers already in the database, read once and only when something is drawn."""
        if self._used_ids is None:
            self._used_ids = set(Resident.objects.exclude(id_number="").values_list("id_number", flat=True))
        return self._used_ids

    def seed_people(self) -> None:
        tags = {tag.name: tag for tag in HouseholdTag.objects.all()}
        for block, (township, village, village_org, branches) in enumerate(self.villages, start=1):
            if Household.objects.filter(organisation=village_org).exists():
                self.tally.skipped.append(village.name)
                continue
            self.seed_village(block, township, village, village_org, branches, tags)

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
            [
                through(household=d.row, householdtag=tags[name])
                for d in drafts
                for name in d.tags
                if name in tags
            ]
        )
        totals.recount([village_org.pk])  # bulk_create sends no signals: the dashboard's stored totals
        self.drawn.add(members, branches)
        self.tally.households += len(rows)
        self.tally.residents += len(residents)
        self.tally.members += len(members)

    # logins -------------------------------------------------------------------------------------------

    def seed_logins(self) -> list[User]:
        users = []
        password = DemoPassword()
        for login in demo.LOGINS:
            user = User.objects.filter(username=login.username).first() or User(username=login.username)
            changed = assign(
                user,
                {
                    "full_name": login.full_name,
                    "title": login.title,
                    "phone": login.phone,
                    "role": login.role,
                    "organisation": Organisation.objects.get(code=login.organisation_code),
                    "is_active": True,
                    "is_staff": login.superuser,
                    "is_superuser": login.superuser,
                },
            )
            if not password.matches(user.password):
                user.password = password.encode()
                changed = True
            if changed:
                user.save()
            users.append(user)
        return users

    # output ---------------------------------------------------------------------------------------------

    def report(
        self, district: Organisation, users: Sequence[User], extras: Sequence[str], seconds: float
    ) -> None:
        subtree = district.subtree()
        households = Household.objects.filter(organisation__in=subtree)
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：{district.name}（用时 {seconds:.1f} 秒）"))
        self.stdout.write(
            f"  镇街 {subtree.filter(level=Level.TOWNSHIP).count()} 个，"
            f"村（社区）{subtree.filter(level__in=Organisation.GRASSROOTS_LEVELS).count()} 个，"
            f"户 {households.count()} 户，家庭成员 {Resident.objects.filter(household__in=households).count()} 人"
        )
        self.stdout.write(
            f"  本次新建：户 {self.tally.households}，家庭成员 {self.tally.residents}，党员 {self.tally.members}"
        )
        if self.tally.skipped:
            self.stdout.write(f"  已有数据、未重复生成：{'、'.join(self.tally.skipped)}")
        for line in extras:
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        header = ("用户名", "密码", "角色", "所属党组织", "职务")
        rows = [
            (
                u.username,
                demo.PASSWORD,
                Role(u.role).label if u.role else demo.SUPERUSER_LABEL,
                u.organisation.name if u.organisation else "",
                u.title,
            )
            for u in users
        ]
        widths = [max(display_width(row[i]) for row in (header, *rows)) for i in range(len(header))]
        for row in (header, *rows):
            line = "  ".join(pad(cell, width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + line).rstrip())
        self.stdout.write("")
        addr = os.environ.get("DEMO_ADDR") or demo.DEFAULT_ADDR
        everywhere = addr.rpartition(":")[0] in ("0.0.0.0", "0", "[::]")
        note = "（在所有网卡上监听，其他电脑用本机的局域网地址访问）" if everywhere else ""
        self.stdout.write(f"登录地址：{demo.login_url(addr)}{note}")
