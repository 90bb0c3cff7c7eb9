"""Demo data for the members app, called by `manage.py seed_demo` inside its transaction.

Builds the PartyMember rows of the members seed_demo drew among the households (liaison/demo/members.py),
and draws the 区农业农村委 branch's members while it has none. Adds, once: the township offices' branches with their leaders (linked to the demo logins 陈建国/shuji and
王丽萍/zhenjie), a "两新" company branch, the 区妇联 branch and a power company's (企事业单位); positions (书记, 委员, 党代会代表); pairings
in every village, most poor households covered and a few not; unit pairings of all four kinds with
yearly records, some years met and some not; leaders' 联系点 with monthly contacts; and a post
catalogue with members on posts and their self-reports. A second run adds nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from liaison.demo import data as demo_data
from liaison.demo.members import DrawnMembers, can_lead, draw_outside_members, give_titles
from liaison.demo.people import UNIT_ID_BLOCK, Draw, Person
from liaison.demo.scale import cached_initials
from liaison.models import Household, Organisation, Resident, User
from members.models import (
    STANDARD_POSTS,
    LiaisonContact,
    LiaisonPoint,
    Pairing,
    PairingMember,
    PartyMember,
    Position,
    Post,
    PostAssignment,
    PostReport,
    UnitPairing,
    UnitPairingRecord,
)

L = Organisation.Level
SEED = f"{demo_data.SEED}:members"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CODES = "10X98765432"
ID_BLOCK = 8  # the seed uses 1–7 as the first digit of the sequence code
TERM_START = datetime.date(2021, 10, 1)  # 2021 村（社区）“两委”换届

# The kind of each unit branch (liaison Organisation.Kind): the township offices' 机关, the company a
# “两新” organisation (its 工农联姻), the 妇联 a mass organisation (its 社团牵手), the power supply company
# a 企事业单位 (a 支部联线 beside the 农业农村委's, so /compliance/ counts 联线 for two kinds of unit).
BRANCH_KINDS = {
    "BN-JS-JG": "organ",
    "BN-NQ-JG": "organ",
    "BN-JS-GX": "two_new",
    "BN-FL-1": "mass",
    "BN-GD-1": "enterprise",
}
# (code, name, short name, parent code)
EXTRA_BRANCHES = (
    ("BN-JS-JG", "界石镇机关党支部", "机关党支部", "BN-JS"),
    ("BN-NQ-JG", "南泉街道机关党支部", "机关党支部", "BN-NQ"),
    ("BN-JS-GX", "重庆桂馨农业开发有限公司党支部", "桂馨农业党支部", "BN-JS"),
    ("BN-FL-1", "区妇联机关党支部", "区妇联机关党支部", "BN"),
    ("BN-GD-1", "国网重庆巴南供电公司党支部", "巴南供电党支部", "BN"),
)
# (branch code, name, gender, birth, join, phone, title, login, [(organisation code, role)])
LEADERS = (
    (
        "BN-JS-JG",
        "陈建国",
        "M",
        datetime.date(1972, 3, 14),
        datetime.date(1996, 7, 1),
        "13908317726",
        demo_data.SECRETARY_TITLE,
        "shuji",
        [("BN-JS", Position.Role.SECRETARY)],
    ),
    (
        "BN-JS-JG",
        "周德勇",
        "M",
        datetime.date(1978, 9, 2),
        datetime.date(2001, 6, 20),
        "13883520164",
        demo_data.COMMITTEE_TITLE,
        "",
        [("BN-JS", Position.Role.LEADERSHIP)],
    ),
    (
        "BN-NQ-JG",
        "王丽萍",
        "F",
        datetime.date(1983, 5, 21),
        datetime.date(2006, 12, 1),
        "15823196034",
        demo_data.SECRETARY_TITLE,
        "zhenjie",
        [("BN-NQ", Position.Role.COMMITTEE)],
    ),
    (
        "BN-NQ-JG",
        "谭明辉",
        "M",
        datetime.date(1975, 11, 8),
        datetime.date(1998, 7, 1),
        "13996272310",
        demo_data.COMMITTEE_TITLE,
        "",
        [("BN-NQ", Position.Role.DEPUTY_SECRETARY), ("BN", Position.Role.DELEGATE)],
    ),
    (
        "BN-JS-GX",
        "何永福",
        "M",
        datetime.date(1969, 1, 30),
        datetime.date(1995, 3, 15),
        "13708350917",
        demo_data.SECRETARY_TITLE,
        "",
        [],
    ),
    (
        "BN-FL-1",
        "罗秀梅",
        "F",
        datetime.date(1980, 8, 16),
        datetime.date(2003, 5, 4),
        "18983041526",
        demo_data.SECRETARY_TITLE,
        "",
        [],
    ),
    (
        "BN-GD-1",
        "邓志刚",
        "M",
        datetime.date(1976, 4, 22),
        datetime.date(2000, 6, 28),
        "13983345071",
        demo_data.SECRETARY_TITLE,
        "",
        [],
    ),
)
HELP = (
    "柑橘种植技术指导、代办医保报销",
    "帮助联系就业岗位",
    "代办低保年审和救助申请",
    "生猪养殖技术、防疫咨询",
    "照看独居老人、代购药品",
    "留守儿童学习辅导",
    "政策咨询、代办证照",
    "帮助申请危房改造补助",
    "联系农资、帮助销售农产品",
    "法律咨询、调解邻里纠纷",
)
LINE_DEEDS = (
    "捐赠办公电脑2台",
    "组织柑橘种植技术培训",
    "协调硬化入户便道500米",
    "慰问困难党员",
    "帮助引进蔬菜种植项目",
    "援建村级便民服务室",
    "开展送医下乡",
)
CONTACT_TOPICS = (
    "了解春耕生产情况",
    "调研集体经济发展",
    "走访困难党员",
    "指导村务公开",
    "座谈听取意见",
    "检查安全生产",
)


def _id_number(birth: datetime.date, gender: str, rng: random.Random, used: set[str]) -> str:
    parity = "13579" if gender == "M" else "02468"
    for _ in range(200):
        body = f"{demo_data.REGION_ID_PREFIX}{birth:%Y%m%d}{ID_BLOCK}{rng.randrange(10)}{rng.choice(parity)}"
        number = body + ID_CODES[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]
        if number not in used:
            used.add(number)
            return number
    raise RuntimeError("无法生成不重复的身份证号")


def _organisation(code: str, name: str, short_name: str, parent: Organisation) -> Organisation:
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            code=code,
            name=name,
            short_name=short_name,
            level=L.BRANCH,
            parent=parent,
            address=parent.address,
            unit_kind=BRANCH_KINDS.get(code, ""),
        )
    return organisation


def _leaders(district: Organisation, rng: random.Random) -> dict[str, PartyMember]:
    codes = {o.code: o for o in district.subtree()}
    for code, name, short, parent in EXTRA_BRANCHES:
        codes[code] = _organisation(code, name, short, codes[parent])
    used = set(PartyMember.objects.exclude(id_number="").values_list("id_number", flat=True))
    leaders = {}
    for branch, name, gender, birth, joined, phone, title, login, positions in LEADERS:
        member = PartyMember.objects.filter(organisation=codes[branch], name=name).first()
        if member is None:
            member = PartyMember.objects.create(
                organisation=codes[branch],
                name=name,
                gender=gender,
                birth_date=birth,
                join_date=joined,
                phone=phone,
                id_number=_id_number(birth, gender, rng, used),
                title=title,
                education=PartyMember.Education.BACHELOR,
                user=User.objects.filter(username=login, party_member__isnull=True).first()
                if login
                else None,
            )
            Position.objects.bulk_create(
                [
                    Position(member=member, organisation=codes[org], role=role, start_date=TERM_START)
                    for org, role in positions
                ]
            )
        leaders[name] = member
    return leaders


def _positions(villages: list[Organisation]) -> None:
    """Branch secretaries and committee members hold their posts since the 2021 election."""
    roles = {
        demo_data.SECRETARY_TITLE: Position.Role.SECRETARY,
        demo_data.COMMITTEE_TITLE: Position.Role.COMMITTEE,
    }
    members = PartyMember.objects.filter(organisation__parent__in=villages, title__in=roles).select_related(
        "organisation"
    )
    rows = [
        Position(member=m, organisation=m.organisation, role=roles[m.title], start_date=TERM_START)
        for m in members
    ]
    delegates = [m for m in members if m.title == demo_data.SECRETARY_TITLE][::3]
    rows += [
        Position(
            member=m,
            organisation=m.organisation.parent.parent,
            role=Position.Role.DELEGATE,
            start_date=datetime.date(2021, 12, 20),
        )
        for m in delegates
    ]
    Position.objects.bulk_create(rows)


def _pairing(household, members, start, *, planned_end=None, help_text="", ended_on=None) -> Pairing:
    pairing = Pairing.objects.create(
        household=household,
        start_date=start,
        planned_end=planned_end,
        help_content=help_text,
        status=Pairing.Status.ENDED if ended_on else Pairing.Status.ACTIVE,
        ended_on=ended_on,
        end_reason="党员工作调动" if ended_on else "",
    )
    PairingMember.objects.bulk_create([PairingMember(pairing=pairing, member=m) for m in members])
    return pairing


def _village_pairings(village: Organisation, rng: random.Random, today: datetime.date) -> int:
    members = list(PartyMember.objects.filter(organisation__parent=village).order_by("id"))
    households = list(
        Household.objects.filter(organisation=village).prefetch_related("tags").order_by("sort_key", "id")
    )
    if not members or not households:
        return 0
    poor = [h for h in households if any(t.is_poor for t in h.tags.all())]
    other = [
        h
        for h in households
        if h not in poor and any(t.name in ("空巢老人", "留守儿童", "残疾人") for t in h.tags.all())
    ]
    # 石岗村 leaves one poor household without a pairing, so the coverage page has someone to list.
    targets = (poor[1:] if village.short_name == "石岗村" else poor) + other[:4]
    count = 0
    for index, household in enumerate(targets):
        helpers = [members[index % len(members)]]
        if index % 4 == 1 and len(members) > 1:  # 多帮一
            helpers.append(members[(index + 3) % len(members)])
        start = datetime.date(rng.choice((2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
        planned_end = start.replace(year=start.year + 2) if index % 3 else None
        if index == 2:  # a plan shorter than two years: allowed, with a warning
            planned_end = start + datetime.timedelta(days=300)
        ended_on = min(start + datetime.timedelta(days=400), today) if index == 5 else None
        _pairing(
            household, helpers, start, planned_end=planned_end, help_text=rng.choice(HELP), ended_on=ended_on
        )
        count += 1
    return count


def _leader_pairings(leaders: dict[str, PartyMember], rng: random.Random) -> int:
    """002 二: township leaders pair with at least 2 households; 周德勇 and 王丽萍 have only one so far."""
    plan = {
        "陈建国": ("BN-JS-GH", 2),
        "周德勇": ("BN-JS-SG", 1),
        "王丽萍": ("BN-NQ-HXSQ", 1),
        "谭明辉": ("BN-NQ-HX", 2),
    }
    count = 0
    for name, (code, number) in plan.items():
        households = Household.objects.filter(organisation__code=code, pairings__isnull=True).order_by(
            "-annual_income"
        )[:number]
        for household in households:
            _pairing(
                household,
                [leaders[name]],
                datetime.date(2024, 3, rng.randint(1, 28)),
                planned_end=datetime.date(2026, 12, 31),
                help_text=rng.choice(HELP),
            )
            count += 1
    return count


def _records(
    pairing: UnitPairing, per_year: dict[int, list[tuple[str, Decimal]]], today: datetime.date
) -> None:
    rows = []
    for year, items in per_year.items():
        for index, (content, money) in enumerate(items):
            day = min(datetime.date(year, 3 + index * 3, 15), today)
            rows.append(UnitPairingRecord(pairing=pairing, date=day, content=content, money=money))
    UnitPairingRecord.objects.bulk_create(rows)


def _unit_pairings(codes: dict[str, Organisation], today: datetime.date) -> int:
    this, last = today.year, today.year - 1
    unit_branch = codes["BN-NYNC-1"]
    unit_members = list(PartyMember.objects.filter(organisation=unit_branch).order_by("id"))
    count = 0
    for index, village in enumerate(("BN-JS-GH", "BN-JS-SG", "BN-NQ-HX", "BN-NQ-NQSQ")):
        pairing = UnitPairing.objects.create(
            kind=UnitPairing.Kind.LIAISON_LINE,
            helper_organisation=unit_branch,
            target_organisation=codes[village],
            area=codes[village],
            start_date=datetime.date(last - 1, 4, 1),
            content="资金、项目、技术、信息帮扶",
        )
        this_year = LINE_DEEDS[index : index + (1 if index % 2 else 2)]
        _records(
            pairing,
            {
                last: [(d, Decimal(0)) for d in LINE_DEEDS[index + 2 : index + 4]],
                this: [(d, Decimal(0)) for d in this_year],
            },
            today,
        )
        count += 1
    poor = list(
        Household.objects.filter(tags__is_poor=True, organisation__code__in=["BN-JS-NZ", "BN-NQ-HX"])
        .distinct()
        .order_by("id")[:2]
    )
    for index, household in enumerate(poor):
        pairing = UnitPairing.objects.create(
            kind=UnitPairing.Kind.MEMBER_PAIRING,
            helper_organisation=unit_branch,
            target_household=household,
            area=household.organisation,
            start_date=datetime.date(last, 2, 1),
            content="每年帮扶资金不少于500元",
        )
        pairing.members.set(unit_members[index * 2 : index * 2 + 2 - index])
        # One pair gave 600 元 last year and 300 元 so far this year; the other exactly 500 元 this year.
        money = (
            {last: [("春节慰问金", Decimal(600))], this: [("助学金", Decimal(300))]}
            if index == 0
            else {this: [("春节慰问金", Decimal(200)), ("医疗救助金", Decimal(300))]}
        )
        _records(pairing, money, today)
        count += 1
    # A 企事业单位's 联线: two deeds last year (met), one so far this year.
    power = UnitPairing.objects.create(
        kind=UnitPairing.Kind.LIAISON_LINE,
        helper_organisation=codes["BN-GD-1"],
        target_organisation=codes["BN-JS-NZ"],
        area=codes["BN-JS-NZ"],
        start_date=datetime.date(last, 3, 1),
        content="农网改造、用电安全服务",
    )
    _records(
        power,
        {
            last: [("改造村组低压线路", Decimal(0)), ("安全用电进万家", Decimal(0))],
            this: [("检修灌溉泵站线路", Decimal(0))],
        },
        today,
    )
    count += 1
    marriage = UnitPairing.objects.create(
        kind=UnitPairing.Kind.WORKER_FARMER,
        helper_organisation=codes["BN-JS-GX"],
        target_organisation=codes["BN-JS-NZ"],
        area=codes["BN-JS-NZ"],
        start_date=datetime.date(last, 5, 1),
        content="订单收购柑橘、提供就业岗位",
    )
    _records(marriage, {this: [("订单收购柑橘12吨", Decimal(0)), ("吸纳3名村民务工", Decimal(0))]}, today)
    hand_member = PartyMember.objects.filter(organisation__parent=codes["BN-NQ-NQSQ"]).order_by("id").first()
    hand = UnitPairing.objects.create(
        kind=UnitPairing.Kind.HAND_IN_HAND,
        helper_organisation=codes["BN-FL-1"],
        target_organisation=codes["BN-NQ-HXSQ"],
        area=codes["BN-NQ-HXSQ"],
        start_date=datetime.date(last, 9, 1),
        content="妇女儿童关爱服务",
    )
    _records(
        hand,
        {
            last: [("开办四点半课堂", Decimal(0)), ("家庭教育讲座", Decimal(0))],
            this: [("慰问留守儿童", Decimal(0))],
        },
        today,
    )
    count += 2
    if hand_member is not None:
        UnitPairing.objects.create(
            kind=UnitPairing.Kind.HAND_IN_HAND,
            helper_organisation=codes["BN-FL-1"],
            target_member=hand_member,
            area=codes["BN-NQ-NQSQ"],
            start_date=datetime.date(this, 1, 10),
            content="帮扶困难党员",
        )
        count += 1
    return count


def _points(
    leaders: dict[str, PartyMember], codes: dict[str, Organisation], rng: random.Random, today: datetime.date
) -> int:
    plan = {
        "陈建国": [("BN-JS-GH", 1.0), ("BN-JS-NZ", 0.5)],
        "谭明辉": [("BN-NQ-HX", 1.0), ("BN-NQ-HXSQ", 0.9), ("BN-NYNC", 0.3)],
    }
    contacts = []
    count = 0
    for name, points in plan.items():
        for code, share in points:
            point = LiaisonPoint.objects.create(
                leader=leaders[name],
                organisation=codes[code],
                started_on=datetime.date(today.year - 1, 1, 10),
                focus="集体经济发展",
            )
            count += 1
            month = datetime.date(today.year - 1, 1, 1)
            while month <= today:
                if rng.random() < share:
                    day = min(month.replace(day=rng.randint(3, 26)), today)
                    contacts.append(
                        LiaisonContact(
                            point=point,
                            date=day,
                            method=rng.choice(LiaisonContact.Method.values[:3]),
                            content=rng.choice(CONTACT_TOPICS),
                        )
                    )
                month = (month + datetime.timedelta(days=32)).replace(day=1)
    LiaisonContact.objects.bulk_create(contacts)
    return count


def _posts(villages: list[Organisation], rng: random.Random, today: datetime.date) -> int:
    count = 0
    for village in villages:
        catalogue = STANDARD_POSTS if village.short_name in ("桂花村", "南泉社区") else STANDARD_POSTS[:4]
        posts = Post.objects.bulk_create(
            [Post(organisation=village, name=n, responsibilities=r) for n, r in catalogue]
        )
        members = list(
            PartyMember.objects.filter(organisation__parent=village).exclude(is_mobile=True).order_by("id")
        )
        assignments = []
        for index, member in enumerate(members):
            if index % 5 == 4:
                continue  # not every member has taken a post yet
            assignments.append(
                PostAssignment(
                    post=posts[index % len(posts)],
                    member=member,
                    source=PostAssignment.Source.ASSIGNED if index % 3 == 0 else PostAssignment.Source.CHOSEN,
                    duties=f"负责{village.short_name}{rng.choice(('一组', '二组', '三组', '第1网格', '第2网格'))}",
                    start_date=datetime.date(2022, 3, 1),
                )
            )
        PostAssignment.objects.bulk_create(assignments)
        PostReport.objects.bulk_create(
            [
                PostReport(
                    assignment=a,
                    year=today.year - 1,
                    submitted_on=datetime.date(today.year, 1, 10),
                    content=f"全年履行“{a.post.name}”岗位职责，联系群众{rng.randint(6, 30)}户次。",
                )
                for a in assignments
                if rng.random() < 0.7
            ]
        )
        count += len(posts)
    return count


def member_row(person: Person, organisation: Organisation) -> PartyMember:
    return PartyMember(
        organisation=organisation,
        name=person.name,
        name_initials=cached_initials(person.name),
        gender=person.gender,
        birth_date=person.birth_date,
        join_date=person.join_date,
        phone=person.phone,
        id_number=person.id_number,
        title=person.title,
        household=person.household.row if person.household else None,
    )


def _unit_members() -> list[tuple[Person, Organisation]]:
    """The 区农业农村委 branch's members, drawn once: they live in no demo household."""
    branch = Organisation.objects.get(code=f"{demo_data.UNIT.code}-1")
    if PartyMember.objects.filter(organisation=branch).exists():
        return []
    used_ids = {
        *Resident.objects.exclude(id_number="").values_list("id_number", flat=True),
        *PartyMember.objects.exclude(id_number="").values_list("id_number", flat=True),
    }
    used_phones = {
        *Resident.objects.exclude(phone="").values_list("phone", flat=True),
        *PartyMember.objects.exclude(phone="").values_list("phone", flat=True),
    }
    draw = Draw(demo_data.UNIT.code, UNIT_ID_BLOCK, used_ids, used_phones)
    people = draw_outside_members(draw, demo_data.UNIT.members, 1, (26, 58))
    people.sort(key=lambda p: (not can_lead(p), -p.age))
    give_titles(people)
    return [(person, branch) for person in people]


