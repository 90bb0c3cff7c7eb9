"""Excel import: the template, upload → preview → commit, all or nothing, idempotent, and bad input."""

from __future__ import annotations

import copy
import datetime
import io
import re
import zipfile

import pytest
from django.db import IntegrityError
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import Household, HouseholdTag, Resident
from members.imports import reader, storage
from members.imports.households import HEAD_NAME_MISMATCH, ID_IN_OTHER_HOUSEHOLD, NO_HEAD_ROW
from members.imports.members import OUT_OF_SCOPE_MEMBER
from members.imports.values import ID_AS_NUMBER
from members.models import ImportBatch, PartyMember
from members.tests.import_utils import HOUSEHOLDS, MEMBER_ID, MEMBERS, RESIDENTS, upload, workbook_bytes
from members.views import imports as imports_views
from tests.factories import household_with_head

pytestmark = pytest.mark.django_db


def send(client, content: bytes, name: str = "导入.xlsx"):
    return client.post(reverse("import-upload"), {"file": upload(content, name)})


def preview(client, content: bytes):
    response = send(client, content)
    assert response.status_code == 302, response.text[-2000:]
    return client.get(response["Location"]), ImportBatch.objects.latest("id")


def commit(client, batch):
    return client.post(reverse("import-commit", args=[batch.token]), follow=True)


def errors_of(response) -> list[tuple[str, str, str, str]]:
    """(sheet, row, column, message) as the preview table shows them."""
    return [(e.sheet, str(e.row), e.column, e.message) for e in response.context["errors"]]


def snapshot() -> dict:
    return {
        "households": list(Household.objects.order_by("id").values()),
        "residents": list(Resident.objects.order_by("id").values()),
        "members": list(PartyMember.objects.order_by("id").values()),
        "tags": sorted(Household.tags.through.objects.values_list("household_id", "householdtag_id")),
    }


@pytest.fixture
def importer(client_for, clerk_a, branches):
    return client_for(clerk_a)


class TestTemplate:
    def test_download(self, importer):
        response = importer.get(reverse("import-template"))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert workbook.sheetnames == ["户", "家庭成员", "党员", "填写说明"]
        assert [c.value for c in workbook["户"][1]] == [
            "村（社区）",
            "村民小组/网格",
            "居住地点",
            "户主",
            "联系电话",
            "住房面积（㎡）",
            "家庭年收入（元）",
            "专长技能",
            "存在问题",
            "建议要求",
            "家庭党员情况",
            "标签",
        ]
        assert [c.value for c in workbook["党员"][1]][:5] == [
            "所在党支部",
            "姓名",
            "性别",
            "出生日期",
            "身份证号",
        ]
        assert (
            workbook["家庭成员"].max_row == 1
        )  # header only: no sample row that could be imported by mistake
        lists = {str(dv.sqref)[0]: dv.formula1 for dv in workbook["家庭成员"].data_validations.dataValidation}
        assert lists["F"] == '"男,女"'
        assert workbook["家庭成员"].column_dimensions["H"].number_format == "@"  # 身份证号 stays text
        assert "低保户" in "".join(str(c.value) for row in workbook["填写说明"].iter_rows() for c in row)


