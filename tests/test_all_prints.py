"""Every printable form, filled with the longest text each field allows, read back word by word.

For each …/pdf/ URL: no two words print over each other or off the sheet, no page is blank, and
every label of the form is there, whole on one line (tests/pdf_layout.py). The URLs are enumerated
from the URLconf, so a new print fails here until it has a case below.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from commitments.models import Commitment
from commitments.tests.factories import adopt, approve, draft, publish
from feedback import services as feedback_services
from feedback.models.opinions import OPINION_TEXT_MAX, Opinion
from feedback.tests.factories import answer, feed_back, register
from liaison.models import Household, HouseholdTag, Organisation, Resident, User
from liaison.models.households import HOUSEHOLD_TEXT_MAX
from members.tests.factories import MemberFactory, id_number, pairing
from tests.factories import OrganisationFactory, ResidentFactory, household_with_head
from tests.pdf_layout import assert_prints_cleanly, pages
from tests.pdf_utils import response_bytes

D = datetime.date
L = Organisation.Level
pytestmark = pytest.mark.django_db

# Mixed text as clerks type it: hanzi, digits, Latin, full-width punctuation, and a line break.
SAMPLE = "三组机耕道2026年雨季垮塌约10米，村民出行困难（含留守老人、儿童）；请求硬化路面GPS定位。\n"
RARE_NAME = "欧阳𠮷喆堃"  # an Extension B character in a name


def longest(model, field: str, *, sample: str = SAMPLE) -> str:
    """Text of exactly the field's maximum length."""
    size = model._meta.get_field(field).max_length
    return "".join(itertools.islice(itertools.cycle(sample), size))


def long_org(parent: Organisation, code: str, level=L.BRANCH) -> Organisation:
    name = longest(Organisation, "name", sample="重庆市巴南区界石镇桂花村第一党支部暨便民服务中心联合工作组")
    return OrganisationFactory(name=name, code=code, level=level, parent=parent)


@dataclass(frozen=True)
class Print:
    url: str
    labels: tuple[str, ...]


HOUSEHOLD_LABELS = (
    "户情卡",
    "居住地点",
    "联系电话",
    "住房面积",
    "家庭年收入",
    "家庭党员情况",
    "专长技能",
    "存在问题",
    "建议要求",
    "标签",
    "家庭人员",
    "姓名",
    "与户主关系",
    "性别",
    "年龄",
    "职业",
    "身份证号",
    "外出人员情况",
    "流出地点",
    "从事职业",
    "收入状况",
    "组织生活情况",
    "遵纪守法",
    "返家情况",
)
CARD_LABELS = ("党群连心卡", "帮扶党员", "结对户", "我能帮您", "有困难、有意见，请随时打电话找我", "结对")
ASSIGNMENT_LABELS = (
    "群众意见交办单",
    "（存根联）",
    "（单位）：",
    "居住在",
    "的群众",
    "反映的",
    "一事，需由你单位办理（协助），",
    "前办理完毕，并回复。",
    "联系人：",
    "联系电话：",
    "（单位盖章）",
    "收件人签字：",
    "签收时间：",
)
SLIP_LABELS = (
    "群众意见办理情况反馈单",
    "（存根联）",
    "同志于",
    "反映的",
    "我支部（总支、党委）",
    "经过处理（协调），",
    "办理情况如下：",
    "（单位盖章）",
    "是否满意：",
    "反映人签字：",
    "同志：",
    "您于",
    "办理结束。",
    "对以上办理情况有何意见和建议，请及时向我们反映。",
    "联系人：",
    "联系电话：",
)
# 附件4's header cells, line by line as printed (feedback.printing.REGISTER_PRINT_HEADERS).
REGISTER_TABLE_LABELS = (
    "群众意见办理情况登记表",
    "序号",
    "反映人",
    "姓名",
    "家庭住址",
    "反映",
    "时间",
    "反映问题的",
    "主要内容",
    "处理意见",
    "经办人",
    "办理结果",
    "反馈本人",
    "《反馈单》",
    "签收人",
    "是否",
    "销号",
    "备注",
)
REGISTER_LABELS = ("群众意见办理情况", "单位", "期间", "印制", *REGISTER_TABLE_LABELS)


