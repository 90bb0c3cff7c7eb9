"""Bad input is a Chinese message next to the field, never a server error, never half-saved.

Each test here was a 500 or a saved implausible value before liaison.safeguards.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import io

import pytest
from django import forms
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from feedback.tests.factories import register
from liaison.models import Household
from liaison.safeguards.dates import RANGES, PlausibleDate
from liaison.safeguards.forms import GuardedFormMixin
from liaison.safeguards.ids import MAX_ID, parse_id
from liaison.safeguards.text import CONTAINS_CONTROL, printable
from members.models import PartyMember
from members.tests.factories import MemberFactory, branch

HUGE = "99999999999999999999999"
D = datetime.date


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class TestControlCharacters:
    def test_refused_next_to_the_field_and_nothing_saved(self, client, clerk_a, household_a):
        from tests.forms_utils import form_fields

        client.force_login(clerk_a)
        url = reverse("household-update", args=[household_a.pk])
        data = form_fields(client.get(url).content.decode())
        data["address"] = "桂花村\x01三组\x1b12号"
        response = client.post(url, data)
        assert response.status_code == 200
        assert CONTAINS_CONTROL in response.content.decode()
        assert Household.objects.get(pk=household_a.pk).address == "桂花村三组12号"

    def test_exports_survive_control_characters_already_stored(self, client, clerk_a, household_a):
        Household.objects.filter(pk=household_a.pk).update(address="桂花村\x01三组\x1b12号")
        household_a.residents.update(name="王\x0b喆")
        client.force_login(clerk_a)
        response = client.get(reverse("household-export"))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(content_of(response))).worksheets[0]
        values = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert "桂花村三组12号" in values

    def test_the_opinion_register_workbook_too(self, client, clerk_a, tree):
        opinion = register(clerk_a, received_on=D(2026, 3, 3))
        type(opinion).objects.filter(pk=opinion.pk).update(
            content="路灯\x1b不亮", reporter_address="三组\x01"
        )
        client.force_login(clerk_a)
        response = client.get(
            reverse("opinion-register-xlsx"), {"organisation": tree["village_a"].pk, "year": 2026}
        )
        assert response.status_code == 200
        load_workbook(io.BytesIO(content_of(response)))

    def test_printable_keeps_ordinary_text(self):
        assert printable("第一行\r\n\t第二行 喆") == "第一行\r\n\t第二行 喆"
        assert printable("a\x00b\x01c\x1bd\x7fe\x85f\ufffe") == "abcdef"


class TestHugeIdsAndNul:
    @pytest.mark.parametrize(
        "url",
        [
            "/pairings/new/?household=" + HUGE + "&member=" + HUGE,
            "/liaison-points/new/?leader=" + HUGE,
            "/coverage/?township=" + HUGE,
            "/households/?organisation=" + HUGE,
            "/members/?organisation=" + HUGE,
            "/opinions/?organisation=" + HUGE,
            "/members/lookup/members/?q=%00王",
            "/members/lookup/households/?q=%00138",
            "/households/?q=%00王",
            "/members/?q=%00王",
            "/opinions/?q=%00王",
            "/households/" + HUGE + "/",
            "/opinions/" + HUGE + "/",
        ],
    )
    def test_no_server_error(self, client, township_secretary, url):
        client.force_login(township_secretary)
        client.raise_request_exception = False
        assert client.get(url).status_code in (200, 400, 404)

    def test_a_huge_id_in_a_picker_is_an_invalid_choice(self, client, township_secretary, tree):
        from tests.forms_utils import form_fields

        client.force_login(township_secretary)
        data = form_fields(client.get(reverse("pairing-create")).content.decode())
        data.update(
            {"household": HUGE, "members": [HUGE], "start_date": "2025-03-01", "help_content": "种植"}
        )
        response = client.post(reverse("pairing-create"), data)
        assert response.status_code == 200
        assert "不在您的管辖范围内" in response.content.decode()

    def test_parse_id(self):
        assert parse_id("42") == 42
        assert parse_id(str(MAX_ID)) == MAX_ID
        assert parse_id(str(MAX_ID + 1)) is None
        assert parse_id("0") is None and parse_id("４２") is None and parse_id("1\x00") is None


class TestDates:
    def test_far_future_receipt_in_the_due_date_preview(self, client, clerk_a):
        client.force_login(clerk_a)
        response = client.get(reverse("opinion-due-dates"), {"received_on": "9999-12-31"})
        assert response.status_code == 400 and "反映时间" in response.json()["error"]

    def test_far_future_receipt_in_the_form(self, client, clerk_a, tree):
        from tests.forms_utils import form_fields

        client.force_login(clerk_a)
        data = form_fields(client.get(reverse("opinion-create")).content.decode())
        data.update(
            {
                "organisation": str(tree["village_a"].pk),
                "received_on": "9999-12-31",
                "channel": "hotline",
                "reporter_name": "王喆",
                "subject": "路灯",
                "content": "不亮",
                "category": "1",
            }
        )
        response = client.post(reverse("opinion-create"), data)
        assert response.status_code == 200
        assert "日期不能晚于" in response.content.decode()

    @pytest.mark.parametrize(
        ("field", "value", "saved"),
        [
            ("birth_date", "1899-12-31", False),
            ("birth_date", "1900-01-01", True),
            ("join_date", "1921-06-30", False),
            ("join_date", "1921-07-01", True),
            ("join_date", "9999-12-31", False),
        ],
    )
    def test_member_dates_on_their_boundaries(self, client, clerk_a, tree, field, value, saved):
        from tests.forms_utils import form_fields

        branch_a = branch(tree["village_a"], "桂花村第一党支部", "js-gh-1")
        client.force_login(clerk_a)
        data = form_fields(client.get(reverse("member-create")).content.decode())
        data.update({"organisation": str(branch_a.pk), "name": "李秀英", "gender": "F", field: value})
        if field == "join_date":
            data["birth_date"] = "1900-01-01"
        response = client.post(reverse("member-create"), data)
        assert PartyMember.objects.filter(name="李秀英").exists() is saved
        if not saved:
            assert response.status_code == 200 and "日期不能" in response.content.decode()

    def test_ranges_on_their_edges(self):
        today = D(2026, 12, 2)
        birth = RANGES["birth"]
        assert birth.contains(D(1900, 1, 1), today) and not birth.contains(D(1899, 12, 31), today)
        assert birth.contains(today, today) and not birth.contains(D(2026, 12, 3), today)
        plan = RANGES["plan"]
        assert plan.contains(D(2036, 12, 2), today) and not plan.contains(D(2036, 12, 3), today)

    def test_every_model_date_a_user_types_has_its_range(self):
        """Dates the system computes (due dates, history, copies such as Opinion.holder_received_on, which
        is not editable and copies the ranged Transfer.received_on) are exempt; everything typed is ranged."""
        from django.apps import apps

        computed = {
            "original_due_date",
            "due_date",
            "due_soon_from",
            "old_due_date",
            "new_due_date",
            "previous_due_date",
        }
        missing = []
        for model in apps.get_models():
            if model._meta.app_label not in {"members", "feedback"}:
                continue
            for field in model._meta.fields:
                typed = (
                    field.get_internal_type() == "DateField" and field.editable and field.name not in computed
                )
                if typed and not any(isinstance(v, PlausibleDate) for v in field.validators):
                    missing.append(f"{model.__name__}.{field.name}")
        # Assignment.due_date is typed by the user: it has the "plan" range.
        assert missing == []


class TestExtensionDates:
    def test_an_extension_to_9999_is_refused(self, client, clerk_a):
        from feedback.models import Extension
        from tests.forms_utils import form_fields

        opinion = register(clerk_a, received_on=D(2026, 3, 3))
        client.force_login(clerk_a)
        url = reverse("opinion-extension", args=[opinion.pk])
        data = form_fields(client.get(url).content.decode())
        data.update({"requested_due_date": "9999-12-31", "reason": "需要协调"})
        response = client.post(url, data)
        assert response.status_code == 200 and "日期不能晚于" in response.content.decode()
        assert not Extension.objects.exists()


def test_every_form_of_every_app_is_guarded():
    """A form a later app adds without the shared guard fails here."""
    unguarded = []
    for module_name in ("liaison.forms", "liaison.views.config", "members.forms", "feedback.forms"):
        module = importlib.import_module(module_name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ != module_name or not issubclass(obj, forms.BaseForm):
                continue
            if not issubclass(obj, GuardedFormMixin):
                unguarded.append(f"{module_name}.{name}")
    assert unguarded == []


@pytest.mark.postgres
class TestNulOnPostgres:
    """PostgreSQL cannot hold NUL in text at all: every path that used to send it there is a message."""

    def test_nul_in_lookups_searches_and_names(self, client, township_secretary, household_a):
        from tests.forms_utils import form_fields

        assert connection.vendor == "postgresql"
        client.force_login(township_secretary)
        client.raise_request_exception = False
        for url in (
            "/members/lookup/households/?q=王%00",
            "/members/lookup/members/?q=王%00",
            "/households/?q=王%00",
        ):
            assert client.get(url).status_code == 200
        url = reverse("household-update", args=[household_a.pk])
        data = form_fields(client.get(url).content.decode())
        data["residents-0-name"] = "王\x00喆"
        response = client.post(url, data)
        assert response.status_code == 200
        assert household_a.residents.get().name == "王喆"


@pytest.mark.parametrize("value", ["\x01", "\x1b", "a\x00b"])
def test_member_name_with_control_characters(client, clerk_a, tree, value):
    from tests.forms_utils import form_fields

    branch_a = branch(tree["village_a"], "桂花村第一党支部", "js-gh-1")
    MemberFactory(organisation=branch_a, name="张德明")
    client.force_login(clerk_a)
    data = form_fields(client.get(reverse("member-create")).content.decode())
    data.update({"organisation": str(branch_a.pk), "name": f"李{value}秀英", "gender": "F"})
    response = client.post(reverse("member-create"), data)
    assert response.status_code == 200
    assert PartyMember.objects.count() == 1


class TestMalformedWorkbooks:
    """A truncated or DTD-laden workbook at /imports/upload/ is a message next to the file field."""

    def _post(self, client, user, content: bytes):
        from members.tests.import_utils import upload

        client.force_login(user)
        client.raise_request_exception = False
        return client.post(reverse("import-upload"), {"file": upload(content)})

    def _refused(self, response) -> None:
        from members.models import ImportBatch

        assert response.status_code == 200
        assert "invalid-feedback" in response.content.decode()  # a message next to the file field
        assert not ImportBatch.objects.exists()

    def _rewrite(self, content: bytes, change) -> bytes:
        import zipfile

        source = zipfile.ZipFile(io.BytesIO(content))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                target.writestr(item, change(item.filename, source.read(item.filename)))
        return out.getvalue()

    def test_truncated(self, client, clerk_a, settings, tmp_path):
        from members.tests.import_utils import workbook_bytes

        settings.MEDIA_ROOT = tmp_path
        content = workbook_bytes()
        response = self._post(client, clerk_a, content[: len(content) // 2])
        assert (
            response.status_code == 200
            and "不是有效的" in response.content.decode()
            or "xlsx" in response.content.decode()
        )

    def test_a_sheet_cut_off_inside(self, client, clerk_a, settings, tmp_path):
        from members.tests.import_utils import workbook_bytes

        settings.MEDIA_ROOT = tmp_path

        def cut(name: str, data: bytes) -> bytes:
            return data[: len(data) // 2] if name.startswith("xl/worksheets/") else data

        self._refused(self._post(client, clerk_a, self._rewrite(workbook_bytes(), cut)))

    def test_dtd_laden(self, client, clerk_a, settings, tmp_path):
        from members.tests.import_utils import workbook_bytes

        settings.MEDIA_ROOT = tmp_path
        bomb = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        )

        def laden(name: str, data: bytes) -> bytes:
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                return bomb + data.split(b"?>", 1)[-1]
            return data

        self._refused(self._post(client, clerk_a, self._rewrite(workbook_bytes(), laden)))