class TestGoodFile:
    def test_preview_then_commit(self, importer, clerk_a, tree):
        page, batch = preview(importer, workbook_bytes())
        assert not Household.objects.exists()  # the preview saves nothing
        counts = page.context["counts"]
        assert (counts["households"].created, counts["residents"].created, counts["members"].created) == (
            3,
            6,
            2,
        )
        assert "检查通过，可以导入" in page.text
        assert (storage.directory() / batch.stored_name).exists()

        response = commit(importer, batch)
        assert "导入完成" in response.text
        zhou = Household.objects.get(head_name="周瑄")
        assert (
            zhou.organisation == tree["village_a"]
            and zhou.created_by == clerk_a
            and zhou.head_initials == " zx zhouxuan"
        )
        assert zhou.sort_key and [t.name for t in zhou.tags.all()] == ["低保户"]
        assert zhou.residents.get(relation="head").name == "周瑄"
        away = zhou.residents.get(name="周浩然")
        assert away.is_away and away.away_location == "广东省东莞市" and away.away_income == 48000
        assert Household.objects.get(head_name="吴祎").housing_area == pytest.approx(96.5)
        assert set(Household.objects.get(head_name="郑喆").tags.values_list("name", flat=True)) == {
            "老党员",
            "空巢老人",
        }
        member = PartyMember.objects.get(id_number=MEMBER_ID)
        assert member.birth_date == datetime.date(1958, 4, 12)  # read from the ID number
        assert PartyMember.objects.get(name="周浩然").category == "probationary"
        batch.refresh_from_db()
        assert batch.status == "committed" and batch.user == clerk_a and batch.rows == 11
        assert (batch.households_created, batch.residents_created, batch.members_created) == (3, 6, 2)
        assert not batch.stored_name and not list(storage.directory().iterdir())  # the file is gone
        assert "导入.xlsx" in importer.get(reverse("import-home")).text  # the log

    def test_reimport_changes_nothing(self, importer):
        content = workbook_bytes()
        _, batch = preview(importer, content)
        commit(importer, batch)
        before = snapshot()
        page, batch = preview(importer, content)
        counts = page.context["counts"]
        assert [(c.created, c.updated, c.unchanged) for c in counts.values()] == [
            (0, 0, 3),
            (0, 0, 6),
            (0, 0, 2),
        ]
        assert "不会改变任何数据" in page.text
        commit(importer, batch)
        assert snapshot() == before  # not even updated_at moved
        batch.refresh_from_db()
        assert (batch.households_unchanged, batch.residents_unchanged, batch.members_unchanged) == (3, 6, 2)

    def test_reimport_updates_what_changed_and_keeps_what_is_blank(self, importer):
        _, batch = preview(importer, workbook_bytes())
        commit(importer, batch)
        households = copy.deepcopy(HOUSEHOLDS)
        households[0][4] = "13900001111"  # a new phone
        households[0][7] = ""  # a blank cell does not clear 专长技能
        households[1][11] = "五保户"  # a tag is added
        page, batch = preview(
            importer, workbook_bytes({"户": households, "家庭成员": RESIDENTS, "党员": MEMBERS})
        )
        assert (
            page.context["counts"]["households"].updated,
            page.context["counts"]["households"].unchanged,
        ) == (2, 1)
        assert "联系电话" in page.text
        commit(importer, batch)
        zhou = Household.objects.get(head_name="周瑄")
        assert zhou.phone == "13900001111" and zhou.skills == "柑橘种植"
        assert list(Household.objects.get(head_name="吴祎").tags.values_list("name", flat=True)) == ["五保户"]

    def test_members_are_matched_by_name_and_birth_date_without_an_id(self, importer, branches):
        PartyMember.objects.create(
            organisation=branches["a"], name="周浩然", gender="M", birth_date=datetime.date(2005, 8, 9)
        )
        page, _ = preview(importer, workbook_bytes())
        assert (page.context["counts"]["members"].created, page.context["counts"]["members"].updated) == (
            1,
            1,
        )

    def test_an_existing_household_gets_new_residents(self, importer, tree):
        household_with_head(organisation=tree["village_a"], head_name="周瑄", address="桂花村三组21号")
        page, batch = preview(importer, workbook_bytes())
        counts = page.context["counts"]
        assert (counts["households"].created, counts["households"].updated) == (2, 1)
        assert (counts["residents"].created, counts["residents"].updated) == (
            5,
            1,
        )  # the head is matched by name
        commit(importer, batch)
        assert Household.objects.get(head_name="周瑄").residents.count() == 3


