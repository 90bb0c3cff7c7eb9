"""Demo visits for `manage.py seed_demo`: a year of 入户走访 in every demo village, and 五必访 events.

Each village's 书记 and 委员 (the members demo's positions) visit its households over the last twelve
months, one to three times each, some never (the coverage pages need gaps to show); each active pairing
gets its visits from a paired member (most two a year, some one, below the quota); the township
leaders visit a few households of their villages. Every village has 五必访 events: the older ones
answered by a visit of the secretary, one or two recent ones still open (the dashboard shows them).
One visit a village is 限期办理 and registers its opinion through the entry service, into the 1234 loop.

Visits are bulk-created with their snapshots taken from the households as the entry screen takes them
(visits/services/snapshot.py). Idempotent: nothing is added while the district already has visits.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from liaison.demo import data as demo_data
from liaison.demo.members import DrawnMembers
from liaison.models import Household, Organisation, Resident, User
from members.models import Pairing, PartyMember, Position
from visits.models import EventKind, Handling, MustVisitEvent, Visit, VisitMember
from visits.services import visit_record
from visits.services.snapshot import copy_household, member_rows
from visits.services.visits import title_on

SEED = f"{demo_data.SEED}:visits"
L = Organisation.Level

SITUATIONS = (
    "入户了解春耕备耕情况，种子化肥已备齐，户主计划扩种柑橘两亩。",
    "走访了解家庭生产生活情况，老人身体尚可，子女在外务工，每月按时寄钱回家。",
    "宣传城乡居民医保和养老保险缴费政策，户主表示本月内到村便民服务中心缴费。",
    "了解到该户今年生猪出栏12头，收入比去年增加，但担心猪价下跌。",
    "宣讲人居环境整治要求，动员清理房前屋后杂物，户主当场表示配合。",
    "看望留守老人，帮助检查用电线路，提醒注意用火用电安全。",
    "了解孩子上学情况，孩子在镇中学读初二，成绩中等，家长希望了解助学政策。",
    "征求对村“两委”工作的意见建议，户主对道路硬化表示满意，希望增加路灯。",
    "了解外出务工人员情况，儿子在广东务工，春节返乡，已加入流动党员微信群。",
    "宣传防汛避险知识，告知转移路线和集中安置点，留下村干部联系电话。",
)
PROBLEMS = (
    ("", "", ""),
    ("", "", ""),
    (
        "希望了解小额信贷政策，想扩大柑橘种植。",
        Handling.EXPLAINED,
        "讲解了小额信贷申请条件和流程，告知到镇农商行网点办理。",
    ),
    ("院坝边水沟堵塞，下雨积水。", Handling.ON_SITE, "当场联系组长，组织邻里清理了水沟。"),
    ("家中老人行动不便，希望代办高龄津贴。", Handling.ON_SITE, "收取了身份证复印件，由村便民服务中心代办。"),
    ("希望孩子能享受教育资助。", Handling.EXPLAINED, "解释了资助对象和申请时间，秋季开学时提醒申请。"),
)
OPINION_PROBLEMS = (
    ("三组机耕道雨后垮塌约五米，农机下不了田，请求修复。", "村委会组织劳力抢通便道，申请一事一议资金修复。"),
    ("院坝路灯坏了一个多月，晚上老人出门不便。", "已报村委会，联系电工检修，十日内答复。"),
    ("自来水水压低，高处几户经常停水。", "报镇水务站核查管网，限期答复。"),
)
RESIDENT_OPINIONS = ("满意", "满意，感谢村干部关心", "基本满意", "希望以后多来坐坐", "满意，有事会打电话")
EVENT_NOTES = {
    EventKind.SERIOUS_ILLNESS: "户主中风卧床，需长期照护",
    EventKind.HOSPITALISED: "老人住院治疗（区人民医院）",
    EventKind.WEDDING_FUNERAL: "家中办理丧事",
    EventKind.ACCIDENT: "家人务工时受伤",
    EventKind.DISASTER: "暴雨致房屋后墙垮塌",
}
MUST_VISIT_SITUATIONS = {
    EventKind.SERIOUS_ILLNESS: "看望卧床病人，了解治疗和照护情况，告知大病救助申请办法。",
    EventKind.HOSPITALISED: "到家中看望出院病人，了解医保报销情况，协助准备报销材料。",
    EventKind.WEDDING_FUNERAL: "上门慰问，协助安排事务，提醒移风易俗、丧事简办。",
    EventKind.ACCIDENT: "看望受伤人员，了解工伤认定进展，告知法律援助渠道。",
    EventKind.DISASTER: "查看受损房屋，登记受灾情况，报镇应急办申请临时救助。",
}


def _actor(village: Organisation) -> User | None:
    users = User.objects.filter(is_active=True).exclude(role="").select_related("organisation")
    own = users.filter(organisation=village).first()
    if own:
        return own
    return users.filter(organisation__in=village.ancestors()).order_by("-organisation__depth").first()


class VillageVisits:
    def __init__(
        self, village: Organisation, rng: random.Random, today: datetime.date, township_leaders
    ) -> None:
        self.village = village
        self.rng = rng
        self.today = today
        positions = (
            Position.objects.filter(organisation__parent=village, end_date__isnull=True)
            .filter(role__in=[Position.Role.SECRETARY, Position.Role.COMMITTEE])
            .select_related("member")
            .order_by("role", "id")
        )
        # 五必访 is the village (community) 书记's own duty (visits.rules.MUST_VISIT_ROLE): the member holding
        # 书记 in the village's organisation itself, else (a demo village without one) a branch's 书记.
        village_secretary = (
            Position.objects.filter(organisation=village, role=Position.Role.SECRETARY, end_date__isnull=True)
            .select_related("member")
            .order_by("start_date", "id")
            .first()
        )
        self.secretary = (
            village_secretary.member
            if village_secretary
            else next((p.member for p in positions if p.role == Position.Role.SECRETARY), None)
        )
        self.leaders = list(dict.fromkeys(p.member for p in positions))
        self.township_leaders = township_leaders
        self.households = list(Household.objects.filter(organisation=village).order_by("id"))
        residents = defaultdict(list)
        for resident in Resident.objects.filter(household__organisation=village).order_by("id"):
            residents[resident.household_id].append(resident)
        self.residents = residents
        self.titles: dict[int, str] = {}
        self.taken: set[tuple[int, int, datetime.date]] = set()
        self.visits: list[Visit] = []
        self.rows: list[list[VisitMember]] = []

    def day_within(self, days: int, *, after: datetime.date | None = None) -> datetime.date:
        start = max(after or datetime.date.min, self.today - datetime.timedelta(days=days))
        span = max((self.today - start).days, 0)
        return start + datetime.timedelta(days=self.rng.randint(0, span))

    def title(self, member: PartyMember, day: datetime.date) -> str:
        if member.pk not in self.titles:
            self.titles[member.pk] = title_on(member, day)
        return self.titles[member.pk]

    def add(
        self,
        household: Household,
        member: PartyMember,
        day: datetime.date,
        *,
        pairing=None,
        event=None,
        situation: str | None = None,
    ) -> bool:
        key = (member.pk, household.pk, day)
        if key in self.taken:
            return False
        self.taken.add(key)
        problem, handling, handling_text = self.rng.choice(PROBLEMS)
        visit = Visit(
            visitor=member,
            visitor_title=self.title(member, day),
            visited_on=day,
            pairing=pairing,
            event=event,
            situation=situation or self.rng.choice(SITUATIONS),
            problem=problem,
            handling=handling,
            handling_text=handling_text,
            resident_opinion=self.rng.choice(RESIDENT_OPINIONS),
            signed_by=household.head_name,
            signed_on=day,
        )
        copy_household(visit, household)
        self.visits.append(visit)
        self.rows.append(member_rows(visit, self.residents[household.pk], day))
        return True

    def routine(self) -> None:
        """Each household one to three times in the year, some not at all (the coverage shows them)."""
        for household in self.households:
            for _ in range(self.rng.choice((0, 1, 1, 2, 2, 3))):
                self.add(household, self.rng.choice(self.leaders), self.day_within(365))

    def township(self) -> None:
        """002/004: township committee members visit at least 4 times a year; the demo gives them 2–5 here."""
        for leader in self.township_leaders:
            for household in self.rng.sample(
                self.households, min(len(self.households), self.rng.randint(2, 5))
            ):
                self.add(household, leader, self.day_within(365))

    def pairings(self) -> None:
        pairings = (
            Pairing.objects.filter(household__organisation=self.village)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.today - datetime.timedelta(days=365)))
            .prefetch_related("members")
        )
        by_pk = {h.pk: h for h in self.households}
        for pairing in pairings:
            members = list(pairing.members.all())
            household = by_pk.get(pairing.household_id)
            if not members or household is None:
                continue
            end = min(pairing.ended_on or self.today, self.today)
            for _ in range(self.rng.choice((1, 2, 2, 2, 3))):  # some pairings fall short of 2 a year
                day = self.day_within(365, after=pairing.start_date)
                if day <= end:
                    self.add(household, self.rng.choice(members), day, pairing=pairing)

    def events(self) -> int:
        """五必访: older events answered by the secretary, the last one or two still open (one of them
        visited by a committee member, which does not answer it)."""
        if self.secretary is None or not self.households:
            return 0
        kinds = list(EventKind)
        count = 0
        for index, household in enumerate(self.rng.sample(self.households, min(4, len(self.households)))):
            kind = kinds[(index + self.village.pk) % len(kinds)]
            recent = index >= 2
            day = self.today - datetime.timedelta(
                days=self.rng.randint(2, 12) if recent else self.rng.randint(30, 300)
            )
            event = MustVisitEvent.objects.create(
                organisation=self.village,
                household=household,
                kind=kind,
                occurred_on=day,
                note=EVENT_NOTES[kind],
            )
            count += 1
            if not recent:
                visit_day = day + datetime.timedelta(days=self.rng.randint(0, 3))
                self.add(
                    household, self.secretary, visit_day, event=event, situation=MUST_VISIT_SITUATIONS[kind]
                )
            elif index == 2 and (others := [m for m in self.leaders if m != self.secretary]):
                # A 委员 went first: kept as a visit, but the event waits for the 书记 (rules.closes_must_visit).
                self.add(household, others[0], min(day + datetime.timedelta(days=1), self.today), event=event)
        return count

    def save(self) -> int:
        created = Visit.objects.bulk_create(self.visits, batch_size=500)
        members = []
        for visit, rows in zip(created, self.rows, strict=True):
            for row in rows:
                row.visit = visit
                members.append(row)
        VisitMember.objects.bulk_create(members, batch_size=1000)
        return len(created)

    def opinion_visit(self, actor: User) -> bool:
        """One visit a village that is not settled on the spot: through the entry service, into 1234."""
        if not self.households or not self.leaders:
            return False
        household = self.rng.choice(self.households)
        problem, handling_text = self.rng.choice(OPINION_PROBLEMS)
        day = self.today - datetime.timedelta(days=self.rng.randint(1, 6))
        if (self.leaders[0].pk, household.pk, day) in self.taken:
            return False
        visit_record(
            user=actor,
            household=household,
            visitor=self.leaders[0],
            visited_on=day,
            situation="入户走访，户主反映了以下问题。",
            problem=problem,
            handling=Handling.DEADLINE,
            handling_text=handling_text,
            resident_opinion="希望尽快解决",
            signed_by=household.head_name,
            signed_on=day,
            opinion_category=1,
            opinion_responsible=actor,
        )
        return True


def _township_leaders(township: Organisation) -> list[PartyMember]:
    return list(
        PartyMember.objects.filter(
            positions__organisation=township,
            positions__end_date__isnull=True,
            positions__role__in=Position.LEADERSHIP_ROLES,
        ).distinct()
    )


def seed(district: Organisation, drawn: DrawnMembers) -> str | None:
    """Visits and 五必访 first, then terms, meetings, talks and research (visits.compliance), whose
    民情分析会 discuss the month's visits."""
    from visits.compliance import demo as compliance

    lines = [line for line in (seed_visits(district), compliance.seed(district)) if line]
    return "\n  ".join(lines) or None


def seed_visits(district: Organisation) -> str | None:
    existing = Visit.objects.filter(organisation__in=district.subtree()).count()
    if existing:
        return f"入户走访：已有 {existing} 条，未重复生成"
    rng = random.Random(SEED)
    today = timezone.localdate()
    villages = district.subtree().filter(level__in=Organisation.GRASSROOTS_LEVELS).select_related("parent")
    leaders_of: dict[int, list[PartyMember]] = {}
    visits = events = opinions = 0
    for village in villages.order_by("path"):
        township = village.parent
        if township.pk not in leaders_of:
            leaders_of[township.pk] = _township_leaders(township)
        demo = VillageVisits(village, rng, today, leaders_of[township.pk])
        if not demo.leaders or not demo.households:
            continue
        demo.routine()
        demo.pairings()
        demo.township()
        events += demo.events()
        visits += demo.save()
        actor = _actor(village)
        if actor is not None and demo.opinion_visit(actor):
            visits += 1
            opinions += 1
    if not visits:
        return None
    return f"入户走访：新建 {visits} 条（含结对帮扶走访、五必访 {events} 件、{opinions} 条登记为群众意见）"
