"""The access log (issue 8): every look at a full phone or ID number, every export and print of personal
data, and every complete-number search by a masked role; append-only; searchable by the 组织部."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.access_log import DATE_RANGE
from liaison.models import AccessLog, Role
from liaison.models.access_log import AppendOnlyError
from tests.factories import OrganisationFactory, UserFactory, household_with_head
from tests.test_privacy import HOUSEHOLD_PHONE, RESIDENT_ID, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(tree):
    return make_household(tree)


def rows() -> list[AccessLog]:
    return list(AccessLog.objects.order_by("id"))


class TestWhatIsLogged:
    def test_a_page_with_full_numbers_is_one_row_with_the_records(self, client_for, clerk_a, household):
        client_for(clerk_a).get(reverse("household-detail", args=[household.pk]), REMOTE_ADDR="10.1.2.3")
        [row] = rows()
        head = household.residents.get()
        assert (row.user, row.organisation, row.kind, row.full_numbers) == (
            clerk_a,
            clerk_a.organisation,
            AccessLog.Kind.VIEW,
            True,
        )
        assert row.address == "10.1.2.3"
        assert row.path == f"/households/{household.pk}/"
        assert {r["model"]: r["ids"] for r in row.records} == {
            "liaison.household": [household.pk],
            "liaison.resident": [head.pk],
        }
        assert row.record_summary == "户 1 条；家庭成员 1 条"

    def test_a_list_of_many_records_is_still_one_insert(
        self, client_for, clerk_a, tree, django_assert_num_queries
    ):
        for i in range(30):
            household_with_head(organisation=tree["village_a"], address=f"{i}号", phone=f"138000000{i:02d}")
        client = client_for(clerk_a)
        client.get(reverse("household-list"))
        [row] = rows()
        assert len(row.records[0]["ids"]) == 30

    def test_masked_pages_are_not_logged(self, client_for, township_admin, household):
        client = client_for(township_admin)
        client.get(reverse("household-detail", args=[household.pk]))
        client.get(reverse("household-update", args=[household.pk]))
        client.get(reverse("household-list"))
        assert rows() == []

    def test_the_edit_form_with_full_numbers_is_a_view(self, client_for, clerk_a, household):
        client_for(clerk_a).get(reverse("household-update", args=[household.pk]))
        [row] = rows()
        assert row.kind == AccessLog.Kind.VIEW and row.full_numbers

    def test_an_export_is_logged_masked_or_not(self, client_for, clerk_a, township_admin, household):
        client_for(township_admin).get(reverse("household-export"))
        client_for(clerk_a).get(reverse("household-export"), {"organisation": household.organisation_id})
        masked, full = rows()
        assert (masked.kind, masked.full_numbers, masked.records) == (AccessLog.Kind.EXPORT, False, [])
        assert (full.kind, full.full_numbers, full.user) == (AccessLog.Kind.EXPORT, True, clerk_a)
        assert full.path == f"/households/export.xlsx?organisation={household.organisation_id}"

    def test_a_print_is_logged(self, client_for, township_admin, household):
        client_for(township_admin).get(reverse("household-pdf", args=[household.pk]))
        [row] = rows()
        assert (row.kind, row.full_numbers) == (AccessLog.Kind.PRINT, False)

    def test_the_blank_import_template_is_not_personal_data(self, client_for, clerk_a):
        response = client_for(clerk_a).get(reverse("import-template"))
        assert response.status_code == 200
        assert rows() == []

    def test_a_complete_number_search_by_a_masked_role_is_logged_masked(
        self, client_for, township_admin, household
    ):
        client = client_for(township_admin)
        client.get(reverse("household-list"), {"q": "138"})  # a fragment: matches nothing, not a search
        client.get(reverse("household-list"), {"q": HOUSEHOLD_PHONE})
        [row] = rows()
        assert (row.kind, row.searched) == (AccessLog.Kind.SEARCH, "138****2222")
        assert HOUSEHOLD_PHONE not in row.path and "138****2222" in row.path

    def test_numbers_in_the_path_are_masked(self, client_for, clerk_a, household):
        client_for(clerk_a).get(reverse("household-list"), {"q": RESIDENT_ID})
        [row] = rows()
        assert RESIDENT_ID not in row.path
        assert RESIDENT_ID[-4:] in row.path


class TestAppendOnly:
    @pytest.fixture
    def row(self, clerk_a):
        return AccessLog.objects.create(user=clerk_a, kind=AccessLog.Kind.VIEW, path="/")

    def test_a_row_cannot_be_changed_or_deleted(self, row):
        row.path = "/elsewhere/"
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
        with pytest.raises(AppendOnlyError):
            AccessLog.objects.filter(pk=row.pk).update(path="/x/")
        with pytest.raises(AppendOnlyError):
            AccessLog.objects.all().delete()
        row.refresh_from_db()
        assert row.path == "/"

    def test_the_admin_is_read_only(self, client, row, tree):
        admin = UserFactory(
            username="root", is_staff=True, is_superuser=True, role="", organisation=tree["district"]
        )
        client.force_login(admin)
        assert client.get(reverse("admin:liaison_accesslog_changelist")).status_code == 200
        assert client.get(reverse("admin:liaison_accesslog_add")).status_code == 403
        assert (
            client.post(reverse("admin:liaison_accesslog_delete", args=[row.pk]), {"post": "yes"}).status_code
            == 403
        )
        page = client.get(reverse("admin:liaison_accesslog_change", args=[row.pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.text
        assert AccessLog.objects.filter(pk=row.pk).exists()


class TestPage:
    URL = reverse("accesslog-list")

    def test_only_the_organisation_department_reads_it(
        self, client_for, clerk_a, township_secretary, township_admin, org_dept
    ):
        for user in (clerk_a, township_secretary, township_admin):
            assert client_for(user).get(self.URL).status_code == 403
        response = client_for(org_dept).get(self.URL)
        assert response.status_code == 200
        assert 'href="/access-log/"' in response.text  # in the menu

    def test_the_menu_link_is_not_shown_to_other_roles(self, client_for, township_admin):
        assert 'href="/access-log/"' not in client_for(township_admin).get(reverse("dashboard")).text

    def _log(self, user, at: datetime.datetime, kind=AccessLog.Kind.VIEW) -> AccessLog:
        return AccessLog.objects.create(
            user=user, organisation=user.organisation, kind=kind, path="/households/", at=at
        )

    def test_search_by_user_organisation_and_date(
        self, client_for, clerk_a, clerk_b, outsider, org_dept, tree
    ):
        day = timezone.make_aware(datetime.datetime(2026, 3, 3, 10))
        a = self._log(clerk_a, day)
        b = self._log(clerk_b, day + datetime.timedelta(days=1))
        c = self._log(outsider, day + datetime.timedelta(days=2), kind=AccessLog.Kind.EXPORT)
        client = client_for(org_dept)

        def found(**query) -> list[int]:
            return [row.pk for row in client.get(self.URL, query).context["page"].object_list]

        assert found() == [c.pk, b.pk, a.pk]
        assert found(user="clerk_a") == [a.pk]
        assert found(user=clerk_b.full_name) == [b.pk]
        assert found(organisation=tree["township"].pk) == [b.pk, a.pk]
        assert found(organisation=tree["community"].pk) == [c.pk]
        assert found(start="2026-03-04", end="2026-03-04") == [b.pk]
        assert found(start="2026-03-04") == [c.pk, b.pk]
        assert found(kind="export") == [c.pk]
        response = client.get(self.URL, {"start": "2026-03-05", "end": "2026-03-01"})
        assert DATE_RANGE in response.text and list(response.context["page"].object_list) == []

    def test_scoped_to_the_readers_subtree(self, client_for, clerk_a, outsider, tree):
        """An organisation-department reader placed at a township sees its township's rows only."""
        reader = UserFactory(role=Role.ORG_DEPT, organisation=tree["township"])
        now = timezone.now()
        mine = self._log(clerk_a, now)
        self._log(outsider, now)
        response = client_for(reader).get(self.URL)
        assert [row.pk for row in response.context["page"].object_list] == [mine.pk]
        other = client_for(reader).get(self.URL, {"organisation": tree["community"].pk})
        assert list(other.context["page"].object_list) == []

    @pytest.mark.parametrize("count", [5, 60])
    def test_query_count_is_constant(self, client_for, org_dept, tree, count, django_assert_num_queries):
        users = [
            UserFactory(
                role=Role.CLERK, organisation=OrganisationFactory(level="village", parent=tree["township"])
            )
            for _ in range(3)
        ]
        now = timezone.now()
        AccessLog.objects.bulk_create(
            AccessLog(
                user=users[i % 3], organisation=users[i % 3].organisation, kind="view", path="/", at=now
            )
            for i in range(count)
        )
        client = client_for(org_dept)
        # session, user with the scope root, count, page (users and organisations joined), the organisation choices
        with django_assert_num_queries(5):
            response = client.get(self.URL)
        assert len(response.context["page"].object_list) == min(count, 50)