class TestAllOrNothing:
    def test_a_bad_row_in_the_middle_saves_nothing(self, importer):
        residents = copy.deepcopy(RESIDENTS)
        residents[2][5] = "男性"  # 性别
        residents[2][8] = "1861234567"  # 联系电话, ten digits
        households = copy.deepcopy(HOUSEHOLDS)
        households[1][6] = -500  # 家庭年收入
        page, batch = preview(
            importer, workbook_bytes({"户": households, "家庭成员": residents, "党员": MEMBERS})
        )
        assert errors_of(page) == [
            ("户", "3", "家庭年收入（元）", "不能为负数。"),
            ("家庭成员", "4", "性别", "只能填：“男”、“女”。"),
            (
                "家庭成员",
                "4",
                "联系电话",
                "请输入正确的联系电话：11位手机号（如 13812345678）或带区号的座机号（如 023-66231234）。",
            ),
        ]
        assert "不能导入" in page.text and "确认导入" not in page.text
        response = commit(importer, batch)  # posting anyway
        assert "没有导入任何数据" in response.text
        assert (
            not Household.objects.exists()
            and not Resident.objects.exists()
            and not PartyMember.objects.exists()
        )

    def test_a_failure_while_writing_rolls_everything_back(self, importer, monkeypatch):
        _, batch = preview(importer, workbook_bytes())

        def fail(*args, **kwargs):
            raise IntegrityError("UNIQUE constraint failed: liaison_resident.id_number")

        monkeypatch.setattr(Resident.objects, "bulk_create", fail)
        response = commit(importer, batch)
        assert "没有保存任何数据" in response.text
        assert not Household.objects.exists() and not PartyMember.objects.exists()
        batch.refresh_from_db()
        assert batch.status == "pending"

    @pytest.mark.parametrize(
        ("edit", "expected"),
        [
            (
                lambda r: r[0].__setitem__(3, "周宣"),
                ("家庭成员", "2", "姓名", HEAD_NAME_MISMATCH.format(head="周瑄")),
            ),
            (lambda r: r.pop(3), ("户", "3", "户主", NO_HEAD_ROW)),
            (
                lambda r: r[1].__setitem__(4, "户主"),
                ("家庭成员", "3", "姓名", HEAD_NAME_MISMATCH.format(head="周瑄")),
            ),
            (
                lambda r: r.append(
                    [
                        "桂花村",
                        "桂花村九组1号",
                        "钱昇",
                        "钱昇",
                        "户主",
                        "男",
                        1970,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ]
                ),
                (
                    "家庭成员",
                    "8",
                    "户主",
                    "找不到这一户：请先在“户”表中填写，或核对村（社区）、居住地点、户主是否与“户”表一致。",
                ),
            ),
            (
                lambda r: r.append(
                    [
                        "石岗村",
                        "石岗村一组1号",
                        "李堃",
                        "李四",
                        "子女",
                        "男",
                        1990,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ]
                ),
                ("家庭成员", "8", "村（社区）", "“石岗村”不是您管辖范围内的村（社区）。"),
            ),
        ],
    )
    def test_household_and_head_rules(self, importer, edit, expected):
        residents = copy.deepcopy(RESIDENTS)
        edit(residents)
        page, _ = preview(
            importer, workbook_bytes({"户": HOUSEHOLDS, "家庭成员": residents, "党员": MEMBERS})
        )
        assert expected in errors_of(page)

    def test_an_id_number_registered_in_another_household(self, importer, tree, household_a):
        taken = "11010519491231002X"
        Resident.objects.filter(household=household_a).update(id_number=taken)
        residents = copy.deepcopy(RESIDENTS)
        residents[1][7] = taken
        residents[1][6] = ""  # the birth year comes from the ID number
        page, _ = preview(
            importer, workbook_bytes({"户": HOUSEHOLDS, "家庭成员": residents, "党员": MEMBERS})
        )
        assert (
            "家庭成员",
            "3",
            "身份证号",
            ID_IN_OTHER_HOUSEHOLD.format(household=household_a),
        ) in errors_of(page)

    def test_a_member_of_another_subtree_is_not_touched(self, importer, branches):
        PartyMember.objects.create(organisation=branches["b"], name="郑喆", gender="M", id_number=MEMBER_ID)
        page, _ = preview(importer, workbook_bytes())
        assert ("党员", "2", "身份证号", OUT_OF_SCOPE_MEMBER) in errors_of(page)


