"""Households list in the order of the paper booklets: 小组 by number, then house number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.text.sorting import chinese_number, natural_key
from tests.factories import household_with_head


@pytest.mark.parametrize(
    ("text", "number"),
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("一百零五", 105), ("两", 2)],
)
def test_chinese_number(text, number):
    assert chinese_number(text) == number


def test_natural_key_orders_groups_and_house_numbers():
    groups = ["十一组", "二组", "一组", "十组", "三组"]
    assert sorted(groups, key=natural_key) == ["一组", "二组", "三组", "十组", "十一组"]
    assert sorted(["3组12号", "3组3号", "第10网格", "第2网格"], key=natural_key) == [
        "3组3号",
        "3组12号",
        "第2网格",
        "第10网格",
    ]


@pytest.mark.django_db
def test_list_is_in_booklet_order(client_for, clerk_a, tree):
    for group, address in [
        ("十组", "十组2号"),
        ("二组", "二组12号"),
        ("二组", "二组3号"),
        ("一组", "一组9号"),
    ]:
        household_with_head(organisation=tree["village_a"], group=group, address=address)
    page = client_for(clerk_a).get(reverse("household-list")).context["page"]
    assert [h.address for h in page.object_list] == ["一组9号", "二组3号", "二组12号", "十组2号"]