@pytest.fixture
def full_household(tree) -> Household:
    household = household_with_head(
        organisation=tree["village_a"],
        head_name=longest(Household, "head_name", sample=RARE_NAME),
        address=longest(Household, "address"),
        group=longest(Household, "group"),
        phone="023-66231234",
        housing_area=99999.99,
        annual_income=9999999999.99,
        skills=longest(Household, "skills"),
        problems=longest(Household, "problems"),
        requests=longest(Household, "requests"),
        party_member_info=longest(Household, "party_member_info"),
    )
    assert len(household.problems) == HOUSEHOLD_TEXT_MAX
    household.tags.set(HouseholdTag.objects.all())
    for n in range(10):
        ResidentFactory(
            household=household,
            name=longest(Resident, "name", sample=RARE_NAME),
            relation=Resident.Relation.CHILD,
            id_number=id_number(D(1970 + n, 1, 1), n),
            phone="13812345678",
            occupation=longest(Resident, "occupation"),
            is_party_member=True,
            is_away=n % 2 == 0,
            away_location=longest(Resident, "away_location"),
            away_income=9999999999.99,
            away_requests=longest(Resident, "away_requests"),
            away_party_life=longest(Resident, "away_party_life"),
            away_law_record=longest(Resident, "away_law_record"),
            away_return=longest(Resident, "away_return"),
        )
    return household


def household_print(household: Household, **_) -> Print:
    return Print(reverse("household-pdf", args=[household.pk]), HOUSEHOLD_LABELS)


def _pairings(tree, household: Household) -> list:
    branch = long_org(tree["village_a"], "long-branch")
    help_content = longest(Opinion, "content")  # help_content has no limit; the card shortens it
    made = [pairing(household, MemberFactory(organisation=branch, name="张" * 50), help_content=help_content)]
    members = [MemberFactory(organisation=branch, name=f"{'李' * 49}{n}") for n in range(5)]
    made.append(pairing(household, *members, help_content=help_content))  # 多帮一: more than fit
    return made


def pairing_print(household: Household, tree, **_) -> Print:
    card = _pairings(tree, household)[1]
    return Print(reverse("pairing-pdf", args=[card.pk]), CARD_LABELS)


def pairing_cards_print(household: Household, tree, **_) -> Print:
    _pairings(tree, household)
    url = reverse("pairing-cards-pdf") + f"?organisation={tree['village_a'].pk}"
    return Print(url, CARD_LABELS)


def long_opinion(clerk, *, handled: bool = True) -> Opinion:
    opinion = register(
        clerk,
        received_on=D(2026, 3, 3),
        reporter_name=longest(Opinion, "reporter_name", sample=RARE_NAME),
        reporter_address=longest(Opinion, "reporter_address"),
        subject=longest(Opinion, "subject"),
        content=longest(Opinion, "content"),
        handling_opinion=longest(Opinion, "handling_opinion"),
        remarks=longest(Opinion, "remarks"),
    )
    if not handled:
        return opinion
    opinion = answer(clerk, opinion, on=D(2026, 3, 9), result=longest(Opinion, "result"))
    opinion.feedback_contact = longest(Opinion, "feedback_contact", sample="刘晓燕")
    opinion.feedback_phone = "023-66231234"
    opinion.save(update_fields=["feedback_contact", "feedback_phone"])
    opinion = feed_back(clerk, opinion, on=D(2026, 3, 10))
    assert len(opinion.result) == OPINION_TEXT_MAX
    return opinion


def assignment_print(clerk, tree, **_) -> Print:
    opinion = long_opinion(clerk, handled=False)
    assignment = feedback_services.assignment_issue(
        user=clerk,
        opinion=opinion,
        unit=long_org(tree["village_a"], "long-unit"),
        due_date=D(2026, 3, 12),
        contact_name="刘" * 50,
        contact_phone="023-66231234",
        issued_on=D(2026, 3, 4),
    )
    feedback_services.assignment_receive(
        user=clerk, assignment=assignment, received_by="张" * 50, received_on=D(2026, 3, 5)
    )
    return Print(reverse("assignment-pdf", args=[assignment.pk]), ASSIGNMENT_LABELS)


def feedback_slip_print(clerk, **_) -> Print:
    return Print(reverse("opinion-feedback-slip-pdf", args=[long_opinion(clerk).pk]), SLIP_LABELS)


def opinion_print(clerk, **_) -> Print:
    return Print(reverse("opinion-pdf", args=[long_opinion(clerk).pk]), REGISTER_TABLE_LABELS)


