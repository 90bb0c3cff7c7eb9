"""Demo reception days and receptions for `manage.py seed_demo`, through the services.

Every demo organisation with a reception quota (the district, both townships, every village and
community) gets this year's schedule, proposed by the generator and published before the year began
(the services run at a pinned moment, as a secretary would have done in December). The half-days
already past are marked held, about one in ten missed with its reason; some held ones have receptions,
and two receptions were not settled on the spot and became opinions. 石岗村 and 楠竹村 receive on the
界石 market days (2/5/8), the district's 党代会代表 at their 工作室 twice a year.

The members demo gives posts to the branches; a village's own committee (村党组织书记 and 委员) is made
here from its branches' secretaries and committee members; 南泉街道's 副书记 acts as its 书记, whom the
members demo leaves out. The district has no secretary in the demo: its schedule is its 党代会代表's. Public phones are office numbers (023-6280xxxx).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from feedback import reception_rules as rr
from feedback import services
from feedback.models import Handling, Reception, ReceptionSession, SessionKind, SessionStatus
from feedback.rules import Category
from liaison.models import Organisation, Resident, User
from members.models import Position

SEED = "feedback-reception-demo"
TERM_START = datetime.date(2021, 10, 1)
OFFICE_PHONE = "023-6280{:04d}"
MARKET_VILLAGES = {"BN-JS-SG": "258", "BN-JS-NZ": "258"}
MARKET_TOWNSHIPS = {"BN-JS": "147"}
# Added where the members demo has no secretary: (branch, organisation, name, gender, 职务, post). The
# district's own secretary is not invented: the district's schedule is its delegates' half-days.
# 南泉街道 has a 副书记 but no 书记 in the members demo: its 副书记 presides over the reception days.
ACTING_SECRETARIES = ("BN-NQ",)
MISSED_EVERY = 10
RECEPTION_EVERY = 8

# What people came with: (事由, 原因, 请求, how it was handled, the note, the visitor's opinion).
MATTERS = (
    (
        "三组机耕道垮塌",
        "连日降雨，机耕道垮塌约十米，农机下不了田。",
        "请求尽快修复，赶在播种前通行。",
        Handling.ON_SITE,
        "当场联系村组长组织劳力抢通便道。",
        "满意",
    ),
    (
        "院坝路灯不亮",
        "五组院坝三盏路灯坏了一个多月。",
        "请求维修，方便老人夜间出行。",
        Handling.ON_SITE,
        "当场通知村电工次日检修。",
        "满意",
    ),
    (
        "低保政策咨询",
        "家中老人患病，想了解能否申请低保。",
        "请求说明申请条件和程序。",
        Handling.EXPLAIN,
        "逐条说明低保申请条件、所需材料和审批程序，并发放明白卡。",
        "清楚了",
    ),
    (
        "邻里排水纠纷",
        "邻居修房后雨水排到自家院坝。",
        "请求村里出面协调。",
        Handling.ON_SITE,
        "约双方到场，商定共同修建排水沟。",
        "满意",
    ),
    (
        "医保报销咨询",
        "住院费用报销比例不清楚。",
        "请求解释报销政策。",
        Handling.EXPLAIN,
        "讲解城乡居民医保报销比例和大病补充保险。",
        "满意",
    ),
    (
        "外出务工证明",
        "外出务工需要开具居住证明。",
        "请求村里开具证明。",
        Handling.ON_SITE,
        "核实后当场开具证明。",
        "满意",
    ),
)
# The two receptions that were not settled on the spot and entered the 1234 loop.
UNSETTLED = (
    (
        "BN-JS-GH",
        "二组饮水管网老化",
        "管网铺设二十多年，夏季经常停水，涉及四十多户。",
        "请求整体改造饮水管网。",
        Handling.DEADLINE,
        Category.OWN,
        "村党委牵头，十日内拿出改造方案并报镇水务站。",
        "希望早点解决",
    ),
    (
        "BN-NQ-NQSQ",
        "小区电梯加装补贴",
        "老旧小区六层无电梯，老人上下楼困难，加装电梯需要补贴政策。",
        "请求协调加装电梯补贴。",
        Handling.REFER,
        Category.UPPER,
        "属街道和区住建部门职责，转报街道办理。",
        "等待答复",
    ),
)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _actor(organisation: Organisation) -> User | None:
    users = User.objects.filter(is_active=True).exclude(role="")
    own = users.filter(organisation=organisation).order_by("id").first()
    if own:
        return own
    return (
        users.filter(organisation__in=organisation.ancestors()).order_by("-organisation__depth", "id").first()
    )


def _ensure_phone(organisation: Organisation, index: int) -> None:
    if not organisation.phone:
        organisation.phone = OFFICE_PHONE.format(index)
        organisation.save(update_fields=["phone"])


def _village_committee(village: Organisation) -> None:
    """The 村党组织's own committee: its first branch's secretary, and the other branch posts as 委员."""
    if Position.objects.filter(organisation=village, role=Position.Role.SECRETARY).exists():
        return
    posts = (
        Position.objects.filter(organisation__parent=village, end_date__isnull=True)
        .filter(role__in=[Position.Role.SECRETARY, Position.Role.COMMITTEE])
        .select_related("organisation")
        .order_by("organisation__path", "role", "id")
    )
    rows, seen = [], set()
    for post in posts:
        if post.member_id in seen:
            continue
        seen.add(post.member_id)
        role = Position.Role.SECRETARY if not rows else Position.Role.COMMITTEE
        rows.append(
            Position(member_id=post.member_id, organisation=village, role=role, start_date=TERM_START)
        )
    Position.objects.bulk_create(rows[:5])


def _acting_secretaries() -> None:
    for code in ACTING_SECRETARIES:
        organisation = Organisation.objects.filter(code=code).first()
        if (
            organisation is None
            or Position.objects.filter(organisation=organisation, role=Position.Role.SECRETARY).exists()
        ):
            continue
        deputy = Position.objects.filter(
            organisation=organisation, role=Position.Role.DEPUTY_SECRETARY
        ).first()
        if deputy is not None:
            Position.objects.create(
                member_id=deputy.member_id,
                organisation=organisation,
                role=Position.Role.SECRETARY,
                start_date=TERM_START,
            )


class OrganisationDemo:
    def __init__(self, organisation: Organisation, today: datetime.date, index: int) -> None:
        self.organisation = organisation
        self.today = today
        self.index = index
        self.actor = _actor(organisation)
        self.rng = random.Random(f"{SEED}:{organisation.code}")
        self.receptions = 0

    @property
    def market_town(self) -> str:
        """Where the market is: a township's own 场镇, or a village's township's."""
        if self.organisation.level == Organisation.Level.TOWNSHIP or self.organisation.parent is None:
            return self.organisation.display_name
        return self.organisation.parent.display_name

    def schedule(self) -> list[ReceptionSession]:
        year = self.today.year
        before = _at(datetime.date(year - 1, 12, 20), 9)
        market = MARKET_VILLAGES.get(self.organisation.code) or MARKET_TOWNSHIPS.get(
            self.organisation.code, ""
        )
        pattern = rr.Pattern(weekday=self.index % 5, market=market)
        has_secretary = Position.objects.filter(
            organisation=self.organisation, role=Position.Role.SECRETARY, end_date__isnull=True
        ).exists()
        kinds = [SessionKind.SECRETARY] if has_secretary else []
        if self.organisation.level == Organisation.Level.DISTRICT:
            kinds.append(SessionKind.DELEGATE)
        made: list[ReceptionSession] = []
        for kind in kinds:
            result = services.session_generate(
                user=self.actor,
                organisation=self.organisation,
                start=datetime.date(year, 1, 1),
                end=datetime.date(year, 12, 31),
                kind=kind,
                # villages: one other member a week beside the secretary (a small demo district)
                rotation=rr.ROTATE_ONE if self.organisation.is_grassroots else rr.ROTATE_EACH,
                pattern=pattern if kind == SessionKind.SECRETARY else rr.Pattern(weekday=2),
                market_place=f"{self.market_town}场镇农贸市场旁" if market else "",
                now=before,
            )
            made += result.created
        # Everything is published except next month, which stays a draft (proposed, not yet published)
        # for the 镇街管理员 to publish: so /public/ shows this week and this month by default. In
        # December next month is next January, proposed now beside this year's schedule.
        following = datetime.date(year, self.today.month, 28) + datetime.timedelta(days=4)
        drafts = {s.pk for s in made if (s.date.year, s.date.month) == (following.year, following.month)}
        if following.year > year and SessionKind.SECRETARY in kinds:
            result = services.session_generate(
                user=self.actor,
                organisation=self.organisation,
                start=following.replace(day=1),
                end=datetime.date(following.year, 1, 31),
                kind=SessionKind.SECRETARY,
                rotation=rr.ROTATE_ONE if self.organisation.is_grassroots else rr.ROTATE_EACH,
                pattern=pattern,
                market_place=f"{self.market_town}场镇农贸市场旁" if market else "",
                now=_at(self.today, 8),
            )
            made += result.created
            drafts |= {s.pk for s in result.created}
        ids = [s.pk for s in made]
        services.session_publish(
            user=self.actor,
            sessions=ReceptionSession.objects.filter(pk__in=[pk for pk in ids if pk not in drafts]),
            now=before,
        )
        return list(
            ReceptionSession.objects.filter(pk__in=ids)
            .select_related("receiver")
            .order_by("date", "half_day")
        )

    def outcomes(self, sessions: list[ReceptionSession]) -> list[ReceptionSession]:
        past = [s for s in sessions if s.status == SessionStatus.PUBLISHED and s.date < self.today]
        missed = {
            s.pk: "接待人参加区里防汛工作会议，未按期接待，已在下周补接待。"
            for number, s in enumerate(past)
            if number % MISSED_EVERY == MISSED_EVERY - 1
        }
        services.session_record_outcomes(
            user=self.actor,
            sessions=ReceptionSession.objects.filter(pk__in=[s.pk for s in past]),
            missed=missed,
            now=_at(self.today, 8),
        )
        return [s for s in past if s.pk not in missed]

    def visitors(self) -> list[Resident]:
        below = self.organisation.subtree().filter(level__in=Organisation.GRASSROOTS_LEVELS)
        return list(
            Resident.objects.filter(household__organisation__in=below, birth_year__lte=2000)
            .select_related("household")
            .order_by("id")[:120]
        )

    def reception(self, session: ReceptionSession, visitor: Resident, matter: tuple, **extra) -> Reception:
        subject, cause, request, handling, note, opinion = matter[:6]
        return services.reception_register(
            user=self.actor,
            organisation=self.organisation,
            session=session,
            received_on=session.date,
            receiver=session.receiver,
            receiver_title=session.receiver_title,
            visitor_name=visitor.name,
            visitor_gender=visitor.gender if visitor.gender in ("M", "F") else "",
            visitor_age=max(0, min(120, session.date.year - visitor.birth_year))
            if visitor.birth_year
            else None,
            visitor_address=visitor.household.address,
            visitor_phone=visitor.phone or visitor.household.phone,
            account=f"{visitor.name}到{session.place}反映：{cause}",
            matter=subject,
            cause=cause,
            request=request,
            handling=handling,
            handling_note=note,
            visitor_opinion=opinion,
            signed_on=session.date,
            now=_at(session.date, 11),
            **extra,
        )

    def receive(self, held: list[ReceptionSession]) -> None:
        visitors = self.visitors()
        if not visitors:
            return
        for number, session in enumerate(held):
            if number % RECEPTION_EVERY:
                continue
            self.reception(session, self.rng.choice(visitors), MATTERS[(number + self.index) % len(MATTERS)])
            self.receptions += 1

    def unsettled(self, held: list[ReceptionSession]) -> int:
        made = 0
        for code, subject, cause, request, handling, category, note, opinion in UNSETTLED:
            if code != self.organisation.code or not held:
                continue
            session = held[-1]
            visitor = self.visitors()[-1]
            self.reception(
                session,
                visitor,
                (subject, cause, request, handling, note, opinion),
                category=category,
                responsible=self.actor,
            )
            made += 1
        return made


def seed(district: Organisation) -> str | None:
    organisations = list(
        district.subtree().filter(level__in=list(rr.QUOTA_OF_LEVEL)).select_related("parent").order_by("path")
    )
    if ReceptionSession.objects.filter(organisation__in=[o.pk for o in organisations]).exists():
        return None
    today = timezone.localdate()
    _acting_secretaries()
    sessions = held = receptions = opinions = 0
    for index, organisation in enumerate(organisations):
        _ensure_phone(organisation, index + 1)
        if organisation.is_grassroots:
            _village_committee(organisation)
        demo = OrganisationDemo(organisation, today, index)
        if demo.actor is None:
            continue
        made = demo.schedule()
        done = demo.outcomes(made)
        demo.receive(done)
        opinions += demo.unsettled(done)
        sessions += len(made)
        held += len(done)
        receptions += demo.receptions
    return (
        f"接待日：{len(organisations)} 个党组织公布 {sessions} 个接待日（已接待 {held} 个），"
        f"接待登记 {receptions + opinions} 条，其中 {opinions} 条转为群众意见"
    )
