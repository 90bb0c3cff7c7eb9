"""Reception and session pages as their users get them: forms posted from the HTML, scoping of every
URL, the one-time token, the stale save, the visitor lookup's masking, the printed 附件1."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Handling, Opinion, Reception, ReceptionSession, SessionStatus
from feedback.tests.reception_factories import committee, published, reception
from liaison.models import AccessLog
from tests.forms_utils import form_fields
from tests.pdf_utils import pdf_pages, pdf_text, response_bytes

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Read per test, never at import: a run may cross midnight in Shanghai."""
    return timezone.localdate()


def yesterday() -> datetime.date:
    return today() - datetime.timedelta(days=1)


@pytest.fixture
def people(tree):
    return committee(tree["village_a"], ["李书记", "王副书记", "赵委员"])


@pytest.fixture
def session_a(clerk_a, people):
    return published(clerk_a, people[0], day=today() + datetime.timedelta(days=3))


@pytest.fixture
def reception_a(clerk_a, people):
    return reception(
        clerk_a, people[0], day=yesterday(), handling=Handling.DEADLINE, category=1, responsible=clerk_a
    )


def create_page(client, **query):
    url = reverse("reception-create")
    response = client.get(url, query)
    assert response.status_code == 200
    return form_fields(response.content.decode())


def fill(fields: dict, receiver, **values) -> dict:
    fields.update(
        {
            "received_on": yesterday().isoformat(),
            "receiver": str(receiver.pk),
            "receiver_title": "村党组织书记",
            "visitor_name": "张喆",
            "visitor_gender": "F",
            "visitor_age": "58",
            "visitor_address": "桂花村二组5号",
            "visitor_phone": "13987654321",
            "account": "反映二组饮水管破裂。",
            "matter": "二组饮水管破裂",
            "cause": "冬季低温，管道冻裂。",
            "request": "请求尽快更换管道。",
            "handling": Handling.ON_SITE,
            "handling_note": "当场联系水管员维修。",
            "visitor_opinion": "满意",
            "signed_on": yesterday().isoformat(),
        }
    )
    fields.update(values)
    return fields


class TestEntry:
    def test_a_clerk_enters_a_reception_through_the_form(self, client_for, clerk_a, people):
        client = client_for(clerk_a)
        fields = fill(create_page(client), people[0])
        response = client.post(reverse("reception-create"), fields)
        made = Reception.objects.get()
        assert response.status_code == 302 and response.url == reverse("reception-detail", args=[made.pk])
        assert (made.matter, made.cause, made.request) == (
            "二组饮水管破裂",
            "冬季低温，管道冻裂。",
            "请求尽快更换管道。",
        )
        assert made.opinion is None

    def test_an_unsettled_reception_becomes_an_opinion_in_the_same_save(self, client_for, clerk_a, people):
        client = client_for(clerk_a)
        fields = fill(create_page(client), people[0], handling=Handling.REFER, category="2")
        response = client.post(reverse("reception-create"), fields, follow=True)
        made = Reception.objects.get()
        opinion = Opinion.objects.get()
        assert made.opinion == opinion and opinion.channel == "reception" and opinion.category == 2
        assert "已转为群众意见" in response.content.decode()

    def test_unsettled_without_category_shows_the_message_and_saves_nothing(
        self, client_for, clerk_a, people
    ):
        client = client_for(clerk_a)
        fields = fill(create_page(client), people[0], handling=Handling.DEADLINE)
        response = client.post(reverse("reception-create"), fields)
        assert response.status_code == 200
        assert "请选择“1234”类别" in response.content.decode()
        assert not Reception.objects.exists() and not Opinion.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("visitor_age", "121", "120"),
            ("visitor_age", "-1", "0"),
            ("visitor_phone", "1398765", "联系电话"),
            ("received_on", "9999-12-31", "日期"),
        ],
    )
    def test_bad_input_is_refused_next_to_the_field(self, client_for, clerk_a, people, field, value, message):
        client = client_for(clerk_a)
        fields = fill(create_page(client), people[0], **{field: value})
        response = client.post(reverse("reception-create"), fields)
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html and "is-invalid" in html
        assert not Reception.objects.exists()

    def test_a_double_submit_makes_one_reception(self, client_for, clerk_a, people):
        client = client_for(clerk_a)
        fields = fill(create_page(client), people[0], handling=Handling.DEADLINE, category="1")
        first = client.post(reverse("reception-create"), fields)
        second = client.post(reverse("reception-create"), fields)
        assert Reception.objects.count() == 1 and Opinion.objects.count() == 1
        assert second.status_code == 302 and second.url == first.url

    def test_save_and_next_keeps_the_session(self, client_for, clerk_a, people, session_a):
        ReceptionSession.objects.filter(pk=session_a.pk).update(date=yesterday())
        client = client_for(clerk_a)
        fields = create_page(client, session=session_a.pk)
        assert fields["session"] == str(session_a.pk) and fields["receiver"] == str(people[0].pk)
        fill(fields, people[0])
        fields["next"] = "1"
        response = client.post(reverse("reception-create"), fields)
        assert response.url == f"{reverse('reception-create')}?session={session_a.pk}"

    def test_a_stale_edit_is_refused(self, client_for, clerk_a, reception_a):
        client = client_for(clerk_a)
        url = reverse("reception-update", args=[reception_a.pk])
        fields = form_fields(client.get(url).content.decode())
        Reception.objects.filter(pk=reception_a.pk).update(account="别人刚改过")
        fields["account"] = "我的修改"
        response = client.post(url, fields)
        assert response.status_code == 200
        reception_a.refresh_from_db()
        assert reception_a.account == "别人刚改过"
        assert "来访情况" in response.content.decode()


