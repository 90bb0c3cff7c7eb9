"""Fixtures for members/ on top of the shared personas (root conftest.py): branches, members on both
sides of the tree, a 机关 unit with its branch, and MEDIA_ROOT in a temporary directory."""

from __future__ import annotations

import datetime

import pytest

from liaison.models import Organisation
from members.tests.factories import MemberFactory, branch, id_number
from tests.factories import OrganisationFactory, household_with_head

L = Organisation.Level


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded import files go to a directory the test owns."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def branches(tree):
    return {
        "a": branch(tree["village_a"], "桂花村第一党支部", "js-gh-1"),
        "b": branch(tree["village_b"], "石岗村党支部", "js-sg-1"),
        "community": branch(tree["community"], "南泉社区党支部", "nq-nq-1"),
        "township": branch(tree["township"], "界石镇机关党支部", "js-jg"),
    }


@pytest.fixture
def unit(tree):
    """区农业农村委机关党委 and its branch: the helping side of 联系帮扶."""
    unit = OrganisationFactory(
        name="区农业农村委机关党委", code="nync", level=L.UNIT, parent=tree["district"], unit_kind="organ"
    )
    return {"unit": unit, "branch": branch(unit, "区农业农村委机关第一党支部", "nync-1")}


@pytest.fixture
def two_new(tree):
    """A company's 党支部 under the township: a “两新” organisation, the helping side of 工农联姻."""
    return OrganisationFactory(
        name="重庆桂馨农业开发有限公司党支部",
        code="js-gx",
        level=L.BRANCH,
        parent=tree["township"],
        unit_kind="two_new",
    )


@pytest.fixture
def mass(tree):
    """区妇联机关党支部: a mass organisation, the helping side of 社团牵手."""
    return OrganisationFactory(
        name="区妇联机关党支部", code="fl-1", level=L.BRANCH, parent=tree["district"], unit_kind="mass"
    )


@pytest.fixture
def member_a(branches):
    return MemberFactory(
        organisation=branches["a"],
        name="张德明",
        phone="13800001111",
        id_number=id_number(datetime.date(1975, 5, 4), 111),
    )


@pytest.fixture
def member_a2(branches):
    return MemberFactory(organisation=branches["a"], name="李秀英", gender="F", phone="13800002222")


@pytest.fixture
def member_b(branches):
    return MemberFactory(organisation=branches["b"], name="王国华", phone="13800003333")


@pytest.fixture
def member_out(branches):
    """A member in another township (南泉社区)."""
    return MemberFactory(organisation=branches["community"], name="陈建军", phone="13800004444")


@pytest.fixture
def household_a2(tree):
    return household_with_head(organisation=tree["village_a"], head_name="刘桂兰", address="桂花村四组7号")


@pytest.fixture
def household_out(tree):
    return household_with_head(
        organisation=tree["community"], head_name="赵德珍", address="南泉社区虹桥路3号"
    )
