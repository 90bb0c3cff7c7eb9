"""Excel import of visits as a village clerk uses it: the template downloaded, filled as from the paper
booklets, uploaded, previewed with every problem by row and column, committed all or nothing on the jobs
layer; the same file again creates nothing; 1,000 rows cost a bounded number of queries."""

from __future__ import annotations

import datetime
import io
import math

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from feedback.models import Channel, Opinion
from liaison.models import Job
from members.imports.reader import Workbook
from members.models import Position
from tests.factories import PartyMemberFactory, household_with_head
from visits.imports.apply import apply_plan
from visits.imports.columns import SHEETS, VISITS
from visits.imports.plan import build_plan
from visits.imports.template import build_template
from visits.models import Visit, VisitImport, VisitMember
from visits.tests.conftest import MARCH_3

pytestmark = pytest.mark.django_db

DAY = "2026-03-03"


def row(**cells) -> list:
    """One template row; cells by key (visitor, village, head_name, visited_on, situation, …)."""
    values = {
        "visitor": "陈国华",
        "village": "桂花村",
        "head_name": "王喆",
        "visited_on": DAY,
        "situation": "了解春耕。",
    }
    values.update(cells)
    return [values.get(col.key, "") for col in VISITS.columns]


def workbook_bytes(rows: list[list]) -> bytes:
    workbook = load_workbook(io.BytesIO(build_template().content))
    for values in rows:
        workbook[VISITS.title].append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def send(client, content: bytes):
    upload = SimpleUploadedFile(
        "走访.xlsx", content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return client.post(reverse("visit-import-upload"), {"file": upload})


def preview(client, rows: list[list]):
    response = send(client, workbook_bytes(rows))
    assert response.status_code == 302, response.content.decode()[-2000:]
    return client.get(response["Location"]), VisitImport.objects.latest("id")


def commit(client, batch):
    return client.post(reverse("visit-import-commit", args=[batch.token]), follow=True)


def errors_of(response) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in response.context["errors"]]


@pytest.fixture
def importer(client_for, clerk_a, family, secretary_member):
    return client_for(clerk_a)


def test_the_template_has_the_sheet_and_its_columns(importer):
    response = importer.get(reverse("visit-import-template"))
    assert response.status_code == 200
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    assert workbook.sheetnames == ["入户走访", "填写说明"]
    header = [cell.value for cell in workbook["入户走访"][1]]
    assert header[:6] == ["家访人", "家访人身份证号或电话", "村（社区）", "户主", "居住地点", "走访时间"]
    assert "签字日期" in header and "意见类别（1234）" in header


def test_preview_then_commit_on_the_jobs_layer(importer, clerk_a, family, secretary_member):
    rows = [
        row(
            handling="现场办理",
            handling_text="当场解答。",
            resident_opinion="满意",
            signed_by="王喆",
            signed_on=DAY,
        ),
        row(
            visited_on="2026-03-10",
            problem="三组机耕道垮塌，请求修复。",
            handling="限期办理",
            handling_text="报村委会。",
            category=1,
        ),
        row(visited_on=datetime.date(2026, 2, 1), situation="春节前走访。"),
    ]
    page, batch = preview(importer, rows)
    html = page.content.decode()
    assert page.context["plan"].ok and len(page.context["plan"].new) == 3
    assert "将新增走访" in html and "登记群众意见" in html
    assert not Visit.objects.exists()  # a preview writes nothing

    done = commit(importer, batch)
    assert "导入完成：新增走访 3 条" in done.content.decode()
    assert Job.objects.filter(kind="visits.import_commit", status=Job.Status.DONE).exists()
    assert Job.objects.filter(kind="visits.import_read", status=Job.Status.DONE).exists()
    visits = list(Visit.objects.order_by("visited_on"))
    assert [v.visited_on for v in visits] == [
        datetime.date(2026, 2, 1),
        MARCH_3,
        datetime.date(2026, 3, 10),
    ]
    first = visits[1]
    # The snapshot is the household as it stands at import time, and the post held on the day.
    assert (first.address, first.housing_area, first.skills) == ("桂花村三组12号", 120, "柑橘种植")
    assert first.visitor_title == "桂花村书记" and first.organisation == family.organisation
    assert first.created_by == clerk_a and first.signed_on == MARCH_3
    assert sorted(first.members.values_list("name", flat=True)) == ["李秀英", "王喆", "王小军"]
    away = first.members.get(name="王小军")
    assert away.away_location == "广东省东莞市" and away.age == 36
    opinion = Opinion.objects.get()
    assert visits[2].opinion == opinion and opinion.channel == Channel.VISIT
    assert opinion.responsible == clerk_a and opinion.due_date == datetime.date(2026, 3, 20)
    batch.refresh_from_db()
    assert (batch.status, batch.visits_created, batch.opinions_created) == ("committed", 3, 1)
    log = importer.get(reverse("visit-import-home")).content.decode()
    assert "走访.xlsx" in log