class TestMaliciousCells:
    def test_formulas_are_refused_never_evaluated(self, importer):
        def edit(workbook):
            workbook["户"]["E2"] = "=SUM(1,2)"
            workbook["家庭成员"]["D3"] = "=cmd|' /C calc'!A0"  # DDE
            workbook["党员"]["B2"] = '=HYPERLINK("http://example.com","郑喆")'

        page, _ = preview(importer, workbook_bytes(edit=edit))
        found = errors_of(page)
        assert [(s, r, c) for s, r, c, _ in found] == [
            ("户", "2", "联系电话"),
            ("家庭成员", "3", "姓名"),
            ("党员", "2", "姓名"),
        ]
        assert all("公式" in m for *_, m in found)
        assert "=SUM(1,2)" in found[0][3]
        assert not Household.objects.exists()

    def test_text_that_starts_with_an_equals_sign_stays_text(self, importer):
        def edit(workbook):
            cell = workbook["户"]["I2"]
            cell.value = "=问题太多"
            cell.data_type = "s"

        _, batch = preview(importer, workbook_bytes(edit=edit))
        commit(importer, batch)
        assert Household.objects.get(head_name="周瑄").problems == "=问题太多"

    def test_a_numeric_id_number_and_overlong_text(self, importer):
        residents = copy.deepcopy(RESIDENTS)
        residents[0][7] = 500113197901010011  # Excel turned it into a number
        residents[1][3] = "李" * 51
        page, _ = preview(
            importer, workbook_bytes({"户": HOUSEHOLDS, "家庭成员": residents, "党员": MEMBERS})
        )
        found = errors_of(page)
        assert ("家庭成员", "2", "身份证号", ID_AS_NUMBER) in found
        assert any(s == "家庭成员" and r == "3" and c == "姓名" and "50" in m for s, r, c, m in found)


