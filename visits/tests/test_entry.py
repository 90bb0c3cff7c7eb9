"""The entry screen as the clerk uses it: the HTML the browser gets, posted back with a few boxes typed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from feedback.models import Channel, Opinion
from liaison.models import Household, Resident
from tests.forms_utils import form_fields
from visits.models import Visit
from visits.tests.conftest import MARCH_3


def entry_page(client, **params) -> dict:
    response = client.get(reverse("visit-create"), params)
    assert response.status_code == 200
    return form_fields(response.content.decode())


def filled(client, household, visitor, **boxes) -> dict:
    data = entry_page(client, household=household.pk, visitor=visitor.pk, visited_on=f"{MARCH_3:%Y-%m-%d}")
    data.update(
        {
            "household": str(household.pk),
            "visitor": str(visitor.pk),
            "visited_on": f"{MARCH_3:%Y-%m-%d}",
            "situation": "了解生产生活情况。",
            **boxes,
        }
    )
    return data


def test_the_page_prefills_the_households_eight_clear(client_for, clerk_a, family, secretary_member):
    data = entry_page(client_for(clerk_a), household=family.pk)
    assert data["hh-address"] == "桂花村三组12号"
    assert data["hh-housing_area"] == "120.00"
    assert data["residents-TOTAL_FORMS"] == "4"  # three residents and a blank row
    names = {data[f"residents-{i}-name"] for i in range(3)}
    assert names == {"王喆", "李秀英", "王小军"}


def test_household_section_for_the_picked_household(client_for, clerk_a, family):
    response = client_for(clerk_a).get(reverse("visit-household-section", args=[family.pk]))
    assert response.status_code == 200
    fields = form_fields(response.content.decode())
    assert fields["hh-skills"] == "柑橘种植"


def test_save_and_next_keeps_visitor_and_date(client_for, clerk_a, family, secretary_member):
    client = client_for(clerk_a)
    data = filled(client, family, secretary_member, next="1")
    response = client.post(reverse("visit-create"), data)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('visit-create')}?visitor={secretary_member.pk}&visited_on=2026-03-03"
    )
    visit = Visit.objects.get()
    assert (visit.visitor, visit.visited_on, visit.visitor_title) == (secretary_member, MARCH_3, "桂花村书记")
    assert visit.members.count() == 3
    following = entry_page(client, visitor=secretary_member.pk, visited_on="2026-03-03")
    assert following["visitor"] == str(secretary_member.pk)
    assert following["visited_on"] == "2026-03-03"


def test_a_double_submit_makes_one_visit(client_for, clerk_a, family, secretary_member):
    client = client_for(clerk_a)
    data = filled(client, family, secretary_member)
    first = client.post(reverse("visit-create"), data)
    second = client.post(reverse("visit-create"), data)  # Back and save again: the same token
    assert Visit.objects.count() == 1
    visit = Visit.objects.get()
    assert first["Location"] == second["Location"] == reverse("visit-detail", args=[visit.pk])


def test_a_correction_updates_the_household_and_is_the_snapshot(
    client_for, clerk_a, family, secretary_member
):
    client = client_for(clerk_a)
    data = filled(
        client, family, secretary_member, **{"hh-housing_area": "150", "residents-1-occupation": "保洁员"}
    )
    assert client.post(reverse("visit-create"), data).status_code == 302
    visit = Visit.objects.get()
    family.refresh_from_db()
    assert family.housing_area == Decimal("150") == visit.housing_area
    spouse = Resident.objects.get(name="李秀英")
    assert spouse.occupation == "保洁员"
    assert visit.members.get(name="李秀英").occupation == "保洁员"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hh-housing_area", "10000.01", "住房面积超过 10,000 ㎡"),
        ("hh-housing_area", "-1", "住房面积不能为负数"),
        ("hh-annual_income", "-5", "家庭年收入不能为负数"),
        ("hh-annual_income", "80000000", "家庭年收入超过"),
        ("visited_on", "2099-01-01", "日期不能晚于今天"),
        ("visited_on", "1950-01-01", "不能早于2000-01-01"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    client_for, clerk_a, family, secretary_member, field, value, message
):
    client = client_for(clerk_a)
    data = filled(client, family, secretary_member, **{field: value})
    response = client.post(reverse("visit-create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Visit.objects.count() == 0
    family.refresh_from_db()
    assert family.housing_area == Decimal("120")


def test_a_visit_before_the_household_existed_is_refused(client_for, clerk_a, family, secretary_member):
    Resident.objects.filter(household=family).update(birth_year=2005)
    client = client_for(clerk_a)
    data = filled(client, family, secretary_member)
    data["visited_on"] = "2003-05-01"
    response = client.post(reverse("visit-create"), data)
    assert "走访时间早于该户成立" in response.content.decode()
    assert not Visit.objects.exists()


def test_out_of_scope_household_and_visitor_are_refused(
    client_for, clerk_a, household_b, family, secretary_member, tree
):
    from tests.factories import PartyMemberFactory

    stranger = PartyMemberFactory(organisation=tree["village_b"], name="外村党员")
    client = client_for(clerk_a)
    data = filled(client, family, secretary_member)
    data.update(household=str(household_b.pk))
    response = client.post(reverse("visit-create"), data)
    assert "所选户不在您的管辖范围内" in response.content.decode()
    data = filled(client, family, secretary_member)
    data.update(visitor=str(stranger.pk))
    response = client.post(reverse("visit-create"), data)
    assert "所选党员不在您的管辖范围内" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_visit_not_settled_on_the_spot_registers_its_opinion(client_for, clerk_a, family, secretary_member):
    client = client_for(clerk_a)
    data = filled(
        client,
        family,
        secretary_member,
        problem="三组机耕道垮塌约10米，请求修复。\n雨季前最好完成。",
        handling="deadline",
        handling_text="已报村委会，10天内答复。",
        opinion_category="1",
    )
    response = client.post(reverse("visit-create"), data)
    assert response.status_code == 302
    visit = Visit.objects.get()
    opinion = Opinion.objects.get()
    assert visit.opinion == opinion and opinion.visit == visit
    assert opinion.channel == Channel.VISIT
    assert (opinion.reporter_name, opinion.reporter_address, opinion.reporter_phone) == (
        "王喆",
        "桂花村三组12号",
        "13800001234",
    )
    assert opinion.subject == "三组机耕道垮塌约10米，请求修复"
    assert opinion.received_on == MARCH_3 and opinion.due_date == datetime.date(2026, 3, 13)
    assert opinion.organisation == family.organisation and opinion.responsible == clerk_a
    detail = client.get(reverse("visit-detail", args=[visit.pk])).content.decode()
    assert opinion.number_display in detail
    opinion_page = client.get(reverse("opinion-detail", args=[opinion.pk])).content.decode()
    assert opinion.subject in opinion_page


def test_an_opinion_needs_its_category_and_nothing_is_half_saved(
    client_for, clerk_a, family, secretary_member
):
    client = client_for(clerk_a)
    data = filled(
        client,
        family,
        secretary_member,
        problem="路灯不亮。",
        handling="referred",
        handling_text="转供电所。",
        **{"hh-skills": "养蜂"},
    )
    response = client.post(reverse("visit-create"), data)
    assert "请选择意见类别" in response.content.decode()
    assert not Visit.objects.exists() and not Opinion.objects.exists()
    assert Household.objects.get(pk=family.pk).skills == "柑橘种植"  # the correction rolled back too


def test_edit_refuses_a_stale_save(client_for, clerk_a, visit_a):
    client = client_for(clerk_a)
    url = reverse("visit-update", args=[visit_a.pk])
    data = form_fields(client.get(url).content.decode())
    Visit.objects.filter(pk=visit_a.pk).update(situation="别人刚改过。")
    data["resident_opinion"] = "很满意"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "家访情况" in response.content.decode()
    visit_a.refresh_from_db()
    assert visit_a.resident_opinion == "满意"


def test_edit_corrects_the_log_not_the_household(client_for, clerk_a, visit_a, family):
    client = client_for(clerk_a)
    url = reverse("visit-update", args=[visit_a.pk])
    data = form_fields(client.get(url).content.decode())
    data["address"] = "桂花村三组12号附1号"
    assert client.post(url, data).status_code == 302
    visit_a.refresh_from_db()
    family.refresh_from_db()
    assert visit_a.address == "桂花村三组12号附1号"
    assert family.address == "桂花村三组12号"