class TestVisitorLookup:
    def test_a_returning_visitor_by_name_with_receptions_and_opinions(self, client_for, clerk_a, reception_a):
        data = client_for(clerk_a).get(reverse("reception-visitor-lookup"), {"q": "王喆"}).json()
        assert [r["title"] for r in data["receptions"]] == ["三组机耕道垮塌"]
        assert [o["title"] for o in data["opinions"]] == ["三组机耕道垮塌"]
        assert data["receptions"][0]["phone"] == "13812345678"

    def test_masked_roles_see_the_mask_and_fragments_find_nothing(
        self, client_for, township_admin, reception_a
    ):
        client = client_for(township_admin)
        data = client.get(reverse("reception-visitor-lookup"), {"q": "王喆"}).json()
        assert data["receptions"][0]["phone"] == "138****5678"
        assert "13812345678" not in json.dumps(data)
        assert client.get(reverse("reception-visitor-lookup"), {"q": "1381234"}).json()["receptions"] == []

    def test_out_of_scope_visitors_are_not_found(self, client_for, clerk_b, reception_a):
        data = client_for(clerk_b).get(reverse("reception-visitor-lookup"), {"q": "王喆"}).json()
        assert data == {"receptions": [], "opinions": []}


class TestScoping:
    def urls(self, reception_a, session_a):
        return [
            reverse("reception-detail", args=[reception_a.pk]),
            reverse("reception-update", args=[reception_a.pk]),
            reverse("reception-pdf", args=[reception_a.pk]),
            reverse("session-detail", args=[session_a.pk]),
            reverse("session-update", args=[session_a.pk]),
        ]

    def test_another_village_gets_404_for_every_record_url(self, client_for, clerk_b, reception_a, session_a):
        client = client_for(clerk_b)
        for url in self.urls(reception_a, session_a):
            assert client.get(url).status_code == 404, url
        for name in ("session-outcome", "session-delete"):
            assert client.post(reverse(name, args=[session_a.pk])).status_code == 404, name

    def test_the_township_sees_its_villages(self, client_for, township_secretary, reception_a, session_a):
        client = client_for(township_secretary)
        for url in self.urls(reception_a, session_a):
            assert client.get(url).status_code == 200, url

    def test_lists_and_registers_hold_only_the_subtree(
        self, client_for, clerk_b, reception_a, session_a, tree
    ):
        client = client_for(clerk_b)
        assert "三组机耕道垮塌" not in client.get(reverse("reception-list")).content.decode()
        assert "李书记" not in client.get(reverse("session-list")).content.decode()
        response = client.get(
            reverse("reception-register-pdf"),
            {"organisation": tree["village_a"].pk, "year": yesterday().year},
        )
        assert response.status_code == 400
        assert "不在您的管辖范围" in response.content.decode()
        assert client.get(reverse("reception-receiver-lookup"), {"q": "李"}).json() == {"results": []}

    def test_anonymous_users_are_sent_to_log_in(self, client, reception_a):
        for name in (
            "reception-list",
            "reception-create",
            "session-list",
            "session-generate",
            "session-compliance",
            "reception-register",
            "reception-blank-pdf",
            "reception-visitor-lookup",
        ):
            response = client.get(reverse(name))
            assert response.status_code == 302 and "/accounts/login/" in response.url, name