class TestBadFiles:
    def refused(self, importer, content: bytes, name: str = "导入.xlsx") -> str:
        response = send(importer, content, name)
        assert response.status_code == 200
        assert not ImportBatch.objects.exists() and not list(storage.directory().iterdir())
        return re.sub(r"<[^>]+>", "", response.text)

    def test_not_xlsx_by_name(self, importer):
        assert reader.NOT_XLSX_NAME in self.refused(importer, b"a,b\n1,2\n", "户情.xls")

    def test_a_renamed_csv(self, importer):
        assert reader.NOT_XLSX_CONTENT in self.refused(importer, "村,户主\n桂花村,周瑄\n".encode("gbk"))

    def test_a_renamed_word_document(self, importer):
        handle = io.BytesIO()
        with zipfile.ZipFile(handle, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
        assert reader.NOT_XLSX_CONTENT in self.refused(importer, handle.getvalue())

    def test_a_zip_bomb(self, importer):
        handle = io.BytesIO()
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as big:
                block = b"\0" * (1024 * 1024)
                for _ in range(reader.max_unpacked_bytes() // len(block) + 1):
                    big.write(block)
        assert len(handle.getvalue()) < 2 * 1024 * 1024
        assert reader.UNPACKS_TOO_LARGE.format(limit=48) in self.refused(importer, handle.getvalue())

    def test_over_20_mb(self, importer):
        content = b"PK\x03\x04" + b"\0" * (reader.MAX_BYTES + 1)
        assert reader.TOO_LARGE in self.refused(importer, content)

    def test_the_size_check_itself(self):
        with pytest.raises(reader.FileRefused, match="20 MB"):
            reader.check_upload("a.xlsx", reader.MAX_BYTES + 1, io.BytesIO(b"PK\x03\x04"))

    def test_empty_file(self, importer):
        assert "文件是空的。" in self.refused(importer, b"")

    def test_a_wrong_header(self, importer):
        def edit(workbook):
            workbook["户"]["C1"] = "地址"
            workbook["户"]["M1"] = "备注"

        text = self.refused(importer, workbook_bytes(edit=edit))
        assert "工作表“户”的表头缺少：“居住地点”。" in text
        assert "工作表“户”的表头有模板中没有的列：“地址”、“备注”。" in text
        assert reader.HEADER_HINT in text

    def test_a_missing_sheet(self, importer):
        text = self.refused(importer, workbook_bytes(edit=lambda wb: wb.remove(wb["党员"])))
        assert reader.MISSING_SHEET.format(sheet="党员") in text

    def test_only_headers(self, importer):
        assert reader.NO_DATA in self.refused(importer, workbook_bytes({}))

    def test_50000_empty_rows_are_skipped(self, importer):
        """Formatted but empty rows (a border drawn down to row 50,003) are read and skipped, not processed."""
        from openpyxl.styles import Border, Side

        def edit(workbook):
            ws = workbook["家庭成员"]
            border = Border(bottom=Side(style="thin"))
            for row in range(10, 50_010):
                ws.cell(row=row, column=1).border = border
            workbook["户"].cell(row=1_000_000, column=1).border = border

        page, _ = preview(importer, workbook_bytes(edit=edit))
        assert page.context["plan"].rows == 11 and page.context["plan"].ok

    def test_too_many_rows(self, importer, monkeypatch):
        monkeypatch.setattr(reader, "MAX_DATA_ROWS", 5)
        assert reader.TOO_MANY_ROWS.format(limit=5) in self.refused(importer, workbook_bytes())


class TestPreviewStorage:
    def test_discard_deletes_the_file(self, importer):
        _, batch = preview(importer, workbook_bytes())
        path = storage.directory() / batch.stored_name
        importer.post(reverse("import-discard", args=[batch.token]))
        batch.refresh_from_db()
        assert batch.status == "discarded" and not path.exists()
        again = importer.get(reverse("import-preview", args=[batch.token]), follow=True)
        assert again.redirect_chain[-1][0] == reverse("import-home")
        assert imports_views.ALREADY_DISCARDED in again.text

    def test_a_committed_batch_cannot_be_committed_again(self, importer):
        """Back, then 确认导入 again: the page says it is done (not 404), and nothing is imported twice."""
        _, batch = preview(importer, workbook_bytes())
        commit(importer, batch)
        again = importer.post(reverse("import-commit", args=[batch.token]), follow=True)
        assert again.status_code == 200 and again.redirect_chain[-1][0] == reverse("import-home")
        assert "导入完成，不需要再次确认" in again.text
        assert Household.objects.count() == 3
        # The preview page itself (the Back button reloads it) says the same.
        back = importer.get(reverse("import-preview", args=[batch.token]), follow=True)
        assert "导入完成，不需要再次确认" in back.text

    def test_another_users_batch_is_not_found(self, importer, client_for, clerk_b):
        _, batch = preview(importer, workbook_bytes())
        other = client_for(clerk_b)
        assert other.get(reverse("import-preview", args=[batch.token])).status_code == 404
        assert other.post(reverse("import-commit", args=[batch.token])).status_code == 404

    def test_a_file_changed_on_disk_is_not_imported(self, importer):
        _, batch = preview(importer, workbook_bytes())
        (storage.directory() / batch.stored_name).write_bytes(workbook_bytes({"户": HOUSEHOLDS[:1]}))
        response = importer.get(reverse("import-preview", args=[batch.token]), follow=True)
        assert storage.CHANGED_ON_DISK in response.text and not Household.objects.exists()

    def test_a_stale_upload_expires(self, importer, client_for, clerk_a):
        from django.utils import timezone

        _, batch = preview(importer, workbook_bytes())
        ImportBatch.objects.filter(pk=batch.pk).update(
            created_at=timezone.now() - storage.LIFETIME - datetime.timedelta(minutes=1)
        )
        stale = importer.get(reverse("import-preview", args=[batch.token]), follow=True)
        assert imports_views.EXPIRED in stale.text
        preview(importer, workbook_bytes())  # the next upload sweeps the stale one
        batch.refresh_from_db()
        assert batch.status == "discarded" and not batch.stored_name
        assert not (storage.directory() / f"{batch.token.hex}.json").exists()

    def test_org_dept_cannot_import(self, client_for, org_dept):
        assert (
            client_for(org_dept)
            .post(reverse("import-upload"), {"file": upload(workbook_bytes())})
            .status_code
            == 403
        )
        assert not ImportBatch.objects.exists()


def test_tags_must_exist(importer):
    households = copy.deepcopy(HOUSEHOLDS)
    households[0][11] = "低保户、特困户"
    page, _ = preview(importer, workbook_bytes({"户": households, "家庭成员": RESIDENTS, "党员": MEMBERS}))
    ((sheet, row, column, message),) = [e for e in errors_of(page) if e[2] == "标签"]
    assert (sheet, row) == ("户", "2") and message.startswith("没有标签“特困户”")
    assert HouseholdTag.objects.filter(name="特困户").count() == 0


class TestThroughJobs:
    """The import as it runs in production: reading and writing are background jobs (queued here with
    the dummy backend and run by hand, as the worker would), and the pages follow them."""

    @pytest.fixture(autouse=True)
    def queued(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def test_upload_read_preview_commit(self, importer, clerk_a, tree):
        from liaison.jobs.services import job_run
        from liaison.models import Job

        response = send(importer, workbook_bytes())
        batch = ImportBatch.objects.get()
        assert response["Location"] == reverse("import-preview", args=[batch.token])
        assert batch.stored_name.endswith(".xlsx")  # kept as uploaded until the job reads it
        reading = importer.get(response["Location"])
        read_job = Job.objects.get(kind="members.import_read")
        assert (
            "正在后台读取文件" in reading.text
            and reverse("job-status", args=[read_job.token]) in reading.text
        )
        assert 'data-job-follow="1"' in reading.text

        job_run(read_job.pk)
        read_job.refresh_from_db()
        assert read_job.status == "done" and read_job.link == reverse("import-preview", args=[batch.token])
        page = importer.get(reverse("import-preview", args=[batch.token]))
        assert "检查通过，可以导入" in page.text and page.context["counts"]["households"].created == 3
        assert not Household.objects.exists()

        response = commit(importer, batch)  # follows to the job's page
        write_job = Job.objects.get(kind="members.import_commit")
        assert response.redirect_chain[-1][0] == reverse("job-detail", args=[write_job.token])
        assert "正在后台导入" in response.text and not Household.objects.exists()
        # A second click while it is queued goes to the same job, never a second one.
        again = importer.post(reverse("import-commit", args=[batch.token]))
        assert again["Location"] == reverse("job-detail", args=[write_job.token])
        assert Job.objects.filter(kind="members.import_commit").count() == 1

        job_run(write_job.pk)
        write_job.refresh_from_db()
        assert write_job.status == "done" and write_job.progress == 100
        assert write_job.message == "导入完成：户新增 3 更新 0，家庭成员新增 6 更新 0，党员新增 2 更新 0。"
        assert write_job.link == reverse("import-home")
        assert Household.objects.filter(organisation=tree["village_a"]).count() == 3
        batch.refresh_from_db()
        assert batch.status == "committed" and not list(storage.directory().iterdir())
        assert "导入完成" in importer.get(reverse("job-detail", args=[write_job.token])).text

    def test_a_file_refused_while_reading_says_why_on_the_page(self, importer):
        from liaison.jobs.services import job_run
        from liaison.models import Job

        response = send(importer, workbook_bytes(edit=lambda wb: wb.remove(wb["党员"])))
        assert response.status_code == 302  # the quick checks pass; the sheets are read by the job
        job = Job.objects.get()
        job_run(job.pk)
        job.refresh_from_db()
        assert job.status == "failed" and reader.MISSING_SHEET.format(sheet="党员") in job.error
        assert not ImportBatch.objects.exists() and not list(storage.directory().iterdir())

    def test_another_users_import_job_is_not_found(self, importer, client_for, clerk_b):
        from liaison.models import Job

        send(importer, workbook_bytes())
        job = Job.objects.get()
        other = client_for(clerk_b)
        assert other.get(reverse("job-detail", args=[job.token])).status_code == 404
        assert other.get(reverse("job-status", args=[job.token])).status_code == 404