def register_print(clerk, tree, **_) -> Print:
    long_opinion(clerk)
    register(clerk, received_on=D(2026, 4, 1), reporter_name="李堃")
    url = reverse("opinion-register-pdf") + f"?organisation={tree['village_a'].pk}&year=2026"
    return Print(url, REGISTER_LABELS)


# 附件1, box by box as printed (feedback/templates/feedback/print/reception_table.html).
RECEPTION_LABELS = (
    "党组织书记接待群众登记表",
    "时间：",
    "接待人",
    "职务",
    "姓名",
    "性别",
    "年龄",
    "家庭住址",
    "联系电话",
    "现场办理",
    "限期办理",
    "解释说明",
    "转有关部门办理",
    "签字：",
)
RECEPTION_REGISTER_LABELS = ("基层党组织书记接待群众", "单位", "印制", *RECEPTION_LABELS)


def long_reception(clerk, tree, *, day: datetime.date | None = None, receiver=None):
    from feedback.models.receptions import Reception
    from feedback.tests.reception_factories import committee, reception

    receiver = receiver or committee(tree["village_a"], ["李" * 50])[0]
    return reception(
        clerk,
        receiver,
        day=day or D(2026, 3, 9),
        receiver_title=longest(Reception, "receiver_title"),
        visitor_name=longest(Reception, "visitor_name", sample=RARE_NAME),
        visitor_address=longest(Reception, "visitor_address"),
        visitor_phone="023-66231234",
        visitor_age=120,
        account=longest(Reception, "account"),
        matter=longest(Reception, "matter"),
        cause=longest(Reception, "cause"),
        request=longest(Reception, "request"),
        handling="refer",
        handling_note=longest(Reception, "handling_note"),
        visitor_opinion=longest(Reception, "visitor_opinion"),
        category=2,
        responsible=clerk,
    )


def reception_print(clerk, tree, **_) -> Print:
    return Print(reverse("reception-pdf", args=[long_reception(clerk, tree).pk]), RECEPTION_LABELS)


def reception_register_print(clerk, tree, **_) -> Print:
    first = long_reception(clerk, tree)
    long_reception(clerk, tree, day=D(2026, 3, 16), receiver=first.receiver)
    url = reverse("reception-register-pdf") + f"?organisation={tree['village_a'].pk}&year=2026"
    return Print(url, RECEPTION_REGISTER_LABELS)


def reception_blank_print(**_) -> Print:
    return Print(reverse("reception-blank-pdf") + "?cover=1", RECEPTION_REGISTER_LABELS)


NOTICE_LABELS = ("公", "告", "日期", "时间", "地点", "接待人", "职务", "联系电话", "（盖章）")


def reception_notice_print(clerk, tree, **_) -> Print:
    """The monthly 公告: every half-day of a month with the longest place and 职务."""
    from feedback.models.receptions import ReceptionSession
    from feedback.tests.reception_factories import committee, published

    people = committee(tree["village_a"], ["李" * 50, "王" * 50])
    day = D(2030, 3, 4)
    for week in range(4):
        for index, person in enumerate(people):
            published(
                clerk,
                person,
                day=day + datetime.timedelta(days=7 * week + index),
                kind="secretary" if index == 0 else "member",
                place=longest(ReceptionSession, "place"),
                receiver_title=longest(ReceptionSession, "receiver_title"),
            )
    url = reverse("public-reception-notice-pdf", args=[tree["village_a"].pk, 2030, 3])
    return Print(url, NOTICE_LABELS)


VISIT_LABELS = (
    "基层党组织班子成员进家入户走访群众",
    "民情日志",
    "时间：",
    "家访人",
    "职务",
    "被访",
    "家庭",
    "成员",
    "基本",
    "情况",
    "姓名",
    "性别",
    "年龄",
    "职业",
    "居住地点",
    "家庭年收入",
    "专长技能",
    "住房面积",
    "联系电话",
    "家庭党员情况",
    "家访情况",
    "要求解",
    "决的问题",
    "办理情况",
    "现场办理",
    "限期办理",
    "解释说明",
    "转有关部门办理",
    "被访群",
    "众意见",
    "签字：",
)
BOOKLET_LABELS = ("民情日志", "姓名", "单位", "职务", "委组织部", "印制", *VISIT_LABELS)
VISIT_ROOM_LABELS = (
    "外出人员情况（“八清楚”）",
    "流出地点",
    "从事职业",
    "收入状况",
    "返家情况",
    "遵纪守法情况",
)


