"""Demo commitments for `manage.py seed_demo`: every demo village through its years, via the services.

Last year every village went through all six steps: items drafted, commented on, voted, approved,
published, worked on (progress notes with a photo), inspected by the township, and graded at year
end, the result published. This year runs as far as today allows (a step dated after today is not
taken yet), with the new term's three-year commitments (the 2026 换届). Per DESIGN.md and issue 13:
- 南泉社区 is graded 基本合格 (the documents' gap), 虎啸村's 综合考评 is lower than its 测评;
- 楠竹村 is graded 不合格 two years running (连续两年不合格 on the township's dashboard), the second
  year with more than half dissatisfied (限期整改);
- one of 石岗村's items is sent back by the vote and adopted after redrafting; one of 虎啸村's is
  still waiting to be redrafted; 桂花村 has a revision of an adopted item in consultation.
Members make their personal promises; a few have none (listed for the branch secretary).
Idempotent: nothing is added while the district already holds commitments.
"""

from __future__ import annotations

import datetime
import random
import struct
import zlib
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commitments import services
from commitments.models import Commitment, Completion, Direction, Scope, Subject, VoterGroup
from commitments.rules import Grade
from commitments.states import State
from liaison.demo.members import DrawnMembers
from liaison.models import Organisation, User
from members.models import PartyMember, Position

SEED = "commitments-demo-2026"


@dataclass(frozen=True)
class Item:
    area: str
    title: str
    content: str
    target: str
    direction: str = Direction.DOWNWARD


PARTY_ITEMS: tuple[Item, ...] = (
    Item(
        "leadership",
        "落实“两委”联席会议制度",
        "每月召开“两委”联席会议，重大事项集体研究决定。",
        "全年召开联席会议12次",
        Direction.UPWARD,
    ),
    Item(
        "membership",
        "发展年轻党员",
        "从返乡青年和致富带头人中培养入党积极分子。",
        "培养入党积极分子4名，发展党员2名",
    ),
    Item(
        "inner_democracy",
        "党务公开按季度更新",
        "党务公开栏按季度更新，重大事项随时公开。",
        "全年更新党务公开栏4次以上",
        Direction.UPWARD,
    ),
    Item(
        "membership",
        "无职党员设岗定责全覆盖",
        "为无职党员设政策宣传、矛盾调解、环境监督等岗位。",
        "无职党员设岗定责覆盖率100%",
    ),
    Item(
        "leadership",
        "培养村级后备干部",
        "建立后备干部库，安排到重点工作岗位锻炼。",
        "储备后备干部3名",
        Direction.UPWARD,
    ),
    Item(
        "membership",
        "“三会一课”按时召开",
        "支部党员大会、支委会、党小组会和党课按时召开并记录。",
        "党员大会每季度1次、党课每季度1次",
    ),
)
COMMITTEE_ITEMS: tuple[Item, ...] = (
    Item(
        "development",
        "硬化三组道路",
        "争取“一事一议”项目资金，硬化三组通组主干道。",
        "硬化道路1.2公里",
        Direction.UPWARD,
    ),
    Item("service", "困难群众帮扶", "逐户走访困难群众，落实临时救助和医疗报销。", "走访帮扶困难户30户"),
    Item(
        "service", "改造老化饮水管网", "更换二组、三组老化管网，解决夏季停水。", "更换管网1.5公里，惠及60户"
    ),
    Item("democracy", "村务公开每月更新", "村务公开栏每月更新，财务收支逐笔公开。", "全年公开村务12次"),
    Item(
        "development",
        "发展柑橘产业",
        "引进优质品种，组织技术培训，带动农户增收。",
        "新增柑橘200亩，带动农户40户",
        Direction.UPWARD,
    ),
    Item(
        "service", "便民服务代办", "便民服务中心为群众代办社保、医保、证照等事项。", "全年代办事项200件以上"
    ),
)
TERM_ITEMS: dict[str, Item] = {
    Subject.PARTY: Item(
        "leadership",
        "建成标准化党群服务中心",
        "三年内完成党群服务中心标准化建设。",
        "服务中心面积300平方米以上，功能室5个",
        Direction.UPWARD,
    ),
    Subject.COMMITTEE: Item(
        "development",
        "壮大村集体经济",
        "盘活集体资产，发展乡村旅游和农产品加工。",
        "三年后集体经济年收入达到10万元",
        Direction.UPWARD,
    ),
}
COMMENTS = (
    ("members", "建议把任务分解到各党小组，按月通报进度。"),
    ("residents", "希望先解决三组、四组的问题，那里困难户多。"),
    ("township_party", "目标要量化，完成时限要明确。"),
    ("township_government", "与镇里今年的项目计划衔接。"),
)
PROGRESS = (
    "召开“两委”会研究实施方案，明确责任人和时间表。",
    "完成过半，已公示进度，接受群众监督。",
    "基本完成，组织党员群众代表现场查看。",
)
INSPECTIONS = (
    (
        "镇组织办、镇农业服务中心工作人员，党员代表 2 名、群众代表 2 名",
        "对照承诺逐项查看台账和现场，进度基本符合计划。",
        "协调镇农业服务中心提供技术指导。",
    ),
    (
        "镇纪委、驻村工作队，党员代表 1 名、群众代表 3 名",
        "部分事项进度滞后，已当场指出。",
        "协调区交通局补助资金，帮助解决材料运输问题。",
    ),
)
CADRES = (
    "陈国平",
    "刘建华",
    "王德明",
    "李秀英",
    "张富贵",
    "周明亮",
    "何志强",
    "罗晓红",
    "谭永福",
    "彭春燕",
    "向光荣",
    "冉丽君",
)
# (satisfied, basically satisfied, dissatisfied) per 100 ballots, and the 综合考评 if it differs.
TALLIES: dict[str, tuple[int, int, int]] = {
    Grade.EXCELLENT: (94, 5, 1),
    Grade.PASS: (78, 16, 6),
    Grade.BASIC: (62, 30, 8),
    Grade.FAIL: (52, 12, 36),
}
FAIL_BADLY = (38, 8, 54)  # more than half dissatisfied: 限期整改 (004 五)
# Voter groups' share of 100 ballots (004 四（六）).
GROUP_SIZES = {
    VoterGroup.TOWNSHIP_LEADERS: 8,
    VoterGroup.STATION_HEADS: 6,
    VoterGroup.RESIDENT_CADRES: 4,
    VoterGroup.DEPUTIES: 6,
    VoterGroup.MEMBER_REPS: 30,
    VoterGroup.RESIDENT_REPS: 46,
}