def test_the_same_file_twice_creates_nothing_new(importer):
    rows = [
        row(),
        row(visited_on="2026-03-04"),
        row(
            visited_on="2026-03-05",
            handling="转有关部门办理",
            handling_text="转供电所。",
            problem="路灯不亮。",
            category=2,
        ),
    ]
    _, batch = preview(importer, rows)
    commit(importer, batch)
    assert Visit.objects.count() == 3 and Opinion.objects.count() == 1
    page, again = preview(importer, rows)
    plan = page.context["plan"]
    assert plan.ok and plan.new == [] and plan.existing == 3
    assert "文件中的走访都已登记过" in page.content.decode()
    commit(importer, again)
    assert Visit.objects.count() == 3 and Opinion.objects.count() == 1
    again.refresh_from_db()
    assert (again.visits_created, again.visits_existing) == (0, 3)


def test_problems_by_row_and_column_and_nothing_written(importer, tree, household_b):
    PartyMemberFactory(organisation=tree["village_b"], name="外村党员")
    rows = [
        row(),  # 2: fine
        row(visitor="无此人"),  # 3
        row(visitor="外村党员"),  # 4: outside the clerk's subtree
        row(village="石岗村", head_name="李堃"),  # 5: a village outside the subtree
        row(head_name="张三"),  # 6: no such household
        row(visited_on="2099-01-01"),  # 7
        row(visited_on="2026-03-06", signed_on="2026-03-01"),  # 8
        row(
            visited_on="2026-03-07", handling="限期办理", handling_text="十天内答复。"
        ),  # 9: no problem, no category
        row(),  # 10: the same as row 2
        row(visited_on="2026-03-08", handling="马上办"),  # 11
        row(visited_on="2026-03-09", handling="解释说明"),  # 12: no 办理情况
        row(visited_on="不是日期"),  # 13
        row(situation=""),  # 14
    ]
    page, batch = preview(importer, rows)
    errors = errors_of(page)
    assert (3, "家访人", "在您的管辖范围内没有名为“无此人”的党员。") in errors
    assert (4, "家访人", "在您的管辖范围内没有名为“外村党员”的党员。") in errors
    assert (5, "村（社区）", "“石岗村”不是您管辖范围内的村（社区）。") in errors
    assert (6, "户主", "桂花村没有户主为“张三”的户（或不在您的管辖范围内）。") in errors
    assert [(r, c) for r, c, _ in errors].count((7, "走访时间")) == 1
    assert (8, "签字日期", "签字日期不能早于走访时间。") in errors
    assert (
        9,
        "要求解决的问题",
        "限期办理、转有关部门办理的，请填写要求解决的问题：它将登记为群众意见。",
    ) in errors
    assert (9, "意见类别（1234）", "请选择意见类别（1234）：决定办理时限。") in errors
    assert (10, "走访时间", "与第 2 行是同一家访人、同一户、同一天的走访，只能记一条。") in errors
    assert any(r == 11 and c == "办理方式" and "只能填" in m for r, c, m in errors)
    assert (12, "办理情况", "选择了办理方式，请填写办理情况。") in errors
    assert (13, "走访时间", "日期格式不对，请写成 1970-01-02。") in errors
    assert (14, "家访情况", "必填。") in errors
    html = page.content.decode()
    assert "不能导入" in html and "确认导入" not in html
    response = commit(importer, batch)  # forced: the plan is checked again and nothing is written
    assert not Visit.objects.exists() and not Opinion.objects.exists()
    assert response.status_code == 200


def test_a_visitor_with_a_namesake_is_found_by_phone_or_id(importer, tree, secretary_member):
    secretary_member.phone = "13912345678"
    secretary_member.save()
    PartyMemberFactory(organisation=tree["village_a"], name="陈国华", phone="13800000000")
    page, _ = preview(importer, [row()])
    assert errors_of(page) == [
        (2, "家访人", "您的管辖范围内有 2 名党员叫“陈国华”，请在“家访人身份证号或电话”中填写完整号码。")
    ]
    page, _ = preview(importer, [row(visitor_key="139 1234 5678")])
    assert page.context["plan"].ok
    assert page.context["plan"].new[0].visitor == secretary_member
    page, _ = preview(importer, [row(visitor_key="13911111111")])
    assert errors_of(page) == [(2, "家访人身份证号或电话", "“陈国华”的身份证号或电话与所填的不符。")]


