"""The printed forms read back: 交办单 (附件2), 反馈单 (附件5), 登记簿 (附件4) and its workbook."""

from __future__ import annotations

import datetime
import re
import subprocess
from urllib.parse import unquote

import pytest
from django.urls import reverse

from feedback import services
from feedback.exports import REGISTER_HEADERS
from feedback.tests.factories import answer, feed_back, register
from tests.pdf_layout import assert_prints_cleanly, first, pages
from tests.pdf_utils import pdf_fonts, pdf_pages, pdf_text, response_bytes
from tests.xlsx_utils import read_sheet, workbook_from

D = datetime.date
pytestmark = pytest.mark.django_db
A4_PORTRAIT = (595, 842)
A4_LANDSCAPE = (842, 595)

# 附件4《群众意见办理情况登记表》, left to right, as the form prints them.
FORM_COLUMNS = [
    "序号",
    "反映人姓名",
    "家庭住址",
    "反映时间",
    "反映问题的主要内容",
    "处理意见",
    "经办人",
    "办理结果",
    "反馈本人时间",
    "《反馈单》签收人",
    "是否销号",
    "备注",
]


def flat(pdf: bytes) -> str:
    return "".join(pdf_text(pdf).split())


def size(page) -> tuple[int, int]:
    return round(page.width), round(page.height)


def issue(clerk, opinion, unit, **overrides):
    data = {
        "due_date": D(2026, 3, 12),
        "contact_name": "刘晓燕",
        "contact_phone": "13983621457",
        "issued_on": D(2026, 3, 4),
    }
    data.update(overrides)
    return services.assignment_issue(user=clerk, opinion=opinion, unit=unit, **data)


class TestAssignmentSlip:
    def test_stub_and_handed_over_part_on_one_a4_page(self, client_for, clerk_a, branch_a, opinion_a):
        assignment = issue(clerk_a, opinion_a, branch_a)
        pdf = response_bytes(client_for(clerk_a).get(reverse("assignment-pdf", args=[assignment.pk])))
        assert pdf_pages(pdf) == 1
        text = flat(pdf)
        for expected in (
            "（存根联）",
            "（2026）年第1号",
            "桂花村第一党支部（单位）：",
            "居住在桂花村三组12号的群众王喆反映的三组机耕道垮塌一事，需由你单位办理（协助），望在2026年3月12日前办理完毕，并回复。",
            "联系人：刘晓燕，联系电话：13983621457。",
            "收件人签字：",
            "签收时间：",
            "2026年3月4日",
        ):
            assert expected in text
        assert text.count("群众意见交办单") == 2 and text.count("居住在桂花村三组12号") == 2
        [page] = pages(pdf)
        assert size(page) == A4_PORTRAIT
        titles = sorted((w for w in page.words if w.text == "群众意见交办单"), key=lambda w: w.y)
        stub, receipt = first(page, "（存根联）"), first(page, "收件人签字")
        # 附件2: the stub (with the receipt line) on top, the part handed over below the cut.
        assert titles[0].y < stub.y < receipt.y < page.height / 2 < titles[1].y
        assert all(font["emb"] and font["sub"] for font in pdf_fonts(pdf))

    def test_longest_fields_still_fit_one_page(self, client_for, clerk_a, tree):
        from tests.factories import OrganisationFactory

        unit = OrganisationFactory(
            name="重庆市巴南区界石镇桂花村第一党支部暨村民委员会便民服务中心联合工作组",
            code="long-unit",
            level="branch",
            parent=tree["village_a"],
        )
        opinion = register(
            clerk_a,
            received_on=D(2026, 3, 3),
            subject="事" * 60,
            reporter_address="重庆市巴南区界石镇桂花村三组" + "十" * 66,
            reporter_name="欧阳喆堃燊",
        )
        assignment = issue(clerk_a, opinion, unit, role="assist")
        pdf = response_bytes(client_for(clerk_a).get(reverse("assignment-pdf", args=[assignment.pk])))
        assert pdf_pages(pdf) == 1
        assert "需由你单位办理（协助）" in flat(pdf) and "欧阳喆堃燊" in flat(pdf)

    def test_receipt_printed_once_recorded(self, client_for, clerk_a, branch_a, opinion_a):
        assignment = issue(clerk_a, opinion_a, branch_a)
        services.assignment_receive(
            user=clerk_a, assignment=assignment, received_by="张经办", received_on=D(2026, 3, 5)
        )
        text = flat(response_bytes(client_for(clerk_a).get(reverse("assignment-pdf", args=[assignment.pk]))))
        assert "收件人签字：张经办" in text and "签收时间：2026年3月5日" in text