def seed(district: Organisation, drawn: DrawnMembers) -> str | None:
    PartyMember.objects.bulk_create([member_row(p, branch) for p, branch in drawn.members])
    unit = _unit_members()  # after the villages' rows: their ID numbers and phones are then taken
    PartyMember.objects.bulk_create([member_row(p, branch) for p, branch in unit])
    subtree = district.subtree()
    if (
        Post.objects.filter(organisation__in=subtree).exists()
        or Pairing.objects.filter(household__organisation__in=subtree).exists()
    ):
        return "党员与结对帮扶：已有演示数据，未重复生成"
    rng = random.Random(SEED)
    today = timezone.localdate()
    leaders = _leaders(district, rng)
    codes = {o.code: o for o in district.subtree()}
    villages = list(subtree.filter(level__in=Organisation.GRASSROOTS_LEVELS).order_by("path"))
    _positions(villages)
    pairings = sum(_village_pairings(v, rng, today) for v in villages) + _leader_pairings(leaders, rng)
    units = _unit_pairings(codes, today)
    points = _points(leaders, codes, rng, today)
    posts = _posts(villages, rng, today)
    members = PartyMember.objects.filter(organisation__in=subtree).count()
    return (
        f"党员与结对帮扶：结对 {pairings} 个，单位联系帮扶 {units} 项，联系点 {points} 个，服务岗位 {posts} 个，"
        f"党员共 {members} 名（本次新建 {len(drawn.members) + len(unit)} 名）"
    )
