"""Search by full pinyin as well as initials (issue 11): "gongkun" and "gong" find 龚堃, as "gk" does, in
every search box that takes a name, and opinions are found by the reporter's pinyin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.tests.factories import register
from liaison.models import Organisation
from liaison.text.pinyin import initials, looks_like_initials, search_key
from tests.factories import OrganisationFactory, PartyMemberFactory, ResidentFactory, household_with_head

pytestmark = pytest.mark.django_db
FINDS_GONG_KUN = ("gk", "gong", "gongk", "gongkun", "GongKun")
MISSES = ("kun", "gz", "gongkuna", "ongkun")


def test_the_key_holds_initials_and_full_pinyin_of_every_reading_of_the_surname():
    assert initials("龚堃") == " gk gongkun"
    assert initials("曾国藩") == " cgf zgf cengguofan zengguofan"
    assert initials("") == "" and initials("𠮷") == ""
    for query in FINDS_GONG_KUN:
        assert search_key(query) in initials("龚堃")
    for query in MISSES:
        assert search_key(query) not in initials("龚堃")
    assert (
        looks_like_initials("zhangguohua") and not looks_like_initials("张") and not looks_like_initials("z1")
    )


def test_household_list_finds_a_resident_by_full_pinyin(client_for, clerk_a, tree):
    household = household_with_head(organisation=tree["village_a"], head_name="龚堃", address="一组1号")
    other = household_with_head(organisation=tree["village_a"], head_name="李四", address="一组2号")
    ResidentFactory(household=other, name="郭坤", relation="spouse")  # gk too, but not gong…
    client = client_for(clerk_a)
    for query in ("gong", "gongkun"):
        rows = list(client.get(reverse("household-list"), {"q": query}).context["page"].object_list)
        assert rows == [household], query
    rows = {h.pk for h in client.get(reverse("household-list"), {"q": "gk"}).context["page"].object_list}
    assert rows == {
        household.pk,
        other.pk,
    }  # the spouse 郭坤 of another household: searched once, heads included
    assert not client.get(reverse("household-list"), {"q": "kun"}).context["page"].object_list


def test_household_search_stays_in_scope(client_for, clerk_b, tree):
    household_with_head(organisation=tree["village_a"], head_name="龚堃", address="一组1号")
    client = client_for(clerk_b)
    assert not client.get(reverse("household-list"), {"q": "gongkun"}).context["page"].object_list


def test_household_search_by_name_and_address(client_for, clerk_a, tree):
    by_head = household_with_head(organisation=tree["village_a"], head_name="龚堃", address="一组1号")
    by_address = household_with_head(organisation=tree["village_a"], head_name="李四", address="堃园路2号")
    client = client_for(clerk_a)
    rows = {h.pk for h in client.get(reverse("household-list"), {"q": "堃"}).context["page"].object_list}
    assert rows == {by_head.pk, by_address.pk}


def test_member_list_and_lookup_find_full_pinyin(client_for, clerk_a, tree):
    branch = OrganisationFactory(level=Organisation.Level.BRANCH, parent=tree["village_a"], code="gh-1")
    member = PartyMemberFactory(organisation=branch, name="龚堃")
    PartyMemberFactory(organisation=branch, name="郭坤")
    client = client_for(clerk_a)
    for query in ("gong", "gongkun"):
        rows = list(client.get(reverse("member-list"), {"q": query}).context["page"].object_list)
        assert [m.pk for m in rows] == [member.pk], query
    found = client.get(reverse("members-member-lookup"), {"q": "gongkun"}).json()
    assert "龚堃" in str(found) and "郭坤" not in str(found)


def test_opinions_are_found_by_the_reporters_pinyin(client_for, clerk_a):
    mine = register(clerk_a, reporter_name="龚堃")
    register(clerk_a, reporter_name="郭坤")
    assert mine.reporter_initials == " gk gongkun"
    client = client_for(clerk_a)
    for query in ("gong", "gongkun"):
        rows = list(client.get(reverse("opinion-list"), {"q": query}).context["page"].object_list)
        assert [o.pk for o in rows] == [mine.pk], query
    assert len(client.get(reverse("opinion-list"), {"q": "gk"}).context["page"].object_list) == 2


def test_renaming_the_reporter_rekeys_the_opinion(clerk_a):
    opinion = register(clerk_a, reporter_name="龚堃")
    opinion.reporter_name = "张三"
    opinion.save(update_fields=["reporter_name"])
    opinion.refresh_from_db()
    assert opinion.reporter_initials == " zs zhangsan"
