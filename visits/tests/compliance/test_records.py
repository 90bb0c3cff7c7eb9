"""Terms, talks, stays and reports through the pages a user gets: forms posted as a browser would,
refusals next to the field with nothing saved, and every URL scoped (out of scope → 404)."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.forms_utils import form_fields
from visits import uploads
from visits.compliance import services
from visits.models import FieldResearch, ResearchReport, Talk, Term

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Read when the test runs, not when the module is collected (a run may cross midnight)."""
    return timezone.localdate()


def post_form(client, url, changes, files=None):
    page = client.get(url)
    assert page.status_code == 200
    data = form_fields(page.content.decode())
    data.update(changes)
    if files:
        data.update(files)
    return client.post(url, data)


def errors_of(response) -> str:
    return response.content.decode()


# -- terms ---------------------------------------------------------------------------------------------


def test_clerk_enters_the_term_of_their_village(client_for, clerk_a, tree):
    client = client_for(clerk_a)
    response = post_form(
        client,
        reverse("term-create"),
        {
            "organisation": tree["village_a"].pk,
            "name": "第十一届",
            "elected_on": "2021-10-01",
            "ends_on": "2026-09-30",
        },
    )
    assert response.status_code == 302
    term = Term.objects.get()
    assert (term.organisation, term.elected_on, term.ends_on) == (
        tree["village_a"],
        datetime.date(2021, 10, 1),
        datetime.date(2026, 9, 30),
    )
    listing = client.get(reverse("term-list")).content.decode()
    assert "第十一届" in listing and "2026-09-30" in listing


def test_an_overlapping_term_is_refused_next_to_the_date(client_for, clerk_a, tree):
    services.term_save(
        user=clerk_a,
        term=None,
        organisation=tree["village_a"],
        name="第十一届",
        elected_on=datetime.date(2021, 10, 1),
        ends_on=datetime.date(2026, 9, 30),
    )
    response = post_form(
        client_for(clerk_a),
        reverse("term-create"),
        {
            "organisation": tree["village_a"].pk,
            "name": "第十二届",
            "elected_on": "2026-09-30",
            "ends_on": "2031-09-30",
        },
    )
    assert response.status_code == 200
    assert "时间重叠" in errors_of(response)
    assert Term.objects.count() == 1


def test_a_term_ending_before_it_starts_is_refused(client_for, clerk_a, tree):
    response = post_form(
        client_for(clerk_a),
        reverse("term-create"),
        {
            "organisation": tree["village_a"].pk,
            "name": "第十一届",
            "elected_on": "2021-10-01",
            "ends_on": "2021-10-01",
        },
    )
    assert response.status_code == 200
    assert services.TERM_ENDS_BEFORE in errors_of(response)
    assert not Term.objects.exists()


def test_a_term_for_another_village_is_refused(client_for, clerk_a, tree):
    response = post_form(
        client_for(clerk_a),
        reverse("term-create"),
        {
            "organisation": tree["village_b"].pk,
            "name": "第十一届",
            "elected_on": "2021-10-01",
            "ends_on": "2026-09-30",
        },
    )
    assert response.status_code == 200
    assert "不在您的管辖范围内" in errors_of(response)
    assert not Term.objects.exists()


def test_terms_are_scoped(client_for, clerk_a, clerk_b, tree):
    term = services.term_save(
        user=clerk_a,
        term=None,
        organisation=tree["village_a"],
        name="第十一届",
        elected_on=datetime.date(2021, 10, 1),
        ends_on=datetime.date(2026, 9, 30),
    )
    client = client_for(clerk_b)
    assert client.get(reverse("term-update", args=[term.pk])).status_code == 404
    assert "第十一届" not in client.get(reverse("term-list")).content.decode()


# -- talks ---------------------------------------------------------------------------------------------


def test_township_records_a_group_talk(client_for, township_secretary, township_leader):
    client = client_for(township_secretary)
    response = post_form(
        client,
        reverse("talk-create"),
        {
            "leader": township_leader.pk,
            "form": "group",
            "talked_on": today().isoformat(),
            "counterpart": "桂花村三组党员",
            "participants": "12",
            "summary": "听取对产业路的意见",
        },
    )
    assert response.status_code == 302
    talk = Talk.objects.get()
    assert (talk.leader, talk.form, talk.participants) == (township_leader, "group", 12)
    page = client.get(reverse("talk-detail", args=[talk.pk])).content.decode()
    assert "集体座谈" in page and "桂花村三组党员" in page


