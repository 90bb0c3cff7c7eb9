"""`manage.py seed_demo`: the demo district of 重庆市巴南区, one login per role, and a second run that adds nothing."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import RequestFactory

from liaison.demo import data as demo_data
from liaison.models import Household, Organisation, Resident, Role, User
from liaison.text.pinyin import initials
from liaison.validators import validate_id_number, validate_phone
from members.models import PartyMember

L = Organisation.Level
RARE_CHARACTERS = re.compile("[喆堃犇燊昇珺瑄祎]")

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    """Everything a re-run could duplicate or rewrite."""
    return {
        "organisations": list(
            Organisation.objects.order_by("code").values_list("code", "path", "parent__code")
        ),
        "households": Household.objects.count(),
        "residents": Resident.objects.count(),
        "tags": Household.tags.through.objects.count(),
        "members": PartyMember.objects.count(),
        "users": list(
            User.objects.order_by("username").values_list("username", "role", "organisation__code")
        ),
        "id_numbers": sorted(Resident.objects.exclude(id_number="").values_list("id_number", flat=True)),
    }


def test_demo_district():
    """One seed, checked from every side (seeding once per check would make the file slow)."""
    output = seed()
    check_organisation_tree()
    check_households_have_exactly_one_head()
    check_party_members()
    check_one_working_login_per_role(output)
    check_id_numbers_and_phones_are_valid_and_unique()
    check_some_names_use_rare_characters()
    check_away_residents_carry_the_second_eight_clear()


def test_running_twice_changes_nothing(monkeypatch):
    seed()
    before = snapshot()
    # A second run is also where the operator chose another address: it prints that one (DEMO_ADDR).
    monkeypatch.setenv("DEMO_ADDR", "0.0.0.0:8765")
    output = seed()
    assert snapshot() == before
    assert "登录地址：http://127.0.0.1:8765/（在所有网卡上监听" in output
    assert "8000" not in output.split("登录地址")[1]
    assert "本次新建：户 0，家庭成员 0，党员 0" in output
    assert (
        authenticate(
            RequestFactory().post("/accounts/login/"), username="jingban", password=demo_data.PASSWORD
        )
        is not None
    )


def check_organisation_tree() -> None:
    district = Organisation.objects.get(level=L.DISTRICT)
    assert district.code == "BN"
    assert district.name == f"中共{settings.LIAISON_REGION_NAME}委"
    assert Organisation.objects.filter(level=L.TOWNSHIP, parent=district).count() == 2
    grassroots = Organisation.objects.filter(level__in=[L.VILLAGE, L.COMMUNITY])
    assert grassroots.count() == 6
    assert {o.short_name for o in grassroots} >= {
        "桂花村",
        "石岗村",
        "楠竹村",
        "虎啸村",
        "南泉社区",
        "红星社区",
    }
    for organisation in [*grassroots, Organisation.objects.get(level=L.UNIT)]:
        assert organisation.children.filter(level=L.BRANCH).exists(), organisation


def check_households_have_exactly_one_head() -> None:
    households = Household.objects.annotate(
        heads=Count("residents", filter=Q(residents__relation=Resident.Relation.HEAD)),
        size=Count("residents"),
    )
    assert 250 <= households.count() <= 350
    assert set(households.values_list("heads", flat=True)) == {1}
    assert {size for size in households.values_list("size", flat=True)} <= set(range(1, 7))
    assert not Household.objects.exclude(organisation__level__in=[L.VILLAGE, L.COMMUNITY]).exists()
    # bulk_create skips save(): the initials must still be there, computed the same way.
    for household in Household.objects.all()[:50]:
        assert household.head_initials == initials(household.head_name)
        assert household.residents.get(relation=Resident.Relation.HEAD).name == household.head_name
    for resident in Resident.objects.all()[:200]:
        assert resident.name_initials == initials(resident.name)


def check_party_members() -> None:
    members = PartyMember.objects.all()
    assert 50 <= members.count() <= 70
    assert members.filter(household__isnull=False).exists()
    assert not members.exclude(organisation__level=L.BRANCH).exists()
    for member in members.filter(household__isnull=False).select_related("household"):
        assert member.household.residents.filter(name=member.name, is_party_member=True).exists(), member
        assert member.household.party_member_info
    for branch in Organisation.objects.filter(level=L.BRANCH):
        assert branch.members.filter(title=demo_data.SECRETARY_TITLE).count() == 1, branch


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        (None, "http://127.0.0.1:8000/"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("8080", "http://127.0.0.1:8080/"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000/"),
        ("192.168.1.20:8000", "http://192.168.1.20:8000/"),
        ("localhost:8001", "http://localhost:8001/"),
        ("[::]:8000", "http://[::1]:8000/"),
        ("[fe80::1]:8000", "http://[fe80::1]:8000/"),
    ],
)
def test_login_url_is_where_runserver_listens(addr, url):
    assert demo_data.login_url(addr) == url


def check_one_working_login_per_role(output: str) -> None:
    for role in Role:
        user = User.objects.get(role=role)
        assert (
            authenticate(
                RequestFactory().post("/accounts/login/"), username=user.username, password=demo_data.PASSWORD
            )
            == user
        )
    admin = authenticate(
        RequestFactory().post("/accounts/login/"), username="admin", password=demo_data.PASSWORD
    )
    assert admin is not None and admin.is_superuser and admin.is_staff
    assert User.objects.get(username="jingban").organisation.code == "BN-JS-GH"
    for username in ("jingban", "shuji", "zhenjie", "zuzhibu", "admin"):
        assert username in output
    assert "经办人" in output and demo_data.PASSWORD in output and "http://127.0.0.1:8000/" in output


def check_id_numbers_and_phones_are_valid_and_unique() -> None:
    residents = list(Resident.objects.exclude(id_number=""))
    adults = Resident.objects.filter(birth_year__lte=demo_data.REFERENCE_DATE.year - 18)
    assert (
        len([r for r in residents if r.birth_year <= demo_data.REFERENCE_DATE.year - 18])
        > 0.8 * adults.count()
    )
    for resident in residents:
        validate_id_number(resident.id_number)
        assert resident.id_number.startswith(demo_data.REGION_ID_PREFIX)
        assert resident.id_number[6:10] == str(resident.birth_year)
        assert int(resident.id_number[16]) % 2 == (1 if resident.gender == "M" else 0)
    assert len({r.id_number for r in residents}) == len(residents)
    member_ids = [m.id_number for m in PartyMember.objects.all()]
    assert all(member_ids) and len(set(member_ids)) == len(member_ids)
    for number in member_ids:
        validate_id_number(number)
    for phone in [
        *Resident.objects.values_list("phone", flat=True),
        *Household.objects.values_list("phone", flat=True),
    ]:
        validate_phone(phone)


def check_some_names_use_rare_characters() -> None:
    assert any(RARE_CHARACTERS.search(name) for name in Resident.objects.values_list("name", flat=True))


def check_away_residents_carry_the_second_eight_clear() -> None:
    away = Resident.objects.filter(is_away=True)
    assert away.exists()
    assert not away.filter(Q(away_location="") | Q(away_return="") | Q(away_income__isnull=True)).exists()