def long_visit(clerk, household: Household, tree):
    """The longest text every box takes, a 11-member household (three sheets of family rows) with people
    working away, and every household number at the most the visit accepts."""
    from members.models import PartyMember
    from visits.models import Visit
    from visits.models.visit import SITUATION_MAX, TEXT_MAX
    from visits.rules import MAX_ANNUAL_INCOME, MAX_HOUSING_AREA
    from visits.services import visit_record

    Household.objects.filter(pk=household.pk).update(
        housing_area=MAX_HOUSING_AREA, annual_income=MAX_ANNUAL_INCOME
    )
    household.refresh_from_db()
    visitor = MemberFactory(organisation=long_org(tree["village_a"], "long-visit-branch"), name="张" * 50)
    visitor.title = longest(PartyMember, "title", sample="桂花村党委书记兼村委会主任")
    visitor.save()
    sample = longest(Visit, "situation")
    assert len(sample) == SITUATION_MAX
    return (
        visit_record(
            user=clerk,
            household=household,
            visitor=visitor,
            visited_on=D(2026, 3, 3),
            situation=sample,
            problem=longest(Visit, "problem"),
            handling="explained",
            handling_text=longest(Visit, "handling_text"),
            resident_opinion=longest(Visit, "resident_opinion"),
            signed_by=longest(Visit, "signed_by", sample=RARE_NAME),
            signed_on=D(2026, 3, 3),
        )
        if len(longest(Visit, "problem")) == TEXT_MAX
        else None
    )


def visit_print(clerk, household: Household, tree, **_) -> Print:
    made = long_visit(clerk, household, tree)
    return Print(reverse("visit-pdf", args=[made.pk]), (*VISIT_LABELS, *VISIT_ROOM_LABELS))


def visit_booklet_print(clerk, household: Household, tree, **_) -> Print:
    made = long_visit(clerk, household, tree)
    url = reverse("visit-booklet-pdf") + f"?visitor={made.visitor_id}&year=2026"
    return Print(url, BOOKLET_LABELS)


def visit_blank_print(**_) -> Print:
    return Print(reverse("visit-blank-pdf"), VISIT_LABELS)


PLEDGE_LABELS = (
    "年承诺书",
    "一、村（社区）党组织承诺",
    "二、村（居）委会承诺",
    "序号",
    "承诺方面",
    "承诺事项和具体内容",
    "量化目标",
    "完成时限",
    "责任人",
    "村（社区）党组织书记（签字）：",
    "村（居）委会主任（签字）：",
    "党委、政府（盖章）",
)


def pledge_print(clerk, tree, **_) -> Print:
    """Six items a committee, every text at its longest: the table runs over several pages."""
    township = User.objects.create(
        username="pledge-township", role="secretary", organisation=tree["township"]
    )
    long = {
        "title": longest(Commitment, "title"),
        "content": longest(Commitment, "content"),
        "target": longest(Commitment, "target"),
        "responsible": longest(Commitment, "responsible", sample="村党委书记欧阳𠮷喆堃"),
    }
    for subject, areas in (
        ("party", ("leadership", "membership")),
        ("committee", ("development", "service")),
    ):
        for n in range(6):
            scope = "term" if n == 0 else "annual"
            deadline = D(2028, 10, 31) if scope == "term" else D(2026, 11, 30)
            item = draft(
                clerk,
                tree["village_a"],
                subject=subject,
                area=areas[n % 2],
                scope=scope,
                deadline=deadline,
                **long,
            )
            publish(clerk, approve(township, adopt(clerk, item)))
    return Print(reverse("commitment-pledge-pdf", args=[tree["village_a"].pk, 2026]), PLEDGE_LABELS)


# Every …/pdf/ URL name → how to make its longest print. A new print must be added here.
PRINTS: dict[str, Callable[..., Print]] = {
    "household-pdf": household_print,
    "pairing-pdf": pairing_print,
    "pairing-cards-pdf": pairing_cards_print,
    "assignment-pdf": assignment_print,
    "opinion-feedback-slip-pdf": feedback_slip_print,
    "opinion-pdf": opinion_print,
    "opinion-register-pdf": register_print,
    "reception-pdf": reception_print,
    "reception-register-pdf": reception_register_print,
    "reception-blank-pdf": reception_blank_print,
    "public-reception-notice-pdf": reception_notice_print,
    "visit-pdf": visit_print,
    "visit-booklet-pdf": visit_booklet_print,
    "visit-blank-pdf": visit_blank_print,
    "commitment-pledge-pdf": pledge_print,
}