@dataclass(frozen=True)
class Story:
    last_year: str  # the grade last year
    before: str = ""  # the grade the year before (楠竹村 only)
    final: str = ""  # a 综合考评 that differs from the 测评
    final_note: str = ""
    sent_back_redrafted: bool = False
    still_sent_back: bool = False
    revision: bool = False


STORIES: dict[str, Story] = {
    "BN-JS-GH": Story(Grade.EXCELLENT, revision=True),
    "BN-JS-SG": Story(Grade.PASS, sent_back_redrafted=True),
    "BN-JS-NZ": Story(Grade.FAIL, before=Grade.FAIL),
    "BN-NQ-HX": Story(
        Grade.PASS,
        final=Grade.BASIC,
        final_note="实地考察发现饮水管网改造只完成约一半，综合考评为基本合格。",
        still_sent_back=True,
    ),
    "BN-NQ-NQSQ": Story(Grade.BASIC),
    "BN-NQ-HXSQ": Story(Grade.PASS),
}


def _png(seed: int) -> bytes:
    """A small, valid PNG (a coloured 48×32 block): the demo's 现场照片 without an image library."""
    width, height = 48, 32
    colour = bytes(((seed * 67) % 200 + 30, (seed * 131) % 200 + 30, (seed * 29) % 200 + 30))
    raw = b"".join(b"\x00" + colour * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _split(counts: tuple[int, int, int], scale: int) -> dict[str, tuple[int, int, int]]:
    """Spread `counts` (per 100) over the six groups of `scale`× the sizes, totals kept exact."""
    total = sum(GROUP_SIZES.values())
    out: dict[str, list[int]] = {g.value: [0, 0, 0] for g in GROUP_SIZES}
    for kind, count in enumerate(counts):
        left = count * scale
        groups = list(GROUP_SIZES.items())
        for index, (group, size) in enumerate(groups):
            share = left if index == len(groups) - 1 else count * scale * size // total
            out[group.value][kind] = share
            left -= share
    return {group: tuple(values) for group, values in out.items()}


class VillageYear:
    """One village's commitments for one year, each step on its date, none after today."""

    def __init__(self, village: Organisation, actor: User, township: User, today: datetime.date, index: int):
        self.village = village
        self.actor = actor
        self.township = township
        self.today = today
        self.index = index
        self.rng = random.Random(f"{SEED}:{village.code}")

    def on(self, year: int, month: int, day: int) -> datetime.date | None:
        day = datetime.date(year, month, day)
        return day if day <= self.today else None

    def responsible(self, subject: str) -> str:
        # The village's own post holders where it has them: a 责任人 is published on /public/, and an
        # invented name could be some resident's (a resident's name is never public).
        if not hasattr(self, "_cadres"):
            self._cadres = list(
                PartyMember.objects.filter(
                    pk__in=Position.objects.filter(organisation__path__startswith=self.village.path).values(
                        "member"
                    )
                )
                .order_by("id")
                .values_list("name", flat=True)
            )
        pick = self.index * 2 + (subject == Subject.COMMITTEE)
        name = self._cadres[pick % len(self._cadres)] if self._cadres else CADRES[pick % len(CADRES)]
        title = "党组织书记" if subject == Subject.PARTY else "村（居）委会主任"
        return f"{title} {name}"

    def draft(self, year: int, subject: str, item: Item, scope: str = Scope.ANNUAL) -> Commitment | None:
        created = self.on(year, 1, 5)
        if created is None:
            return None
        end = year if scope == Scope.ANNUAL else year + 2
        deadline = datetime.date(end, 11, 30) if scope == Scope.ANNUAL else datetime.date(end, 10, 31)
        return services.commitment_create(
            user=self.actor,
            organisation=self.village,
            subject=subject,
            direction=item.direction,
            scope=scope,
            year=year,
            area=item.area,
            title=item.title,
            content=item.content,
            target=item.target,
            deadline=deadline,
            responsible=self.responsible(subject),
            now=_at(created),
        )

    def comment(self, commitment: Commitment, year: int, count: int = 2) -> None:
        for n, (source, text) in enumerate(self.rng.sample(COMMENTS, count)):
            day = self.on(year, 1, 8 + n)
            if day is None:
                return
            services.comment_add(
                user=self.actor,
                commitment=commitment,
                received_on=day,
                source=source,
                content=text,
                handling="adopted" if n == 0 else "partly",
                now=_at(day),
            )

    def vote(self, commitment: Commitment, day: datetime.date, *, fail: bool = False) -> bool:
        eligible = 60 + self.rng.randint(0, 40)
        cast = eligible - self.rng.randint(2, 8)
        if fail:
            reject = cast // 2
            approve = cast - reject - 2
        else:
            reject = self.rng.randint(0, cast // 10)
            approve = cast - reject - self.rng.randint(0, 2)
        vote = services.vote_record(
            user=self.actor,
            commitment=commitment,
            held_on=day,
            body="joint",
            eligible=eligible,
            approve=approve,
            reject=reject,
            abstain=cast - approve - reject,
            now=_at(day, 15),
        )
        return vote.result == "adopted"

    def through(
        self, commitment: Commitment, year: int, *, sent_back: bool = False, stay_sent_back: bool = False
    ):
        """Vote, approval and publication, each on its day if that day has come."""
        self.comment(commitment, year)
        voted = self.on(year, 1, 18)
        if voted is None:
            return commitment
        if sent_back or stay_sent_back:
            self.vote(commitment, voted, fail=True)
            if stay_sent_back:
                return commitment
            redrafted = self.on(year, 1, 20)
            if redrafted is None:
                return commitment
            services.commitment_update(
                user=self.actor,
                commitment=commitment,
                target=commitment.target + "，并按月公示进度",
                content=commitment.content + "（根据表决意见重新拟定：分解到月、责任到人。）",
                now=_at(redrafted),
            )
            voted = self.on(year, 1, 24)
            if voted is None:
                return commitment
        self.vote(commitment, voted)
        approved = self.on(year, 1, 27)
        if approved is None:
            return commitment
        services.commitment_approve(
            user=self.township, commitment=commitment, approved_on=approved, note="同意。", now=_at(approved)
        )
        published = self.on(year, 2, 3)
        if published is None:
            return commitment
        services.commitment_publish(
            user=self.actor, commitment=commitment, published_on=published, now=_at(published)
        )
        for n, (month, text) in enumerate(zip((4, 7, 10), PROGRESS, strict=True)):
            day = self.on(year, month, 10 + self.index)
            if day is None:
                break
            photo = SimpleUploadedFile(
                f"现场照片{n + 1}.png", _png(commitment.pk * 3 + n), content_type="image/png"
            )
            services.progress_add(
                user=self.actor,
                commitment=commitment,
                date=day,
                content=text,
                evidence=photo if n != 1 else None,
                now=_at(day),
            )
        commitment.refresh_from_db()
        return commitment

    def inspect(self, year: int, items: list[Commitment]) -> None:
        published = [c for c in items if c is not None and c.state == State.PUBLISHED]
        for (month, day), (who, findings, help_given) in zip(((5, 20), (9, 15)), INSPECTIONS, strict=True):
            when = self.on(year, month, day)
            if when is None or not published:
                return
            services.inspection_add(
                user=self.township,
                organisation=self.village,
                date=when,
                inspectors=who,
                findings=findings,
                help_given=help_given,
                commitments=published[:3],
                now=_at(when),
            )

    def assess(self, year: int, grade: str, *, badly: bool = False, final: str = "", note: str = "") -> None:
        report = self.on(year, 12, 20)
        if report is None:
            return
        counts = FAIL_BADLY if badly else TALLIES[grade]
        assessment = services.assessment_record(
            user=self.township,
            organisation=self.village,
            year=year,
            report_on=report,
            meeting="全体党员和群众代表大会，书记、主任述职并接受质询",
            tallies=_split(counts, 1),
            now=_at(report, 15),
        )
        checked = self.on(year, 12, 23)
        if checked is None:
            return
        failing = grade == Grade.FAIL or final == Grade.BASIC
        items = Commitment.objects.filter(
            organisation=self.village, state=State.PUBLISHED, year__lte=year, end_year__gte=year
        )
        completions = {}
        for n, item in enumerate(items.order_by("id")):
            if failing and n % 2:
                completions[item.pk] = (
                    Completion.PARTLY if n % 3 else Completion.NOT_DONE,
                    "未按承诺时限完成",
                )
            else:
                completions[item.pk] = (Completion.DONE, "")
        services.assessment_field_check(
            user=self.township,
            assessment=assessment,
            field_check_on=checked,
            field_check_team="镇干部 3 名、党员代表 2 名、村（居）民代表 3 名",
            field_check_findings="对照承诺事项逐项实地查看，查阅台账，走访群众。",
            completions=completions,
            now=_at(checked),
        )
        finalised = self.on(year, 12, 28)
        if finalised is None:
            return
        final_grade = final or grade
        rectify = final_grade == Grade.FAIL or badly
        services.assessment_finalise(
            user=self.township,
            assessment=assessment,
            final_grade=final_grade,
            finalised_on=finalised,
            final_note=note,
            rectification_deadline=datetime.date(year + 1, 3, 31) if rectify else None,
            rectification_note="对未完成的承诺事项逐项制定整改措施，按月报镇党委。" if rectify else "",
            now=_at(finalised),
        )
        published = self.on(year, 12, 30)
        if published is None:
            return
        services.assessment_publish(
            user=self.township, assessment=assessment, published_on=published, now=_at(published)
        )

    def year(
        self, year: int, *, offset: int, story: Story | None = None, term: bool = False
    ) -> list[Commitment]:
        made = []
        for subject, library in ((Subject.PARTY, PARTY_ITEMS), (Subject.COMMITTEE, COMMITTEE_ITEMS)):
            for n in range(2):
                item = library[(self.index + offset + n * 3) % len(library)]
                commitment = self.draft(year, subject, item)
                if commitment is None:
                    continue
                sent_back = bool(
                    story and story.sent_back_redrafted and subject == Subject.COMMITTEE and n == 0
                )
                stay = bool(story and story.still_sent_back and subject == Subject.COMMITTEE and n == 1)
                made.append(self.through(commitment, year, sent_back=sent_back, stay_sent_back=stay))
            if term:
                commitment = self.draft(year, subject, TERM_ITEMS[subject], scope=Scope.TERM)
                if commitment is not None:
                    made.append(self.through(commitment, year))
        self.inspect(year, made)
        return made

    def revise(self, items: list[Commitment]) -> None:
        adopted = [c for c in items if c.state == State.PUBLISHED and c.scope == Scope.ANNUAL]
        day = self.on(self.today.year, 6, 1)
        if not adopted or day is None:
            return
        revision = services.commitment_revise(
            user=self.actor, commitment=adopted[0], reason="上级项目资金调整，目标需相应修改", now=_at(day)
        )
        services.commitment_update(
            user=self.actor, commitment=revision, target=adopted[0].target + "（调整后）", now=_at(day, 11)
        )
        services.comment_add(
            user=self.actor,
            commitment=revision,
            received_on=day,
            source="members",
            content="同意调整，请在党员大会上说明原因。",
            now=_at(day, 14),
        )


def _personal(village: Organisation, actor: User, today: datetime.date, rng: random.Random) -> int:
    members = list(PartyMember.objects.filter(organisation__path__startswith=village.path).order_by("id"))
    made = 0
    promises = (
        "为三组孤寡老人代办医保报销",
        "帮助两户困难户销售农产品",
        "义务修缮院坝路灯",
        "为留守儿童辅导功课每周一次",
        "带动一户贫困户发展养殖",
        "组织清理河道垃圾两次",
    )
    for year in (today.year - 1, today.year):
        start = datetime.date(year, 2, 15)
        if start > today:
            continue
        for n, member in enumerate(members):
            if year == today.year and n % 4 == 3:
                continue  # a few have no promise yet this year: listed for the branch secretary
            for slot in range(1 + (n % 3 == 0)):
                commitment = services.personal_add(
                    user=actor,
                    member=member,
                    year=year,
                    content=promises[(n + slot) % len(promises)],
                    measure="年底前完成，接受群众监督",
                    deadline=datetime.date(year, 10 if slot else 9, 30),
                    publicised_on=start,
                    now=_at(start),
                )
                made += 1
                reviewed = datetime.date(year, 12, 15)
                if reviewed <= today and year < today.year:
                    services.personal_review(
                        user=actor,
                        commitment=commitment,
                        review_result=rng.choice(("done", "done", "done", "partly")),
                        reviewed_on=reviewed,
                        review_comment="民主评议通过",
                        now=_at(reviewed),
                    )
    return made


def _users(village: Organisation) -> tuple[User | None, User | None]:
    users = User.objects.filter(is_active=True).exclude(role="").exclude(role="org_dept")
    own = users.filter(organisation=village).order_by("id").first()
    township = users.filter(organisation=village.parent).order_by("id").first()
    return own or township, township


def seed(district: Organisation, drawn: DrawnMembers) -> str | None:
    subtree = district.subtree()
    if Commitment.objects.filter(organisation__in=subtree).exists():
        return f"承诺践诺：已有 {Commitment.objects.filter(organisation__in=subtree).count()} 项，未重复生成"
    today = timezone.localdate()
    villages = list(
        subtree.filter(level__in=Organisation.GRASSROOTS_LEVELS).select_related("parent").order_by("path")
    )
    made = personal = 0
    for index, village in enumerate(villages):
        actor, township = _users(village)
        if actor is None or township is None:
            continue
        story = STORIES.get(village.code, Story(Grade.PASS))
        demo = VillageYear(village, actor, township, today, index)
        if story.before:
            before = demo.year(today.year - 2, offset=4)
            demo.assess(today.year - 2, story.before)
            made += len(before)
        last = demo.year(today.year - 1, offset=0)
        demo.assess(
            today.year - 1,
            story.last_year,
            badly=bool(story.before),
            final=story.final,
            note=story.final_note,
        )
        this = demo.year(today.year, offset=2, story=story, term=True)
        if story.revision:
            demo.revise(this)
        demo.assess(today.year, story.last_year if story.last_year != Grade.FAIL else Grade.BASIC)
        made += len(last) + len(this)
        personal += _personal(village, actor, today, demo.rng)
    if not made:
        return None
    return f"承诺践诺：“两委会”承诺 {made} 项（含表决退回、修改稿、基本合格和连续两年不合格的示例），党员承诺 {personal} 件"