def test_a_group_talk_needs_its_count_and_a_future_talk_is_refused(
    client_for, township_secretary, township_leader
):
    response = post_form(
        client_for(township_secretary),
        reverse("talk-create"),
        {
            "leader": township_leader.pk,
            "form": "group",
            "participants": "",
            "talked_on": (today() + datetime.timedelta(days=1)).isoformat(),
            "counterpart": "三组党员",
            "summary": "座谈",
        },
    )
    assert response.status_code == 200
    html = errors_of(response)
    assert services.GROUP_NEEDS_COUNT in html and "日期不能晚于今天" in html
    assert not Talk.objects.exists()


def test_talks_are_scoped(client_for, township_secretary, other_secretary, township_leader, other_leader):
    talk = services.talk_save(
        user=township_secretary,
        talk=None,
        leader=township_leader,
        form="individual",
        talked_on=today(),
        counterpart="李秀英",
        summary="谈心",
    )
    client = client_for(other_secretary)
    assert client.get(reverse("talk-detail", args=[talk.pk])).status_code == 404
    assert client.get(reverse("talk-update", args=[talk.pk])).status_code == 404
    assert "李秀英" not in client.get(reverse("talk-list")).content.decode()
    response = post_form(
        client,
        reverse("talk-create"),
        {
            "leader": township_leader.pk,
            "form": "individual",
            "talked_on": today().isoformat(),
            "counterpart": "某人",
            "summary": "谈心",
        },
    )
    assert response.status_code == 200 and Talk.objects.count() == 1
    assert "不在您的管辖范围内" in errors_of(response)


# -- field research ------------------------------------------------------------------------------------


def test_a_stay_counts_both_its_first_and_last_day(client_for, township_secretary, township_leader, tree):
    year = today().year - 1
    response = post_form(
        client_for(township_secretary),
        reverse("research-create"),
        {
            "leader": township_leader.pk,
            "village": tree["village_a"].pk,
            "started_on": f"{year}-03-01",
            "ended_on": f"{year}-03-03",
            "topic": "柑橘产业调研",
        },
    )
    assert response.status_code == 302
    assert FieldResearch.objects.get().days == 3


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("-12-30", "+01-02", services.STAY_CROSSES_YEAR),
        ("-03-05", "-03-04", services.STAY_ENDS_BEFORE),
    ],
)
def test_bad_stays_are_refused(client_for, township_secretary, township_leader, tree, start, end, message):
    year = today().year - 2

    def day(spec):
        return f"{year + 1}-{spec[1:]}" if spec.startswith("+") else f"{year}-{spec[1:]}"

    response = post_form(
        client_for(township_secretary),
        reverse("research-create"),
        {
            "leader": township_leader.pk,
            "village": tree["village_a"].pk,
            "started_on": day(start),
            "ended_on": day(end),
            "topic": "调研",
        },
    )
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not FieldResearch.objects.exists()


def test_overlapping_stays_of_one_leader_are_refused(township_secretary, township_leader, tree):
    year = today().year - 1
    services.research_save(
        user=township_secretary,
        research=None,
        leader=township_leader,
        village=tree["village_a"],
        started_on=datetime.date(year, 3, 1),
        ended_on=datetime.date(year, 3, 10),
        topic="一",
    )
    with pytest.raises(Exception) as refused:
        services.research_save(
            user=township_secretary,
            research=None,
            leader=township_leader,
            village=tree["village_b"],
            started_on=datetime.date(year, 3, 10),
            ended_on=datetime.date(year, 3, 12),
            topic="二",
        )
    assert "重叠" in str(refused.value)
    assert FieldResearch.objects.count() == 1


def test_research_is_seen_from_the_village_and_the_leader_side_only(
    client_for, township_secretary, clerk_a, clerk_b, other_secretary, township_leader, tree
):
    stay = services.research_save(
        user=township_secretary,
        research=None,
        leader=township_leader,
        village=tree["village_a"],
        started_on=today() - datetime.timedelta(days=3),
        ended_on=today() - datetime.timedelta(days=1),
        topic="产业路",
    )
    assert client_for(clerk_a).get(reverse("research-detail", args=[stay.pk])).status_code == 200
    # The village sees the stay, but the leader's side changes it.
    assert client_for(clerk_a).get(reverse("research-update", args=[stay.pk])).status_code == 404
    for user in (clerk_b, other_secretary):
        client = client_for(user)
        assert client.get(reverse("research-detail", args=[stay.pk])).status_code == 404
        assert (
            "产业路"
            not in client.get(reverse("research-list") + f"?year={stay.started_on.year}").content.decode()
        )