class TestSessionPages:
    def test_generate_a_month_then_publish_it(self, client_for, township_admin, tree):
        committee(tree["township"], ["周书记", "吴副书记", "郑委员"])
        client = client_for(township_admin)
        month = today().replace(day=1) + datetime.timedelta(days=32)
        page = client.get(reverse("session-generate"))
        fields = form_fields(page.content.decode())
        fields.update(
            organisation=str(tree["township"].pk),
            year=str(month.year),
            month=str(month.month),
            phone="023-66230000",
        )
        response = client.post(reverse("session-generate"), fields)
        assert response.status_code == 302
        listing = client.get(response.url)
        html = listing.content.decode()
        assert "公布这些接待日" in html
        drafts = ReceptionSession.objects.filter(status=SessionStatus.DRAFT)
        assert drafts.filter(kind="secretary").count() == 1 and drafts.count() == 3
        publish = form_fields(
            html.split('action="/receptions/sessions/publish/"', 1)[1].split("</form>", 1)[0]
        )
        client.post(reverse("session-publish"), publish)
        assert set(ReceptionSession.objects.values_list("status", flat=True)) == {SessionStatus.PUBLISHED}

    def test_held_or_missed_from_the_session_page(self, client_for, clerk_a, people):
        made = published(clerk_a, people[0], day=today())
        client = client_for(clerk_a)
        html = client.get(reverse("session-detail", args=[made.pk])).content.decode()
        assert "登记接待情况" in html
        client.post(reverse("session-outcome", args=[made.pk]), {"held": "0", "note": ""})
        made.refresh_from_db()
        assert made.status == SessionStatus.PUBLISHED
        client.post(reverse("session-outcome", args=[made.pk]), {"held": "0", "note": "防汛值班"})
        made.refresh_from_db()
        assert made.status == SessionStatus.MISSED

    def test_compliance_counts(self, client_for, clerk_a, people, tree):
        made = published(clerk_a, people[0], day=today())
        from feedback import services

        services.session_record_outcome(user=clerk_a, session=made, held=True)
        html = client_for(clerk_a).get(reverse("session-compliance")).content.decode()
        assert "桂花村" in html and "每周不少于1次" in html


