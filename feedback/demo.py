"""Demo opinions for `manage.py seed_demo`: a few dozen across the demo villages, through the services.

Dates are relative to today, so there is always something overdue, something due soon and something
closed with its feedback; 桂花村 also has a 包案 case with a 督办, and an approved extension. Idempotent:
nothing is added while the district already holds opinions.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from feedback import rules, services
from feedback.models import Assignment, Channel, Opinion, Satisfaction, Urge
from feedback.rules import Category
from liaison.demo.members import DrawnMembers
from liaison.models import Organisation, Resident, User

SEED = "feedback-demo-2026"


@dataclass(frozen=True)
class Issue:
    subject: str
    content: str
    category: int
    channel: str
    handling: str
    result: str


ISSUES: tuple[Issue, ...] = (
    Issue(
        "三组机耕道垮塌",
        "连日降雨，三组通往后山的机耕道垮塌约十米，农机下不了田。请求尽快修复，赶在小春播种前通行。",
        Category.OWN,
        Channel.VISIT,
        "村委会组织劳力先行抢通，申请“一事一议”资金修复。",
        "已组织村民投工投劳抢通便道，垮塌段浆砌挡墙已完工，农机可正常通行。",
    ),
    Issue(
        "院坝路灯不亮",
        "五组院坝三盏路灯坏了一个多月，晚上老人出门不方便，请求维修。",
        Category.OWN,
        Channel.HOTLINE,
        "联系村电工检修。",
        "已更换灯头和线路，三盏路灯恢复照明。",
    ),
    Issue(
        "低保复核有疑问",
        "家中老人今年低保被停，家里仍有病人，认为复核结果不合理，请求重新审核。",
        Category.UPPER,
        Channel.RECEPTION,
        "属镇民政办职责，报镇街审核。",
        "镇民政办入户重新核查，符合条件，已恢复低保待遇并补发停发期间的低保金。",
    ),
    Issue(
        "饮水管网老化停水",
        "二组、三组饮水管网老化，夏季经常停水，涉及六十多户，请求整体改造。",
        Category.SEVERAL_UNITS,
        Channel.MEETING,
        "村党委牵头，协调镇水务站和供水公司共同解决。",
        "已完成主管网更换一点二公里，二组、三组恢复稳定供水。",
    ),
    Issue(
        "宅基地界址纠纷",
        "与邻居因宅基地界址发生争执，多次协商不成，请求村里出面调解。",
        Category.OWN,
        Channel.RECEPTION,
        "村调委会组织双方现场调解。",
        "经现场测量和调解，双方就界址达成一致并签订调解协议。",
    ),
    Issue(
        "医保报销进度慢",
        "家人住院的医保报销材料交了两个月还没有结果，请求帮助催办。",
        Category.UPPER,
        Channel.SECRETARY_MAILBOX,
        "报镇社保所协调。",
        "镇社保所核实后已办理报销，款项已到账。",
    ),
    Issue(
        "危房改造补助",
        "住房墙体开裂，申请了危房改造，想了解补助什么时候能批下来。",
        Category.UPPER,
        Channel.VISIT,
        "协助准备材料，报镇住建办。",
        "已完成危房鉴定，列入本年度改造计划，补助资金按进度拨付。",
    ),
    Issue(
        "征地补偿标准",
        "对修路征地的补偿标准有意见，认为比邻村低，请求提高。",
        Category.UNSOLVABLE,
        Channel.RECEPTION,
        "补偿标准按区政府文件执行，无法单独提高，做好政策解释。",
        "已向反映人逐项解释补偿标准和依据；同时帮助其家人联系就近务工岗位。",
    ),
    Issue(
        "垃圾清运不及时",
        "四组垃圾收集点三四天才清运一次，夏天气味很大，请求增加清运次数。",
        Category.OWN,
        Channel.OPINION_BOX,
        "与保洁公司协商调整清运频次。",
        "已调整为每天清运一次，并增设两个垃圾桶。",
    ),
    Issue(
        "电压偏低电器带不动",
        "六组电压长期偏低，晚上电器带不动，请求改造线路。",
        Category.SEVERAL_UNITS,
        Channel.HOTLINE,
        "村党委牵头，协调供电所列入农网改造。",
        "供电所已新增一台变压器，六组电压恢复正常。",
    ),
    Issue(
        "孩子就近入学",
        "外出务工返乡，孩子想转到镇上小学读书，不知道怎么办手续。",
        Category.UNSOLVABLE,
        Channel.PHONE,
        "属教育部门政策范围，向反映人说明转学办理程序。",
        "已向反映人说明转学政策和所需材料，并陪同到镇中心校咨询。",
    ),
    Issue(
        "河沟淤塞雨季漫水",
        "村口河沟淤塞，雨季河水漫进农田，请求组织清淤。",
        Category.SEVERAL_UNITS,
        Channel.ONLINE,
        "村党委牵头，协调镇农业服务中心和水利站。",
        "已完成河沟清淤八百米，并加固两处堤岸。",
    ),
)


@dataclass(frozen=True)
class Plan:
    """One demo opinion: which issue, how many days ago it came in, and how far it has got."""

    issue: int
    days_ago: int
    stage: str  # registered, assigned, in_progress, answered, closed, closed_late
    satisfaction: str = Satisfaction.SATISFIED
    target: str = ""  # "overdue" or "due_soon": days_ago is moved until the opinion is so today


VILLAGE_PLANS: tuple[Plan, ...] = (
    Plan(0, 95, "closed"),
    Plan(2, 70, "closed"),
    Plan(4, 16, "in_progress", target="overdue"),
    Plan(1, 9, "assigned", target="due_soon"),
    Plan(8, 24, "closed_late", Satisfaction.BASICALLY),
    Plan(11, 3, "registered"),  # 四类: its 40 days may reach into a year not yet in the calendar
)
CASE_PLAN = Plan(3, 48, "in_progress", target="overdue")  # 四类: 包案 and 督办 in 桂花村
EXTENSION_PLAN = Plan(9, 30, "in_progress")  # 四类 with an approved extension in 桂花村
TRANSFER_PLAN = Plan(6, 12, "registered")  # 二类 危房改造补助: 转报 to the township, which signed for it


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _actor(village: Organisation) -> User:
    """The login who works for this village in the demo: its own clerk, else the township's."""
    users = User.objects.filter(is_active=True).exclude(role="").select_related("organisation")
    own = users.filter(organisation=village).first()
    if own:
        return own
    return users.filter(organisation__in=village.ancestors()).order_by("-organisation__depth").first()


