"""Correcting a saved visit's family rows (附件3 被访家庭成员基本情况 and the second 八清楚): the HTML the
clerk gets, posted back with rows changed, added, deleted; checked as entry checks them; stale saves
refused; nothing half-saved; the household untouched; the 民情日志 prints the corrected snapshot."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from liaison.forms import AGE_RANGE, NEED_ONE_HEAD
from liaison.models import Resident
from tests.forms_utils import form_fields
from tests.pdf_utils import pdf_text, response_bytes
from visits.models import Visit, VisitMember


def edit_page(client, visit) -> tuple[str, dict]:
    url = reverse("visit-update", args=[visit.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, form_fields(response.content.decode())


def row_of(data: dict, name: str) -> int:
    total = int(data["members-TOTAL_FORMS"])
    return next(i for i in range(total) if data.get(f"members-{i}-name") == name)


def add_row(data: dict, **values) -> None:
    index = int(data["members-TOTAL_FORMS"])
    data["members-TOTAL_FORMS"] = str(index + 1)
    for key, value in values.items():
        data[f"members-{index}-{key}"] = value


def test_the_edit_page_shows_the_snapshots_rows(client_for, clerk_a, visit_a):
    _, data = edit_page(client_for(clerk_a), visit_a)
    assert data["members-TOTAL_FORMS"] == "3"
    rows = {data[f"members-{i}-name"]: i for i in range(3)}
    assert set(rows) == {"王喆", "李秀英", "王小军"}
    away = rows["王小军"]
    assert data[f"members-{away}-away_location"] == "广东省东莞市"
    assert data[f"members-{away}-relation"] == "子女"
    assert data[f"members-{rows['王喆']}-relation"] == "户主"


def test_rows_corrected_added_and_deleted_the_household_untouched(client_for, clerk_a, visit_a, family):
    client = client_for(clerk_a)
    url, data = edit_page(client, visit_a)
    spouse, away = row_of(data, "李秀英"), row_of(data, "王小军")
    data[f"members-{spouse}-occupation"] = "保洁员"
    data[f"members-{spouse}-age"] = "61"
    data[f"members-{away}-away_location"] = "浙江省义乌市"
    data[f"members-{away}-away_return"] = "中秋返家"
    add_row(data, name="王小芳", relation="孙子女", gender="F", age="8", occupation="学生")
    head = row_of(data, "王喆")
    data[f"members-{head}-name"] = "王喆林"  # the 户主's name as written on the paper log
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    visit_a.refresh_from_db()
    rows = {row.name: row for row in visit_a.members.all()}
    assert set(rows) == {"王喆林", "李秀英", "王小军", "王小芳"}
    assert (rows["李秀英"].occupation, rows["李秀英"].age) == ("保洁员", 61)
    assert (rows["王小军"].away_location, rows["王小军"].away_return) == ("浙江省义乌市", "中秋返家")
    assert rows["王小芳"].position == 4 and rows["王小芳"].resident is None
    assert visit_a.head_name == "王喆林"
    # The household keeps today's 八清楚: an old log's correction is the log's own.
    assert Resident.objects.get(name="李秀英").occupation == "务农"
    assert Resident.objects.get(name="王小军").away_location == "广东省东莞市"
    assert not Resident.objects.filter(name="王小芳").exists()
    family.refresh_from_db()
    assert family.head_name == "王喆"

    # Delete a row typed by mistake.
    url, data = edit_page(client, visit_a)
    data[f"members-{row_of(data, '王小芳')}-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert list(visit_a.members.values_list("name", flat=True)) == ["王喆林", "李秀英", "王小军"]


def test_the_corrections_are_on_the_audit_log(client_for, clerk_a, visit_a):
    from auditlog.models import LogEntry

    client = client_for(clerk_a)
    url, data = edit_page(client, visit_a)
    data[f"members-{row_of(data, '李秀英')}-occupation"] = "保洁员"
    assert client.post(url, data).status_code == 302
    row = VisitMember.objects.get(visit=visit_a, name="李秀英")
    entry = LogEntry.objects.get_for_object(row).latest("timestamp")
    assert entry.changes_dict["occupation"] == ["务农", "保洁员"]
    assert entry.actor == clerk_a


def test_the_pdf_prints_the_corrected_snapshot(client_for, clerk_a, visit_a):
    client = client_for(clerk_a)
    url, data = edit_page(client, visit_a)
    data[f"members-{row_of(data, '李秀英')}-occupation"] = "保洁员"
    data[f"members-{row_of(data, '王小军')}-away_location"] = "浙江省义乌市"
    assert client.post(url, data).status_code == 302
    pdf = response_bytes(client.get(reverse("visit-pdf", args=[visit_a.pk])))
    text = re.sub(r"\s+", "", pdf_text(pdf, layout=True))
    assert "保洁员" in text and "浙江省义乌市" in text
    assert "广东省东莞市" not in text


def test_a_stale_save_of_the_rows_is_refused(client_for, clerk_a, visit_a):
    client = client_for(clerk_a)
    url, data = edit_page(client, visit_a)
    VisitMember.objects.filter(visit=visit_a, name="李秀英").update(occupation="别人刚改过")
    data[f"members-{row_of(data, '李秀英')}-occupation"] = "保洁员"
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已被他人修改" in page and "被访家庭成员" in page
    assert VisitMember.objects.get(visit=visit_a, name="李秀英").occupation == "别人刚改过"
    # The page now carries the current state: saving again is a knowing save.
    again = form_fields(page)
    assert client.post(url, again).status_code == 302
    assert VisitMember.objects.get(visit=visit_a, name="李秀英").occupation == "保洁员"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("age", "130", AGE_RANGE),
        ("age", "-1", AGE_RANGE),
        ("phone", "12345", "联系电话"),
        ("away_income", "-10", "外出收入不能为负数"),
        ("gender", "", "这个字段是必填项"),
        ("name", "", "这个字段是必填项"),
    ],
)
def test_bad_rows_are_refused_next_to_the_field(client_for, clerk_a, visit_a, field, value, message):
    client = client_for(clerk_a)
    url, data = edit_page(client, visit_a)
    index = row_of(data, "王小军")
    data[f"members-{index}-{field}"] = value
    data["resident_opinion"] = "很满意"  # nothing is half-saved: the visit's own box neither
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    # next to the field: the message sits in the row's field block, after the field's id
    field_at = page.index(f'id="id_members-{index}-{field}"')
    assert page.index(message, field_at - 2000) < field_at + 2000
    visit_a.refresh_from_db()
    assert visit_a.resident_opinion == "满意"
    assert VisitMember.objects.get(visit=visit_a, name="王小军").away_income is None


def test_one_head_as_on_the_entry_screen(client_for, clerk_a, visit_a):
    client = client_for(clerk_a)
    url, data = edit_page(client, visit_a)
    data[f"members-{row_of(data, '王喆')}-relation"] = "配偶"
    response = client.post(url, data)
    assert response.status_code == 200
    assert NEED_ONE_HEAD in response.content.decode()
    assert Visit.objects.get(pk=visit_a.pk).members.get(name="王喆").relation == "户主"


def test_a_masked_clerk_keeps_the_stored_phone(client_for, township_admin, visit_a):
    client = client_for(township_admin)
    url, data = edit_page(client, visit_a)
    index = row_of(data, "王小军")
    assert data[f"members-{index}-phone"] == "137****2222"
    data[f"members-{index}-occupation"] = "快递员"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = VisitMember.objects.get(visit=visit_a, name="王小军")
    assert (row.phone, row.occupation) == ("13700002222", "快递员")


def test_the_edit_page_query_count(client_for, clerk_a, visit_a, django_assert_num_queries):
    """The same count with 3 rows or 13: no query per family row."""
    client = client_for(clerk_a)
    with django_assert_num_queries(9):
        assert client.get(reverse("visit-update", args=[visit_a.pk])).status_code == 200
    first = visit_a.members.get(position=3)
    for n in range(10):
        first.pk, first.position, first.name = None, 4 + n, f"王孙{n}"
        first.save()
    with django_assert_num_queries(9):
        assert client.get(reverse("visit-update", args=[visit_a.pk])).status_code == 200