def pdf_url_names(patterns=None, prefix: str = "") -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            names |= pdf_url_names(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.rstrip("$").endswith("pdf/"):
            names.add(pattern.name)
    return names


def test_every_print_is_checked():
    assert pdf_url_names() == set(PRINTS), "a …/pdf/ URL without a case in PRINTS (or a stale one)"


@pytest.mark.parametrize("name", sorted(PRINTS))
def test_longest_text_prints_cleanly(name, client_for, clerk_a, tree, full_household):
    case = PRINTS[name](clerk=clerk_a, tree=tree, household=full_household)
    response = client_for(clerk_a).get(case.url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    document = assert_prints_cleanly(response_bytes(response), case.labels)
    assert "注意：本件含有字库无法打印的字" not in "".join(p.text for p in document)  # 𠮷 prints


def test_the_checks_can_fail():
    """The layout checks catch what they are for: overprinting, a blank page, a broken label."""
    from tests.pdf_layout import Page, Word, blank_pages, missing_labels, overlapping

    clash = Page(1, 595, 842, [Word(1, 10, 10, 60, 22, "是否满意"), Word(1, 30, 14, 90, 26, "联系电话")])
    assert overlapping(clash)
    lines = Page(1, 595, 842, [Word(1, 10, 10, 60, 22, "是否满意"), Word(1, 10, 24, 60, 36, "联系电话")])
    assert not overlapping(lines)
    furniture = Page(
        2, 595, 842, [Word(2, 250, 820, 340, 830, "第"), Word(2, 262, 820, 340, 830, "2页/共2页")]
    )
    assert blank_pages([lines, furniture]) == [2]
    broken = Page(1, 595, 842, [Word(1, 10, 10, 40, 22, "《反馈"), Word(1, 10, 24, 60, 36, "单》签收人")])
    assert missing_labels([broken], ["《反馈单》签收人"]) == ["《反馈单》签收人"]


@pytest.mark.parametrize("handled", [True, False], ids=["handled", "blank"])
def test_long_feedback_slip_continues_with_both_parts_complete(client_for, clerk_a, tree, handled):
    """Sheet by sheet: the stub on the top half, the handed-over part on the bottom half; the text
    continues on 续页 sheets; each part ends with its signature and seal places."""
    opinion = long_opinion(clerk_a, handled=handled)
    pdf = response_bytes(client_for(clerk_a).get(reverse("opinion-feedback-slip-pdf", args=[opinion.pk])))
    sheets = pages(pdf)
    if handled:
        assert len(sheets) > 1
    middle = sheets[0].height / 2

    def half(page, top: bool) -> str:
        return "".join(
            "".join(w.text for w in sorted(words, key=lambda w: w.x))
            for _, words in itertools.groupby(
                sorted((w for w in page.words if (w.y1 <= middle) == top), key=lambda w: round(w.y)),
                key=lambda w: round(w.y),
            )
        )

    # Each part's half sheets (a part may need fewer sheets than the other: its half stays empty).
    stub = [text for text in (half(page, True) for page in sheets) if text]
    copy = [text for text in (half(page, False) for page in sheets) if text]
    assert "（存根联）" in stub[0] and "（存根联）" not in "".join(copy)
    assert "是否满意：" in stub[-1] and "反映人签字：" in stub[-1] and "（单位盖章）" in stub[-1]
    assert "联系人：" in copy[-1] and "联系电话：" in copy[-1] and "（单位盖章）" in copy[-1]
    for later in stub[1:]:
        assert "群众意见办理情况反馈单（存根联）" in later and "（续页）" in later
    for later in copy[1:]:
        assert "群众意见办理情况反馈单（续页）" in later
    for earlier in stub[:-1] + copy[:-1]:
        assert earlier.endswith("（转下页）") or "（转下页）" in earlier
    if handled:  # the whole 办理结果 is printed in each part, once
        result = "".join(opinion.result.split())
        assert result[:40] in "".join(stub) and result[-40:] in "".join(stub)
        assert result[-40:] in "".join(copy)