class TestPrints:
    def test_one_reception_reads_back_in_the_forms_order(self, client_for, clerk_a, people):
        long_account = ("群众反映三组机耕道因连日降雨垮塌约十米，农机无法下田。" * 120)[:3000]
        made = reception(clerk_a, people[0], day=yesterday(), account=long_account)
        response = client_for(clerk_a).get(reverse("reception-pdf", args=[made.pk]))
        pdf = response_bytes(response)
        assert pdf_pages(pdf) >= 2  # 3,000 characters flow onto a 续页
        # read as laid out (row by row); the boxes' labels are centred beside their text
        text = pdf_text(pdf, layout=True).replace(" ", "")
        order = [
            "党组织书记接待群众登记表",
            "时间：",
            "接待人",
            "李书记",
            "职务",
            "村党组织书记",
            "姓名",
            "王喆",
            "性别",
            "男",
            "年龄",
            "63",
            "家庭住址",
            "桂花村三组12号",
            "联系电话",
            "13812345678",
            "群众反映三组",
            "（续页）",
            "事由：三组机耕道垮塌",
            "原因：连日降雨",
            "请求：请求尽快修复",
            "现场办理",
            "当场联系施工队",
            "限期办理",
            "解释说明",
            "转有关部门办理",
            "满意",
            "签字：",
        ]
        position = 0
        for word in order:
            found = text.find(word, position)
            assert found >= 0, (
                f"{word!r} not after position {position}: {text[max(position - 80, 0) : position]!r}"
            )
            position = found + len(word)
        assert (
            "要求解决" in text
            and "来访群" in text
            and "众意见" in text
            and text.count(long_account[:20]) >= 1
        )
        assert "".join(text.split()).count("农机无法下田") == long_account.count("农机无法下田")
        assert AccessLog.objects.filter(kind="print").exists()

    def test_a_villages_year_is_one_click_with_a_cover(self, client_for, clerk_a, people, tree):
        for offset in range(3):
            reception(
                clerk_a,
                people[offset],
                day=yesterday() - datetime.timedelta(days=offset),
                matter=f"事由{offset}",
            )
        client = client_for(clerk_a)
        page = client.get(
            reverse("reception-register"), {"organisation": tree["village_a"].pk, "year": yesterday().year}
        )
        assert "共 <strong>3</strong> 条" in page.content.decode()
        pdf = response_bytes(
            client.get(
                reverse("reception-register-pdf"),
                {"organisation": tree["village_a"].pk, "year": yesterday().year},
            )
        )
        text = pdf_text(pdf).replace(" ", "")
        assert pdf_pages(pdf) == 4  # the cover and one 登记表 each
        assert "记录本" in text and "中共重庆市巴南区委组织部" in text and "单位桂花村" in text
        assert [text.count(f"事由：事由{n}") for n in range(3)] == [1, 1, 1]

    def test_a_long_register_is_a_background_job(
        self, client_for, clerk_a, clerk_b, people, tree, monkeypatch
    ):
        """More than about 20 pages (RECEPTIONS_IN_REQUEST receptions): a job, for the starter's scope
        only, whose file is the same register; up to the limit it still prints at once."""
        from urllib.parse import unquote

        from liaison.models import Job

        for offset in range(3):
            reception(
                clerk_a,
                people[offset],
                day=yesterday() - datetime.timedelta(days=offset),
                matter=f"事由{offset}",
            )
        monkeypatch.setattr("feedback.views.reception_prints.RECEPTIONS_IN_REQUEST", 2)
        client = client_for(clerk_a)
        query = {"organisation": tree["village_a"].pk, "year": yesterday().year}
        page = client.get(reverse("reception-register"), query).content.decode()
        assert "后台" in page
        response = client.get(reverse("reception-register-pdf"), query)
        job = Job.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[job.token])
        assert job.kind == "feedback.reception_register_pdf"
        assert job.status == Job.Status.DONE and job.progress == 100
        assert job.title == f"接待群众记录本-桂花村-{yesterday().year}0101-{yesterday().year}1231"
        download = client.get(reverse("job-download", args=[job.token]))
        pdf = response_bytes(download)
        text = pdf_text(pdf).replace(" ", "")
        assert pdf_pages(pdf) == 4 and [text.count(f"事由：事由{n}") for n in range(3)] == [1, 1, 1]
        assert unquote(download["Content-Disposition"]).endswith(f"{job.title}.pdf")
        assert client_for(clerk_b).get(reverse("job-download", args=[job.token])).status_code == 404
        monkeypatch.setattr("feedback.views.reception_prints.RECEPTIONS_IN_REQUEST", 3)
        again = client_for(clerk_a).get(reverse("reception-register-pdf"), query)
        assert again["Content-Type"] == "application/pdf", (again.status_code, again.context["form"].errors)

    def test_a_register_job_out_of_scope_fails_in_chinese(self, clerk_b, tree):
        from liaison.jobs.services import job_start

        job = job_start(
            user=clerk_b,
            kind="feedback.reception_register_pdf",
            title="接待群众记录本",
            params={"organisation": str(tree["village_a"].pk), "year": str(yesterday().year)},
        )
        assert job.status == "failed" and job.error.startswith("打印条件已不再有效")

    def test_blank_form_prints_with_every_box(self, client_for, clerk_a):
        response = client_for(clerk_a).get(reverse("reception-blank-pdf"))
        text = pdf_text(response_bytes(response)).replace(" ", "")
        for label in (
            "党组织书记接待群众登记表",
            "接待人",
            "职务",
            "来访",
            "要求解决",
            "现场办理",
            "限期办理",
            "解释说明",
            "转有关部门办理",
            "签字：",
        ):
            assert label in text
        assert not AccessLog.objects.exists()
