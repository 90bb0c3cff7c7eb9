"""The pages as their users meet them: forms posted from the HTML they get, refusals shown on the
page with nothing saved, and the masked history on the record pages."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from commitments.models import Assessment, Commitment, Inspection, PersonalCommitment, ProgressNote, Vote
from commitments.rules import Grade
from commitments.states import ADOPTED_IS_FIXED, NOT_ADOPTED_YET, State
from commitments.tests.factories import YEAR, adopt, draft, published
from liaison.models import Organisation
from members.tests.factories import MemberFactory
from tests.factories import OrganisationFactory, UserFactory
from tests.forms_utils import form_fields
from tests.pdf_utils import pdf_text, response_bytes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def post_form(client, url: str, changes: dict, files: dict | None = None):
    page = client.get(url)
    assert page.status_code == 200, url
    data = {**form_fields(page.content.decode()), **changes}
    data = {k: v for k, v in data.items() if v is not None}
    if files:
        data.update(files)
    return client.post(url, data)


def test_menu_and_list(client_for, clerk_a, tree):
    draft(clerk_a, tree["village_a"], title="新修三组机耕道1.2公里")
    client = client_for(clerk_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("commitment-list") in page and "承诺践诺" in page
    page = client.get(reverse("commitment-list")).content.decode()
    assert "新修三组机耕道1.2公里" in page


def test_draft_through_the_form_then_vote_and_see_it_adopted(client_for, clerk_a, tree):
    client = client_for(clerk_a)
    response = post_form(
        client,
        reverse("commitment-create"),
        {
            "organisation": str(tree["village_a"].pk),
            "subject": "committee",
            "direction": "downward",
            "scope": "annual",
            "year": str(YEAR),
            "area": "development",
            "title": "硬化三组道路1公里",
            "content": "争取项目资金，硬化三组主干道。",
            "target": "硬化道路1公里",
            "deadline": f"{YEAR}-10-31",
            "responsible": "村委会主任 陈国平",
        },
    )
    commitment = Commitment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "commitment-detail", args=[commitment.pk]
    )
    response = post_form(
        client,
        reverse("commitment-vote", args=[commitment.pk]),
        {
            "held_on": f"{YEAR}-01-20",
            "body": "joint",
            "eligible": "90",
            "approve": "60",
            "reject": "30",
            "abstain": "0",
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.state == State.ADOPTED  # 60/90 is exactly two thirds
    detail = client.get(reverse("commitment-detail", args=[commitment.pk])).content.decode()
    assert "通过，列为承诺内容" in detail and "修改记录" in detail


def test_wrong_area_is_refused_next_to_the_field(client_for, clerk_a, tree):
    response = post_form(
        client_for(clerk_a),
        reverse("commitment-create"),
        {
            "organisation": str(tree["village_a"].pk),
            "subject": "party",
            "direction": "upward",
            "scope": "annual",
            "year": str(YEAR),
            "area": "development",
            "title": "x",
            "content": "x",
            "target": "x",
            "deadline": f"{YEAR}-10-31",
            "responsible": "书记",
        },
    )
    assert response.status_code == 200
    assert "承诺事项不交叉" in response.content.decode()
    assert not Commitment.objects.exists()


def test_vote_counts_over_eligible_are_shown_and_nothing_saved(client_for, clerk_a, tree):
    item = draft(clerk_a, tree["village_a"])
    response = post_form(
        client_for(clerk_a),
        reverse("commitment-vote", args=[item.pk]),
        {"held_on": f"{YEAR}-01-20", "body": "members", "eligible": "10", "approve": "9", "reject": "3"},
    )
    assert response.status_code == 200
    assert "超过应参加表决人数 10 人" in response.content.decode()
    assert not Vote.objects.exists()
    item.refresh_from_db()
    assert item.state == State.DRAFT


def test_a_repeated_vote_submission_records_one_vote(client_for, clerk_a, tree):
    item = draft(clerk_a, tree["village_a"])
    client = client_for(clerk_a)
    url = reverse("commitment-vote", args=[item.pk])
    data = {
        **form_fields(client.get(url).content.decode()),
        "held_on": f"{YEAR}-01-20",
        "body": "members",
        "eligible": "10",
        "approve": "4",
        "reject": "6",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # Back + submit again
    assert Vote.objects.count() == 1


def test_publishing_before_adoption_is_refused_on_the_page(client_for, clerk_a, tree):
    item = draft(clerk_a, tree["village_a"])
    response = post_form(
        client_for(clerk_a), reverse("commitment-publish", args=[item.pk]), {"on": f"{YEAR}-02-01"}
    )
    assert response.status_code == 200 and NOT_ADOPTED_YET in response.content.decode()
    item.refresh_from_db()
    assert item.state == State.DRAFT and item.published_on is None


def test_editing_an_adopted_commitment_sends_back_to_the_page_with_the_reason(client_for, clerk_a, tree):
    item = adopt(clerk_a, draft(clerk_a, tree["village_a"]))
    client = client_for(clerk_a)
    response = client.get(reverse("commitment-update", args=[item.pk]), follow=True)
    assert ADOPTED_IS_FIXED in response.content.decode()
    detail = client.get(reverse("commitment-detail", args=[item.pk])).content.decode()
    assert reverse("commitment-revise", args=[item.pk]) in detail
    assert reverse("commitment-update", args=[item.pk]) not in detail


def test_township_approves_and_village_does_not_see_the_button(client_for, clerk_a, township_secretary, tree):
    item = adopt(clerk_a, draft(clerk_a, tree["village_a"]))
    detail = client_for(clerk_a).get(reverse("commitment-detail", args=[item.pk])).content.decode()
    assert reverse("commitment-approve", args=[item.pk]) not in detail
    response = post_form(
        client_for(clerk_a), reverse("commitment-approve", args=[item.pk]), {"on": f"{YEAR}-01-25"}
    )
    assert "镇街党委、政府办理" in response.content.decode()
    client = client_for(township_secretary)
    assert (
        reverse("commitment-approve", args=[item.pk])
        in client.get(reverse("commitment-detail", args=[item.pk])).content.decode()
    )
    response = post_form(client, reverse("commitment-approve", args=[item.pk]), {"on": f"{YEAR}-01-25"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.APPROVED


def test_progress_note_with_a_photo_and_its_download(client_for, clerk_a, township_secretary, tree, outsider):
    item = published(clerk_a, township_secretary, tree["village_a"])
    client = client_for(clerk_a)
    response = post_form(
        client,
        reverse("commitment-progress", args=[item.pk]),
        {"date": f"{YEAR}-04-10", "content": "已完成路基平整"},
        files={"evidence": SimpleUploadedFile("路基.png", PNG, content_type="image/png")},
    )
    assert response.status_code == 302
    note = ProgressNote.objects.get()
    assert note.evidence_name == "路基.png"
    download = client.get(reverse("progress-evidence", args=[note.pk]))
    assert download.status_code == 200 and response_bytes(download) == PNG
    assert "attachment" in download["Content-Disposition"]
    assert client_for(outsider).get(reverse("progress-evidence", args=[note.pk])).status_code == 404


def test_a_page_renamed_to_png_is_refused(client_for, clerk_a, township_secretary, tree):
    item = published(clerk_a, township_secretary, tree["village_a"])
    response = post_form(
        client_for(clerk_a),
        reverse("commitment-progress", args=[item.pk]),
        {"date": f"{YEAR}-04-10", "content": "照片"},
        files={
            "evidence": SimpleUploadedFile(
                "x.png", b"<html><script>alert(1)</script>", content_type="image/png"
            )
        },
    )
    assert response.status_code == 200 and "文件内容与扩展名不符" in response.content.decode()
    assert not ProgressNote.objects.exists()


def test_inspection_by_the_township(client_for, clerk_a, township_secretary, tree):
    item = published(clerk_a, township_secretary, tree["village_a"])
    client = client_for(township_secretary)
    url = f"{reverse('inspection-create')}?organisation={tree['village_a'].pk}&commitment={item.pk}"
    response = post_form(
        client,
        url,
        {
            "date": f"{YEAR}-05-01",
            "inspectors": "镇组织办 王敏",
            "findings": "路基完成",
            "help_given": "协调水泥",
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert list(inspection.commitments.all()) == [item]
    assert "路基完成" in client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()


def _tallies(satisfied, basically, dissatisfied) -> dict:
    return {
        "report_on": f"{YEAR}-12-01",
        "member_reps__satisfied": str(satisfied),
        "member_reps__basically_satisfied": str(basically),
        "member_reps__dissatisfied": str(dissatisfied),
    }


def test_year_end_assessment_through_the_pages(client_for, clerk_a, township_secretary, tree):
    item = published(clerk_a, township_secretary, tree["village_a"])
    client = client_for(township_secretary)
    create = f"{reverse('assessment-create')}?organisation={tree['village_a'].pk}&year={YEAR}"
    response = post_form(client, create, _tallies(0, 0, 0))
    assert response.status_code == 200 and "合计为 0" in response.content.decode()
    assert not Assessment.objects.exists()
    response = post_form(client, create, _tallies(55, 35, 10))
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and assessment.measured_grade == Grade.BASIC
    detail = client.get(reverse("assessment-detail", args=[assessment.pk])).content.decode()
    assert "基本合格" in detail and "未作规定" in detail  # the gap, said in the UI
    response = post_form(
        client,
        reverse("assessment-check", args=[assessment.pk]),
        {
            "field_check_on": f"{YEAR}-12-01",
            "field_check_team": "镇干部 2 名",
            "field_check_findings": "逐项查看",
            f"completion_{item.pk}": "partly",
        },
    )
    assert response.status_code == 302
    response = post_form(
        client,
        reverse("assessment-finalise", args=[assessment.pk]),
        {"final_grade": "basic", "finalised_on": f"{YEAR}-12-01"},
    )
    assert response.status_code == 302
    response = post_form(client, reverse("assessment-publish", args=[assessment.pk]), {"on": f"{YEAR}-12-01"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.final_grade == Grade.BASIC and assessment.published_on
    item.refresh_from_db()
    assert item.state == State.ASSESSED and item.completion == "partly"
    response = client.get(reverse("assessment-tallies", args=[assessment.pk]), follow=True)
    assert "测评票和考察情况不能再修改" in response.content.decode()


def test_personal_commitments_and_the_members_without_one(client_for, clerk_a, tree):
    keen = MemberFactory(organisation=tree["village_a"], name="张德明")
    MemberFactory(organisation=tree["village_a"], name="李秀英")
    client = client_for(clerk_a)
    response = post_form(
        client,
        f"{reverse('personal-create')}?member={keen.pk}",
        {"year": str(YEAR), "content": "帮五保户修房", "deadline": f"{YEAR}-09-30"},
    )
    assert response.status_code == 302
    page = client.get(f"{reverse('personal-list')}?year={YEAR}").content.decode()
    assert "帮五保户修房" in page
    missing = page.split("尚未承诺的党员")[1]
    assert "李秀英" in missing and "张德明" not in missing
    pc = PersonalCommitment.objects.get()
    response = post_form(
        client,
        reverse("personal-review", args=[pc.pk]),
        {"review_result": "done", "reviewed_on": f"{YEAR}-11-30", "review_comment": "群众满意"},
    )
    assert response.status_code == 302
    pc.refresh_from_db()
    assert pc.review_result == "done"


def test_pledge_pdf_reads_back(client_for, clerk_a, township_secretary, tree):
    published(
        clerk_a, township_secretary, tree["village_a"], title="硬化三组道路1公里", target="硬化道路1公里"
    )
    published(
        clerk_a,
        township_secretary,
        tree["village_a"],
        subject="party",
        area="membership",
        title="发展年轻党员2名",
        target="发展党员2名",
        responsible="村党委书记 刘晓燕",
    )
    draft(clerk_a, tree["village_a"], title="尚在征求意见的初诺")
    response = client_for(clerk_a).get(reverse("commitment-pledge-pdf", args=[tree["village_a"].pk, YEAR]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(pdf_text(response_bytes(response)).split())
    assert "桂花村“两委会”" in text and f"{YEAR}年承诺书" in text
    assert "一、村（社区）党组织承诺" in text and "二、村（居）委会承诺" in text
    assert "硬化三组道路1公里" in text and "发展年轻党员2名" in text
    assert "尚在征求意见的初诺" not in text
    assert "村（社区）党组织书记（签字）：" in text and "村（居）委会主任（签字）：" in text
    assert "界石镇党委、政府（盖章）" in text


def test_the_members_without_a_promise_are_counted_past_the_thirty_shown(client_for, org_dept, tree):
    """The panel lists 30 names and counts the rest in a query of its own; the count holds the whole
    subtree, and a village chosen in the filter narrows both."""
    for n in range(33):
        MemberFactory(organisation=tree["village_a"], name=f"桂花{n:02d}")
    for n in range(4):
        MemberFactory(organisation=tree["community"], name=f"南泉{n:02d}")
    promised = MemberFactory(organisation=tree["village_a"], name="已承诺")
    PersonalCommitment.objects.create(
        member=promised, year=YEAR, slot=1, content="修路", deadline=f"{YEAR}-06-30"
    )
    client = client_for(org_dept)

    page = client.get(reverse("personal-list"), {"year": YEAR})
    assert page.context["missing_count"] == 37 and len(page.context["missing"]) == 30
    assert "另有 7 名" in page.content.decode()
    page = client.get(reverse("personal-list"), {"year": YEAR, "organisation": tree["village_a"].pk})
    assert page.context["missing_count"] == 33 and page.context["missing_more"] == 3
    page = client.get(reverse("personal-list"), {"year": YEAR, "organisation": tree["community"].pk})
    assert page.context["missing_count"] == 4 and page.context["missing_more"] == 0


def test_a_second_district_keeps_its_personal_promises_and_members(client_for, org_dept, tree):
    """The 组织部 of a one-district database reads promises and members without a scope join
    (liaison.access.scoping.sees_whole_tree); once another district shares the database, neither its
    promises nor its members without one reach the first district's page."""
    ours = MemberFactory(organisation=tree["village_a"], name="张德明")
    PersonalCommitment.objects.create(
        member=ours, year=YEAR, slot=1, content="帮五保户修房", deadline=f"{YEAR}-01-31"
    )
    other = OrganisationFactory(name="綦江区", code="qj", level=Organisation.Level.DISTRICT)
    village = OrganisationFactory(name="古南村", code="qj-gn", level=Organisation.Level.VILLAGE, parent=other)
    theirs = MemberFactory(organisation=village, name="王古南")
    PersonalCommitment.objects.create(
        member=theirs, year=YEAR, slot=1, content="清理河道", deadline=f"{YEAR}-01-31"
    )
    MemberFactory(organisation=village, name="赵未诺")

    page = client_for(org_dept).get(reverse("personal-list"), {"year": YEAR})
    assert [pc.content for pc in page.context["page"].object_list] == ["帮五保户修房"]
    assert page.context["overdue_count"] == (1 if timezone.localdate().year == YEAR else 0)
    assert "赵未诺" not in page.content.decode() and page.context["missing_count"] == 0
    their_dept = UserFactory(username="qj_dept", role="org_dept", organisation=other)
    page = client_for(their_dept).get(reverse("personal-list"), {"year": YEAR})
    assert [pc.content for pc in page.context["page"].object_list] == ["清理河道"]
    assert [m.name for m in page.context["missing"]] == ["赵未诺"]