def _reporter(rng: random.Random, village: Organisation) -> Resident:
    residents = list(
        Resident.objects.filter(household__organisation=village, birth_year__lte=2000)
        .select_related("household")
        .order_by("id")[:200]
    )
    return rng.choice(residents)


def issue_for(plan: Plan, village_index: int) -> Issue:
    """The plan's issue, or another of the same category in the next village: villages differ."""
    category = ISSUES[plan.issue].category
    same = [issue for issue in ISSUES if issue.category == category]
    start = same.index(ISSUES[plan.issue])
    return same[(start + village_index) % len(same)]


class VillageDemo:
    def __init__(
        self, village: Organisation, township_user: User | None, today: datetime.date, index: int = 0
    ) -> None:
        self.index = index
        self.village = village
        self.actor = _actor(village)
        self.above = township_user
        self.today = today
        self.rng = random.Random(f"{SEED}:{village.code}")
        self.branch = village.children.order_by("path").first() or village

    def received_on(self, plan: Plan, category: int) -> datetime.date:
        """plan.days_ago ago, or the nearest day after which the opinion is overdue / due soon today, whatever
        holidays lie in between (the demo must show both on any day of the year)."""
        checks = {
            "overdue": lambda received, due: rules.is_overdue(due, self.today),
            "due_soon": lambda received, due: rules.is_due_soon(received, due, self.today),
        }
        check = checks.get(plan.target)
        for extra in range(0, 60) if check else [0]:
            received = self.today - datetime.timedelta(days=plan.days_ago + extra)
            if check is None or check(received, services.compute_deadline(received, category).due):
                return received
        for back in range(1, plan.days_ago):
            received = self.today - datetime.timedelta(days=plan.days_ago - back)
            if check(received, services.compute_deadline(received, category).due):
                return received
        return self.today - datetime.timedelta(days=plan.days_ago)

    def opinion(self, plan: Plan) -> Opinion:
        issue = issue_for(plan, self.index)
        reporter = _reporter(self.rng, self.village)
        if not plan.target:  # a few days apart from village to village
            plan = Plan(plan.issue, plan.days_ago + self.rng.randint(0, 4), plan.stage, plan.satisfaction)
        received = self.received_on(plan, issue.category)
        user = self.actor
        opinion = services.opinion_register(
            user=user,
            organisation=self.village,
            received_on=received,
            channel=issue.channel,
            reporter_name=reporter.name,
            reporter_address=reporter.household.address,
            reporter_phone=reporter.phone or reporter.household.phone,
            subject=issue.subject,
            content=issue.content,
            category=issue.category,
            responsible=user,
            handler=user,
            handling_opinion=issue.handling,
            now=_at(received, 9),
        )
        if plan.stage == "registered":
            return opinion
        issued = min(received + datetime.timedelta(days=1), self.today)
        services.assignment_issue(
            user=user,
            opinion=opinion,
            unit=self.branch,
            role=Assignment.Role.HANDLE,
            issued_on=issued,
            due_date=opinion.due_date,
            contact_name=user.display_name,
            contact_phone=user.phone or "023-66230226",
            now=_at(issued, 10),
        )
        if plan.stage == "assigned":
            return opinion
        assignment = opinion.assignments.get()
        services.assignment_receive(
            user=user,
            assignment=assignment,
            received_by=f"{self.branch.display_name}书记",
            received_on=issued,
            now=_at(issued, 15),
        )
        if plan.stage == "in_progress":
            return opinion
        late = plan.stage == "closed_late"
        done = (
            opinion.due_date + datetime.timedelta(days=2) if late else received + datetime.timedelta(days=6)
        )
        done = min(done, self.today)
        opinion.refresh_from_db()
        services.opinion_record_result(
            user=user,
            opinion=opinion,
            version=opinion.version,
            result=issue.result,
            result_on=done,
            feedback_contact=user.display_name,
            feedback_phone=user.phone,
            now=_at(done, 16),
        )
        if plan.stage == "answered":
            return opinion
        fed_back = min(done + datetime.timedelta(days=1), self.today)
        opinion.refresh_from_db()
        services.opinion_record_feedback(
            user=user,
            opinion=opinion,
            version=opinion.version,
            feedback_on=fed_back,
            feedback_method="in_person",
            feedback_signer=opinion.reporter_name,
            satisfaction=plan.satisfaction,
            close=True,
            now=_at(fed_back, 11),
        )
        return opinion

    def case(self) -> Opinion:
        opinion = self.opinion(CASE_PLAN)
        started = opinion.received_on + datetime.timedelta(days=3)
        services.case_save(
            user=self.actor,
            opinion=opinion,
            leader_name="陈建国",
            leader_title="界石镇党委书记",
            team="镇水务站站长、村党委书记、村监委会主任、供水公司片区负责人；水务站负责方案，村党委负责群众工作",
            plan="一、十日内完成管网勘测；二、争取区级农村饮水安全项目资金；三、分两段施工，先保障二组；四、每周向群众通报进度。",
            started_on=started,
            now=_at(started),
        )
        if self.above:
            urged = self.today - datetime.timedelta(days=1)
            services.urge_create(
                user=self.above,
                opinion=opinion,
                kind=Urge.Kind.SUPERVISE,
                note="已超过办理时限，请包案领导本周内拿出施工时间表，并向反映群众说明进展。",
                now=_at(urged, 9),
            )
        return opinion

    def extension(self) -> Opinion:
        opinion = self.opinion(EXTENSION_PLAN)
        asked = self.today - datetime.timedelta(days=2)
        extension = services.extension_request(
            user=self.actor,
            opinion=opinion,
            requested_due_date=opinion.due_date + datetime.timedelta(days=20),
            reason="需等待供电所年度农网改造计划批复，变压器到货后方能施工。",
            now=_at(asked, 10),
        )
        if self.above:
            services.extension_decide(
                user=self.above,
                extension=extension,
                approve=True,
                note="同意延期二十天，请抓紧协调。",
                now=_at(asked + datetime.timedelta(days=1), 10),
            )
        return opinion

    def transfer(self) -> Opinion | None:
        """转报上级: a category-2 opinion sent up the day after it came in, signed for by the township the
        day after; its 20 days run from that receipt (004 “1234”制度 三)."""
        if self.above is None:
            return None
        opinion = self.opinion(TRANSFER_PLAN)
        sent = min(opinion.received_on + datetime.timedelta(days=1), self.today)
        services.opinion_transfer(
            user=self.actor,
            opinion=opinion.pk,
            version=opinion.version,
            note="危房改造补助由镇统一审核发放，属镇党委、政府职责范围。",
            transferred_on=sent,
            now=_at(sent, 11),
        )
        opinion.refresh_from_db()
        signed = min(sent + datetime.timedelta(days=1), self.today)
        services.transfer_accept(
            user=self.above,
            opinion=opinion.pk,
            version=opinion.version,
            received_on=signed,
            responsible=self.above,
            now=_at(signed, 9),
        )
        return opinion


