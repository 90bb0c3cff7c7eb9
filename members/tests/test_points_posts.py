"""联系点 (1–3 per leader, contacts per month against 003's average) and 设岗定责 (posts, holders, reports)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import LiaisonContact, LiaisonPoint, Post, PostAssignment, PostReport
from members.selectors.points import point_year
from members.services import points as point_service
from members.services import posts as post_service
from members.tests.factories import MemberFactory
from tests.forms_utils import form_fields

pytestmark = pytest.mark.django_db
D = datetime.date


def field_error(response, field: str) -> str:
    match = re.search(rf'id="error_1_id_{field}"><strong>(.*?)</strong>', response.text)
    return match.group(1) if match else ""


@pytest.fixture
def leader(branches):
    return MemberFactory(organisation=branches["township"], name="陈建国")


class TestLiaisonPoints:
    def post_point(self, client, leader, organisation, **values):
        data = form_fields(client.get(reverse("point-create")).text)
        data.update(
            {"leader": str(leader.pk), "organisation": str(organisation.pk), "started_on": "2025-01-10"},
            **values,
        )
        return client.post(reverse("point-create"), data)

    def test_up_to_three_points_then_refused(self, client_for, township_secretary, leader, tree, unit):
        client = client_for(township_secretary)
        for organisation in (tree["village_a"], tree["village_b"], unit["unit"]):
            assert self.post_point(client, leader, organisation).status_code == 302
        response = self.post_point(client, leader, tree["community"])
        assert field_error(response, "leader") == point_service.TOO_MANY_POINTS.format(n=3)
        assert LiaisonPoint.objects.count() == 3

    def test_an_ended_point_frees_a_place(self, township_secretary, leader, tree, unit):
        for organisation in (tree["village_a"], tree["village_b"]):
            point_service.liaison_point_save(
                user=township_secretary,
                point=None,
                leader=leader,
                organisation=organisation,
                started_on=D(2025, 1, 1),
            )
        point_service.liaison_point_save(
            user=township_secretary,
            point=None,
            leader=leader,
            organisation=unit["unit"],
            started_on=D(2024, 1, 1),
            ended_on=D(2024, 12, 31),
        )
        point_service.liaison_point_save(
            user=township_secretary,
            point=None,
            leader=leader,
            organisation=unit["branch"],  # a unit's branch: a 联系点 outside any village may be anywhere
            started_on=D(2025, 1, 1),
        )
        assert LiaisonPoint.objects.filter(ended_on__isnull=True).count() == 3

    def test_leader_outside_the_scope(self, client_for, clerk_a, member_b, tree):
        response = self.post_point(client_for(clerk_a), member_b, tree["village_a"])
        assert field_error(response, "leader") == "所选党员不在您的管辖范围内。"
        assert not LiaisonPoint.objects.exists()

    def test_the_same_point_twice(self, township_secretary, leader, tree):
        from django.core.exceptions import ValidationError

        point_service.liaison_point_save(
            user=township_secretary,
            point=None,
            leader=leader,
            organisation=tree["village_a"],
            started_on=D(2025, 1, 1),
        )
        with pytest.raises(ValidationError) as caught:
            point_service.liaison_point_save(
                user=township_secretary,
                point=None,
                leader=leader,
                organisation=tree["village_a"],
                started_on=D(2025, 2, 1),
            )
        assert caught.value.message_dict["organisation"] == [point_service.DUPLICATE_POINT]

    def test_contacts_and_the_monthly_average(self, client_for, township_secretary, leader, tree):
        point = LiaisonPoint.objects.create(
            leader=leader, organisation=tree["village_a"], started_on=D(2025, 7, 1)
        )
        client = client_for(township_secretary)
        response = client.post(
            reverse("point-contact-create", args=[point.pk]),
            {"date": "2025-06-30", "method": "visit", "content": "走访"},
        )
        assert field_error(response, "date") == point_service.CONTACT_BEFORE_START.format(start="2025-07-01")
        # July–December: six months due; five contacts (one in each month but November) is below the average.
        for month in (7, 8, 9, 10, 12):
            assert (
                client.post(
                    reverse("point-contact-create", args=[point.pk]),
                    {"date": f"2025-{month:02d}-15", "method": "visit", "content": "调研"},
                ).status_code
                == 302
            )
        year = point_year(point, 2025, today=D(2026, 2, 1))
        assert (year["frequency"].contacts, year["frequency"].months, year["frequency"].met) == (5, 6, False)
        assert [m["count"] for m in year["months"]][6:] == [1, 1, 1, 1, 0, 1]
        LiaisonContact.objects.create(
            point=point, date=D(2025, 12, 31), content="电话了解情况", method="phone"
        )
        assert (
            point_year(point, 2025, today=D(2026, 2, 1))["frequency"].met is True
        )  # 6 in 6 months: average met
        assert point_year(point, 2026, today=D(2026, 1, 20))["frequency"].met is None  # no whole month yet

    def test_the_page_shows_the_month_in_progress(self, client_for, township_secretary, leader, tree):
        point = LiaisonPoint.objects.create(
            leader=leader, organisation=tree["village_a"], started_on=D(2024, 1, 1)
        )
        text = client_for(township_secretary).get(reverse("point-detail", args=[point.pk])).text
        assert "本月进行中" in text and "平均每月不少于 1 次" in text


class TestPosts:
    def test_standard_catalogue(self, client_for, clerk_a, tree):
        client = client_for(clerk_a)
        client.post(reverse("post-standard"), {"organisation": tree["village_a"].pk})
        client.post(reverse("post-standard"), {"organisation": tree["village_a"].pk})  # twice: no duplicates
        names = set(Post.objects.filter(organisation=tree["village_a"]).values_list("name", flat=True))
        assert {
            "政策宣讲",
            "致富带头",
            "入党积极分子培养",
            "维护社会治安",
            "矛盾纠纷调解",
            "环境卫生监督",
            "关心下一代",
        } == names

    def test_standard_catalogue_for_another_village_is_refused(self, client_for, clerk_a, tree):
        client_for(clerk_a).post(reverse("post-standard"), {"organisation": tree["village_b"].pk})
        assert not Post.objects.exists()

    def test_member_chooses_a_post_and_reports_yearly(self, client_for, clerk_a, tree, member_a):
        post = Post.objects.create(
            organisation=tree["village_a"], name="政策宣讲", responsibilities="宣讲政策"
        )
        client = client_for(clerk_a)
        url = reverse("post-assign", args=[post.pk])
        data = form_fields(client.get(url).text)
        data.update(
            {"member": str(member_a.pk), "source": "chosen", "duties": "负责三组", "start_date": "2024-03-01"}
        )
        assert client.post(url, data).status_code == 302
        assignment = PostAssignment.objects.get()
        report_url = reverse("post-holder-report", args=[assignment.pk])
        for content in ("宣讲12次", "宣讲15次"):  # the second report of the year corrects the first
            assert (
                client.post(
                    report_url, {"year": "2025", "content": content, "submitted_on": "2026-01-10"}
                ).status_code
                == 302
            )
        assert list(PostReport.objects.values_list("year", "content")) == [(2025, "宣讲15次")]
        response = client.post(report_url, {"year": "2023", "content": "x", "submitted_on": "2026-01-10"})
        assert field_error(response, "year") == post_service.REPORT_YEAR_RANGE.format(
            first=2024, last=timezone.localdate().year
        )

    def test_only_posts_of_the_members_own_organisation_or_above(
        self, client_for, township_secretary, tree, member_a
    ):
        post = Post.objects.create(
            organisation=tree["village_b"], name="环境卫生监督", responsibilities="督促"
        )
        client = client_for(township_secretary)
        url = reverse("post-assign", args=[post.pk])
        data = form_fields(client.get(url).text)
        data.update({"member": str(member_a.pk), "source": "assigned", "start_date": "2025-01-01"})
        response = client.post(url, data)
        assert field_error(response, "member") == post_service.POST_NOT_OWN
        assert not PostAssignment.objects.exists()

    def test_twice_on_the_same_post(self, clerk_a, tree, member_a):
        from django.core.exceptions import ValidationError

        post = Post.objects.create(organisation=tree["village_a"], name="致富带头", responsibilities="带头")
        post_service.post_assign(
            user=clerk_a, post=post, member=member_a, source="chosen", duties="", start_date=D(2025, 1, 1)
        )
        with pytest.raises(ValidationError) as caught:
            post_service.post_assign(
                user=clerk_a, post=post, member=member_a, source="chosen", duties="", start_date=D(2025, 2, 1)
            )
        assert caught.value.message_dict["member"] == [post_service.ALREADY_ON_POST]

    def test_duplicate_post_name(self, client_for, clerk_a, tree):
        Post.objects.create(organisation=tree["village_a"], name="政策宣讲", responsibilities="x")
        client = client_for(clerk_a)
        data = form_fields(client.get(reverse("post-create")).text)
        data.update({"organisation": str(tree["village_a"].pk), "name": "政策宣讲", "responsibilities": "y"})
        assert field_error(client.post(reverse("post-create"), data), "name") == post_service.DUPLICATE_POST