class TestFeedbackSlip:
    def test_stub_and_slip_for_the_reporter(self, client_for, clerk_a, opinion_a):
        opinion = feed_back(clerk_a, answer(clerk_a, opinion_a, on=D(2026, 3, 9)), on=D(2026, 3, 10))
        pdf = response_bytes(client_for(clerk_a).get(reverse("opinion-feedback-slip-pdf", args=[opinion.pk])))
        assert pdf_pages(pdf) == 1
        text = flat(pdf)
        for expected in (
            "群众意见办理情况反馈单（存根联）",
            "王喆同志于2026年3月3日反映的三组机耕道垮塌一事，我支部（总支、党委）经过处理（协调），已于2026年3月9日办结。办理情况如下：",
            "是否满意：满意",
            "反映人签字：",
            "王喆同志：您于2026年3月3日反映的三组机耕道垮塌一事，我支部（总支、党委）已于2026年3月9日办理结束。",
            "对以上办理情况有何意见和建议，请及时向我们反映。联系人：刘晓燕，联系电话：023-66231234。",
        ):
            assert expected in text
        assert text.count("已修复，可正常通行。") == 2
        [page] = pages(pdf)
        assert size(page) == A4_PORTRAIT
        stub, signature, slip = first(page, "（存根联）"), first(page, "反映人签字"), first(page, "您于")
        assert stub.y < signature.y < page.height / 2 < slip.y

    def test_blank_where_nothing_is_recorded_yet(self, client_for, clerk_a, opinion_a):
        pdf = response_bytes(
            client_for(clerk_a).get(reverse("opinion-feedback-slip-pdf", args=[opinion_a.pk]))
        )
        text = flat(pdf)
        assert pdf_pages(pdf) == 1
        assert "已于年月日办结" in text and "是否满意：反映人签字" in text
        # Room to write 办理情况 by hand in both parts: ruled lines between the text and what follows.
        [page] = pages(pdf)
        middle = page.height / 2
        for top, after in ((True, "（单位盖章）"), (False, "对以上办理情况")):
            half = [w for w in page.words if (w.y1 < middle) == top]
            start = next(w for w in half if "办理情况如下" in w.text)
            end = min((w for w in half if w.text.startswith(after) and w.y > start.y), key=lambda w: w.y)
            assert end.y - start.y1 > 70  # points: four 7.5 mm lines, about 85 pt