def seed(district: Organisation, drawn: DrawnMembers) -> str | None:
    from feedback import reception_demo

    lines = [line for line in (_seed_opinions(district), reception_demo.seed(district)) if line]
    return "\n".join(lines) or None


def _seed_opinions(district: Organisation) -> str | None:
    villages = district.subtree().filter(level__in=Organisation.GRASSROOTS_LEVELS)
    if Opinion.objects.filter(organisation__in=district.subtree()).exists():
        return f"群众意见：已有 {Opinion.objects.filter(organisation__in=district.subtree()).count()} 件，未重复生成"
    today = timezone.localdate()
    created = 0
    for index, village in enumerate(villages.select_related("parent").order_by("path")):
        township_user = (
            User.objects.filter(organisation=village.parent, is_active=True)
            .exclude(role="")
            .order_by("id")
            .first()
        )
        demo = VillageDemo(village, township_user, today, index)
        if demo.actor is None or not Resident.objects.filter(household__organisation=village).exists():
            continue
        for plan in VILLAGE_PLANS:
            demo.opinion(plan)
            created += 1
        if demo.actor.organisation_id == village.pk:
            demo.case()
            demo.extension()
            created += 2
            if demo.transfer():
                created += 1
    return (
        f"群众意见：新建 {created} 件（含逾期、即将到期、已销号、包案、延期和转报上级的示例）"
        if created
        else None
    )