def test_namesake_heads_need_the_address(importer, tree, family):
    household_with_head(organisation=tree["village_a"], head_name="王喆", address="桂花村五组1号")
    page, _ = preview(importer, [row()])
    assert errors_of(page) == [(2, "居住地点", "桂花村有 2 户户主叫“王喆”，请填写居住地点。")]
    page, _ = preview(importer, [row(address="桂花村三组12号")])
    assert page.context["plan"].new[0].household == family


def test_another_users_batch_is_404(importer, client_for, township_admin):
    _, batch = preview(importer, [row()])
    other = client_for(township_admin)
    assert other.get(reverse("visit-import-preview", args=[batch.token])).status_code == 404
    assert other.post(reverse("visit-import-commit", args=[batch.token])).status_code == 404
    assert not Visit.objects.exists()


def test_the_import_log_is_scoped(importer, client_for, tree, clerk_b):
    _, batch = preview(importer, [row()])
    commit(importer, batch)
    assert "走访.xlsx" not in client_for(clerk_b).get(reverse("visit-import-home")).content.decode()


def thousand_rows(tree, visitor) -> Workbook:
    """1,000 visits: 50 households × 20 days, as a read workbook (no file needed for the counts)."""
    from members.imports.reader import SheetRows

    rows = []
    for h in range(50):
        household_with_head(organisation=tree["village_a"], head_name=f"户主{h}", address=f"桂花村{h}号")
    number = 2
    for h in range(50):
        for d in range(20):
            values = dict(
                zip(
                    [c.key for c in VISITS.columns],
                    row(
                        head_name=f"户主{h}",
                        visited_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=d),
                    ),
                    strict=True,
                )
            )
            rows.append((number, {k: v for k, v in values.items() if v != ""}))
            number += 1
    return Workbook(sheets={VISITS.title: SheetRows(VISITS, rows)}, errors=[])


def batches(model, rows: int) -> int:
    fields = list(model._meta.concrete_fields)
    size = min(500, connection.ops.bulk_batch_size(fields, [None] * rows) or 500)
    return math.ceil(rows / size)


def test_a_thousand_rows_cost_a_bounded_number_of_queries(
    tree, clerk_a, secretary_member, django_assert_max_num_queries
):
    workbook = thousand_rows(tree, secretary_member)
    # Scope, villages, members, households (2 chunks of names), birth years, existing visits: per chunk.
    with django_assert_max_num_queries(12):
        plan = build_plan(workbook, user=clerk_a, today=datetime.date(2026, 6, 1))
    assert plan.ok and len(plan.new) == 1000
    # Posts, residents, pairings, then 1,000 visits and their rows in batches, and their audit entries in
    # batches: INSERTs of at most 500 rows, fewer where the database caps the parameters of one statement
    # (SQLite: 999 ÷ columns), never one per row.
    bound = 6 + batches(Visit, 1000) + batches(VisitMember, 1000) + 2 * batches(LogEntry, 1000)
    with django_assert_max_num_queries(bound) as captured:
        apply_plan(plan, user=clerk_a)
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) <= bound - 6 < 200
    assert Visit.objects.count() == 1000
    assert VisitMember.objects.count() == 1000
    again = build_plan(workbook, user=clerk_a, today=datetime.date(2026, 6, 1))
    assert again.new == [] and again.existing == 1000


def test_the_reader_refuses_the_household_template(importer):
    from members.imports.template import build_template as household_template

    response = send(importer, household_template().content)
    assert response.status_code == 200
    assert "缺少工作表“入户走访”" in response.content.decode()
    assert SHEETS == (VISITS,)


def test_posts_held_on_the_day_make_the_title(tree, clerk_a, family):
    member = PartyMemberFactory(organisation=tree["village_a"], name="新任")
    Position.objects.create(
        member=member,
        organisation=tree["village_a"],
        role=Position.Role.COMMITTEE,
        start_date=datetime.date(2026, 3, 1),
    )
    from members.imports.reader import SheetRows

    values = dict(
        zip(
            [c.key for c in VISITS.columns],
            row(visitor="新任", visited_on=datetime.date(2026, 2, 1)),
            strict=True,
        )
    )
    later = dict(values, visited_on=MARCH_3)
    workbook = Workbook(sheets={VISITS.title: SheetRows(VISITS, [(2, values), (3, later)])}, errors=[])
    plan = build_plan(workbook, user=clerk_a, today=datetime.date(2026, 6, 1))
    visits = apply_plan(plan, user=clerk_a)
    assert [v.visitor_title for v in visits] == ["", "桂花村委员"]