def test_the_organisation_department_sees_every_stay_and_report_without_a_union(
    client_for, org_dept, township_secretary, township_leader, other_leader, district_leader, tree
):
    """The 组织部's subtree is the whole tree, so its list takes every stay as it is (no UNION of the two
    sides, which SQLite builds over the district's every stay): the stays of two townships and of a
    district leader in a village all show."""
    start = today() - datetime.timedelta(days=3)
    for leader, village, topic in (
        (township_leader, tree["village_a"], "界石产业路"),
        (other_leader, tree["community"], "南泉物业"),
        (district_leader, tree["village_b"], "石岗饮水"),
    ):
        services.research_save(
            user=org_dept,
            research=None,
            leader=leader,
            village=village,
            started_on=start,
            ended_on=start + datetime.timedelta(days=1),
            topic=topic,
        )
    upload(client_for(township_secretary), township_leader, "报告.pdf", pdf_bytes())
    client = client_for(org_dept)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("research-list") + f"?year={start.year}").content.decode()
    for topic in ("界石产业路", "南泉物业", "石岗饮水", "关于桂花村柑橘产业的调研报告"):
        assert topic in page
    research = [q["sql"] for q in queries.captured_queries if "visits_fieldresearch" in q["sql"]]
    assert research and not any("UNION" in sql for sql in research)


# -- reports -------------------------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    return b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def upload(client, leader, name: str, content: bytes):
    return post_form(
        client,
        reverse("report-create"),
        {
            "author": leader.pk,
            "year": str(today().year),
            "title": "关于桂花村柑橘产业的调研报告",
            "submitted_on": today().isoformat(),
        },
        files={"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("报告.pdf", pdf_bytes(), "pdf"),
        ("报告.docx", docx_bytes(), "docx"),
        ("无扩展名", docx_bytes(), "docx"),
    ],
)
def test_a_pdf_or_docx_is_accepted_by_content(
    client_for, township_secretary, township_leader, name, content, kind
):
    response = upload(client_for(township_secretary), township_leader, name, content)
    assert response.status_code == 302
    report = ResearchReport.objects.get()
    assert (report.file_kind, report.file_name, report.file_size) == (kind, name, len(content))
    assert not report.file.name.endswith(name)  # stored under a name of our own


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.pdf", b"MZ\x90\x00 this is a program renamed to .pdf"),
        ("报告.pdf", b"%PDF-1.7\n but cut off before its end"),
        ("报告.docx", xlsx_bytes()),
        ("报告.docx", b"PK\x03\x04 not really a zip"),
        ("报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 legacy word"),
    ],
)
def test_an_upload_that_is_not_pdf_or_docx_by_content_is_refused(
    client_for, township_secretary, township_leader, name, content
):
    response = upload(client_for(township_secretary), township_leader, name, content)
    assert response.status_code == 200
    assert uploads.NOT_PDF_OR_DOCX in errors_of(response)
    assert not ResearchReport.objects.exists()


def test_an_upload_over_20_mb_is_refused_and_20_mb_exactly_is_not(
    client_for, township_secretary, township_leader, monkeypatch
):
    client = client_for(township_secretary)
    body = pdf_bytes()
    padding = uploads.MAX_REPORT_BYTES - len(body)
    exactly = body[:-6] + b" " * padding + body[-6:]
    assert len(exactly) == uploads.MAX_REPORT_BYTES
    assert upload(client, township_leader, "大.pdf", exactly).status_code == 302
    response = upload(client, township_leader, "更大.pdf", exactly + b"\n")
    assert response.status_code == 200
    assert uploads.TOO_LARGE in errors_of(response)
    assert ResearchReport.objects.count() == 1


def test_a_report_is_served_only_within_scope(
    client_for, township_secretary, other_secretary, clerk_a, township_leader
):
    upload(client_for(township_secretary), township_leader, "报告.pdf", pdf_bytes())
    report = ResearchReport.objects.get()
    response = client_for(township_secretary).get(reverse("report-file", args=[report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    for user in (other_secretary, clerk_a):
        assert client_for(user).get(reverse("report-file", args=[report.pk])).status_code == 404