class TestRegister:
    @pytest.fixture
    def three(self, clerk_a, opinion_a):
        closed = feed_back(clerk_a, answer(clerk_a, opinion_a, on=D(2026, 3, 9)), on=D(2026, 3, 10))
        second = register(
            clerk_a,
            received_on=D(2026, 4, 1),
            reporter_name="李堃",
            subject="院坝路灯不亮",
            content="五组院坝三盏路灯坏了。",
            remarks="已电话回访",
        )
        third = register(clerk_a, received_on=D(2026, 5, 6), reporter_name="赵昇", category=4)
        return closed, second, third

    def test_a_long_register_is_a_background_job(
        self, client_for, clerk_a, clerk_b, tree, three, monkeypatch
    ):
        """More than about 20 pages (REGISTER_ROWS_IN_REQUEST entries): the print runs as a job, the page
        goes to the job, and the job's file is the same register, for the starter's scope only."""
        from liaison.models import Job

        monkeypatch.setattr("feedback.views.prints.REGISTER_ROWS_IN_REQUEST", 2)
        client = client_for(clerk_a)
        query = {"organisation": tree["village_a"].pk, "year": 2026}
        response = client.get(reverse("opinion-register-pdf"), query)
        job = Job.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[job.token])
        assert job.kind == "feedback.register_pdf" and job.status == Job.Status.DONE and job.progress == 100
        assert job.title == "群众意见办理情况登记簿-桂花村-20260101-20261231"
        download = client.get(reverse("job-download", args=[job.token]))
        text = flat(response_bytes(download))
        assert "李堃" in text and "赵昇" in text and "王喆" in text
        assert unquote(download["Content-Disposition"]).endswith(f"{job.title}.pdf")
        assert client_for(clerk_b).get(reverse("job-download", args=[job.token])).status_code == 404
        # Up to the limit it still prints at once.
        monkeypatch.setattr("feedback.views.prints.REGISTER_ROWS_IN_REQUEST", 3)
        again = client_for(clerk_a).get(reverse("opinion-register-pdf"), query)
        assert again["Content-Type"] == "application/pdf", again.context["form"].errors

    def test_a_register_job_whose_organisation_left_the_scope_fails_in_chinese(self, clerk_a, clerk_b, tree):
        from liaison.jobs.services import job_start

        job = job_start(
            user=clerk_b,
            kind="feedback.register_pdf",
            title="登记簿",
            params={"organisation": str(tree["village_a"].pk), "year": "2026"},
        )
        assert job.status == "failed" and job.error.startswith("打印条件已不再有效")

    def test_landscape_columns_in_the_forms_order(self, client_for, clerk_a, tree, three):
        response = client_for(clerk_a).get(
            reverse("opinion-register-pdf"), {"organisation": tree["village_a"].pk, "year": 2026}
        )
        assert response["Content-Type"] == "application/pdf"
        pdf = response_bytes(response)
        assert pdf_pages(pdf) == 2  # the cover, then the table
        cover, table = pages(pdf)
        assert size(cover) == size(table) == A4_LANDSCAPE
        cover_text = " ".join(w.text for w in cover.words)
        assert "登" in cover_text and "桂花村" in cover_text and "中共重庆市巴南区委组织部" in cover_text
        # Each header's left edge, left to right, in 附件4's order (a header may wrap: match its start).
        starts = [
            "序号",
            "反映人",
            "家庭",
            "反映",
            "反映问",
            "处理",
            "经办",
            "办理",
            "反馈本",
            "《反",
            "是否",
            "备注",
        ]
        top = first(table, "群众意见办理情况登记表").y + 5
        bottom = min(w.y for w in table.words if w.text == "王喆") - 5
        xs = []
        for prefix in starts:
            candidates = [w for w in table.words if w.text.startswith(prefix) and top < w.y < bottom]
            if prefix == "反映":  # 反映时间 wraps as "反映" / "时间"; not 反映人 or 反映问
                candidates = [w for w in candidates if w.text in ("反映", "反映时", "反映时间")]
            xs.append(min(w.x for w in candidates))
        assert xs == sorted(xs)
        # The rows: in number order, each value under its header.
        names = sorted(
            (w for w in table.words if w.text in ("王喆", "李堃", "赵昇") and w.x < xs[2]), key=lambda w: w.y
        )
        assert [w.text for w in names] == ["王喆", "李堃", "赵昇"]
        signer = next(w for w in table.words if w.text == "王喆" and w.x > xs[2])
        assert xs[9] - 5 < signer.x < xs[10]  # the signer under 《反馈单》签收人
        closed_mark = next(w for w in table.words if w.text == "是" and abs(w.y - names[0].y) < 3)
        assert xs[10] - 5 < closed_mark.x < xs[11]
        text = flat(pdf)
        assert "2026.03.03" in text and "已修复，可正常通行。" in text and "已电话回访" in text
        assert "群众意见办理情况登记表" in text

    def test_header_repeats_on_every_page(self, client_for, clerk_a, tree):
        for n in range(45):
            register(
                clerk_a, received_on=D(2026, 3, 3), reporter_name=f"反映人{n}", content="情况说明。" * 12
            )
        pdf = response_bytes(
            client_for(clerk_a).get(
                reverse("opinion-register-pdf"), {"organisation": tree["village_a"].pk, "year": 2026}
            )
        )
        table_pages = pages(pdf)[1:]
        assert len(table_pages) >= 3
        for page in table_pages:
            assert any(w.text.startswith("群众意见办理情况登记表") for w in page.words)
            assert any(w.text == "序号" for w in page.words)

    def test_a_row_taller_than_a_page_splits_under_the_header(self, client_for, clerk_a, tree):
        content = "".join(f"第{n}句：三组机耕道雨天泥泞，村民出行困难，要求硬化。" for n in range(1, 80))[
            :2000
        ]
        register(clerk_a, received_on=D(2026, 3, 3), reporter_name="李堃", content=content)
        pdf = response_bytes(
            client_for(clerk_a).get(
                reverse("opinion-register-pdf"), {"organisation": tree["village_a"].pk, "year": 2026}
            )
        )
        cover, *table_pages = pages(pdf)
        assert len(table_pages) >= 2
        # The row starts on the first table page (no page left blank but for the 单位 line) …
        assert "李堃" in table_pages[0].text and "第1句" in table_pages[0].text
        # … and every page it runs over has the form's header above it.
        for page in table_pages:
            assert "群众意见办理情况登记表" in page.text and "序号" in page.text
            assert "反映问题的" in page.text and "主要内容" in page.text
        assert "第79句" in "".join(page.text for page in table_pages) or content[-20:] in "".join(
            page.text for page in table_pages
        )

    def test_one_record_is_the_table_in_title_and_filename(self, client_for, clerk_a, opinion_a):
        response = client_for(clerk_a).get(reverse("opinion-pdf", args=[opinion_a.pk]))
        stem = "群众意见办理情况登记表-桂花村-2026-1"
        assert f"{stem}.pdf" in unquote(response["Content-Disposition"])
        info = subprocess.run(
            ["pdfinfo", "-"], input=response_bytes(response), capture_output=True, check=True
        ).stdout.decode()
        assert re.search(rf"^Title:\s+{stem}$", info, re.M)

    def test_one_record_without_cover(self, client_for, clerk_a, opinion_a):
        pdf = response_bytes(client_for(clerk_a).get(reverse("opinion-pdf", args=[opinion_a.pk])))
        assert pdf_pages(pdf) == 1
        [page] = pages(pdf)
        assert size(page) == A4_LANDSCAPE and "王喆" in flat(pdf) and "登　记　簿" not in pdf_text(pdf)

    def test_date_range(self, client_for, clerk_a, tree, three):
        client = client_for(clerk_a)
        query = {"organisation": tree["village_a"].pk, "start": "2026-03-15", "end": "2026-04-30"}
        text = flat(response_bytes(client.get(reverse("opinion-register-pdf"), query)))
        assert "李堃" in text and "王喆" not in text and "赵昇" not in text

    def test_a_register_of_any_length_prints_in_parts_as_one(
        self, client_for, clerk_a, clerk_b, tree, monkeypatch
    ):
        """A district's year is thousands of pages, more than one WeasyPrint document holds: the job
        prints it in parts (here at most 7 entries, two pages, each) and joins them, and the file reads
        as one register."""
        from liaison.jobs.progress import Progress
        from liaison.models import Job

        count = 20
        for n in range(1, count + 1):
            register(
                clerk_a,
                received_on=D(2026, 3, 1) + datetime.timedelta(days=n),
                reporter_name=f"甲{n}",
                # The last entry with a character in no print font (CJK Ext. H): the note says so.
                content="三组机耕道雨天泥泞，村民出行困难。" * 6 + ("\U00031350" if n == count else ""),
            )
        monkeypatch.setattr("feedback.views.prints.REGISTER_ROWS_IN_REQUEST", 2)
        monkeypatch.setattr("feedback.views.prints.REGISTER_ROWS_PER_PART", 7)
        monkeypatch.setattr("feedback.jobs.REGISTER_ROWS_PER_PART", 7)
        stages = []
        call = Progress.__call__

        def record(self, percent, stage=None):
            stages.append(stage)
            call(self, percent, stage)

        monkeypatch.setattr(Progress, "__call__", record)
        client = client_for(clerk_a)
        query = {"organisation": tree["village_a"].pk, "year": 2026}
        client.get(reverse("opinion-register-pdf"), query)
        job = Job.objects.get()
        assert job.status == Job.Status.DONE, job.error
        printing = [stage for stage in stages if stage and stage.startswith("正在排版")]
        parts = len(printing)
        assert parts >= 3 and printing == [f"正在排版 第 {k}/{parts} 部分" for k in range(1, parts + 1)]
        download = client.get(reverse("job-download", args=[job.token]))
        pdf = response_bytes(download)
        assert unquote(download["Content-Disposition"]).endswith(f"{job.title}.pdf")
        assert client_for(clerk_b).get(reverse("job-download", args=[job.token])).status_code == 404

        document = assert_prints_cleanly(pdf, FORM_COLUMNS[:1])  # nothing over anything, no blank page
        # The cover, the 单位 line and the 印制 line once; the whole register's count.
        assert flat(pdf).count("登记簿") == 1 and "登记簿" in document[0].text
        assert flat(pdf).count(f"共{count}条") == 1 and flat(pdf).count("打印：") == 1
        assert "打印：" in document[-1].text
        # Every entry once, in order: its 序号 (the first column) and its reporter.
        numbers, names = [], []
        for page in document[1:]:
            below = first(page, "序号").y1 + 2
            left = first(page, "反映人").x - 2
            rows = sorted((w for w in page.words if w.y > below and w.x < left), key=lambda w: w.y)
            numbers += [int(w.text) for w in rows if w.text.isdigit()]
            names += sorted((w for w in page.words if w.text.startswith("甲")), key=lambda w: w.y)
        assert numbers == list(range(1, count + 1))
        assert [w.text for w in names] == [f"甲{n}" for n in range(1, count + 1)]
        # The pages numbered on through the parts, against the true total.
        total = pdf_pages(pdf)
        assert total >= 4  # the cover and at least one page for each of the three parts
        footers = [re.findall(r"第(\d+)页/共(\d+)页", page.text) for page in document]
        assert footers == [[(str(n), str(total))] for n in range(1, total + 1)]
        # The note of the character no font has, on every page as in one printing (not only the last part's).
        assert all("注意：本件含有字库无法打印的字（U+31350）" in page.text for page in document)
        # Each part ends on a full page: no page but the last leaves room for another entry.
        for page in document[1:-1]:
            tops = sorted(w.y for w in page.words if w.text.startswith("甲"))
            entry = min(b - a for a, b in zip(tops, tops[1:], strict=False))
            foot = page.height - 14 / 25.4 * 72  # the landscape page's bottom margin
            lowest = max(w.y1 for w in page.words if w.y1 < foot)
            assert foot - lowest < entry, (page.number, foot - lowest, entry)

    def test_a_part_that_prints_otherwise_than_laid_out_fails_the_job(self, clerk_a, tree, monkeypatch):
        """Entries edited between the two passes could move a page break: the page numbers would be
        wrong, so the job fails in Chinese (to be started again) rather than print them."""
        from feedback.jobs import REGISTER_CHANGED
        from liaison.documents import parts
        from liaison.jobs.services import job_start

        for n in range(5):
            register(clerk_a, received_on=D(2026, 3, 1 + n), reporter_name=f"甲{n}")
        monkeypatch.setattr("feedback.views.prints.REGISTER_ROWS_PER_PART", 2)
        monkeypatch.setattr("feedback.jobs.REGISTER_ROWS_PER_PART", 2)
        printed = parts.pdf_bytes
        one_more_page = '<div style="break-before: page">改</div></body>'
        monkeypatch.setattr(
            parts, "pdf_bytes", lambda markup, **kw: printed(markup.replace("</body>", one_more_page), **kw)
        )
        job = job_start(
            user=clerk_a,
            kind="feedback.register_pdf",
            title="登记簿",
            params={"organisation": str(tree["village_a"].pk), "year": "2026"},
        )
        assert job.status == "failed" and job.error == REGISTER_CHANGED

    def test_bad_range_is_refused_next_to_the_field(self, client_for, clerk_a, tree):
        response = client_for(clerk_a).get(
            reverse("opinion-register"),
            {"organisation": tree["village_a"].pk, "start": "2026-05-01", "end": "2026-04-01"},
        )
        assert response.context["form"].errors["end"] == ["结束日期不能早于开始日期。"]

    def test_register_page_counts_and_links(self, client_for, clerk_a, tree, three):
        response = client_for(clerk_a).get(
            reverse("opinion-register"), {"organisation": tree["village_a"].pk, "year": 2026}
        )
        assert response.context["count"] == 3
        assert "start=2026-01-01&amp;end=2026-12-31" in response.text

    def test_xlsx_same_columns_streamed(self, client_for, clerk_a, tree, three):
        response = client_for(clerk_a).get(
            reverse("opinion-register-xlsx"), {"organisation": tree["village_a"].pk, "year": 2026}
        )
        assert response.streaming
        assert REGISTER_HEADERS == FORM_COLUMNS
        workbook = workbook_from(response)
        assert workbook.sheetnames == ["登记簿"]
        header = [cell.value for cell in next(workbook["登记簿"].iter_rows(max_row=1))]
        assert header == FORM_COLUMNS
        response = client_for(clerk_a).get(
            reverse("opinion-register-xlsx"), {"organisation": tree["village_a"].pk, "year": 2026}
        )
        rows = read_sheet(response, "登记簿")
        assert [row["序号"] for row in rows] == [1, 2, 3]
        closed, second = rows[0], rows[1]
        assert closed["反映人姓名"] == "王喆" and closed["反映时间"] == datetime.datetime(2026, 3, 3)
        assert closed["办理结果"] == "已修复，可正常通行。" and closed["反馈本人时间"] == datetime.datetime(
            2026, 3, 10
        )
        assert (
            closed["《反馈单》签收人"] == "王喆"
            and closed["是否销号"] == "是"
            and closed["经办人"] == "刘晓燕"
        )
        assert second["是否销号"] == "否" and second["备注"].endswith("已电话回访")
        assert second["备注"].startswith("职责内（1类），时限 2026.04.13")

    def test_xlsx_across_years_numbers_with_the_year(self, client_for, clerk_a, tree, opinion_a):
        register(clerk_a, received_on=D(2025, 12, 29), reporter_name="李堃")
        response = client_for(clerk_a).get(
            reverse("opinion-register-xlsx"),
            {"organisation": tree["village_a"].pk, "start": "2025-12-01", "end": "2026-03-31"},
        )
        assert [row["序号"] for row in read_sheet(response, "登记簿")] == ["2025-1", "2026-1"]
