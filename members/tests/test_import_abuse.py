"""Hostile and broken workbooks at /imports/upload/: refused with a Chinese message before any parsing
they could make expensive, and a good workbook is parsed once, not again at preview and commit."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook as OpenpyxlWorkbook

from liaison.models import Household
from members.imports import reader, storage
from members.imports.columns import SHEETS
from members.models import ImportBatch
from members.tests.import_utils import upload, workbook_bytes

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture
def importer(client_for, clerk_a, branches):
    return client_for(clerk_a)


def refused(importer, content: bytes) -> str:
    response = importer.post(reverse("import-upload"), {"file": upload(content)})
    assert response.status_code == 200
    assert not ImportBatch.objects.exists() and not list(storage.directory().iterdir())
    return re.sub(r"<[^>]+>", "", response.text)


def rewrite(content: bytes, edit) -> bytes:
    """The same workbook with `edit(name, data) -> data` applied to every member."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, edit(info.filename, source.read(info.filename)))
    return out.getvalue()


def sheet_of(title: str) -> str:
    return f"xl/worksheets/sheet{[s.title for s in SHEETS].index(title) + 1}.xml"


@pytest.fixture
def no_parsing(monkeypatch):
    """Fails the test if openpyxl is asked to open the file."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(reader, "load_workbook", refuse)


def bomb(unpacked: int) -> bytes:
    """The attacker's file: a valid-looking workbook whose first sheet unpacks to `unpacked` bytes."""
    good = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in good.infolist():
            if info.filename != sheet_of("户"):
                archive.writestr(info.filename, good.read(info.filename))
        with archive.open(sheet_of("户"), "w", force_zip64=True) as big:
            big.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            row = b'<row><c t="inlineStr"><is><t>a</t></is></c></row>' * 1000
            for _ in range(unpacked // len(row)):
                big.write(row)
            big.write(b"</sheetData></worksheet>")
    return out.getvalue()


class TestUnpackedSize:
    def test_the_200_mb_bomb_is_refused_before_parsing(self, importer, no_parsing):
        """The issue's file: under 1 MB packed, 200 MB unpacked (60 s and 484 MB of memory before)."""
        content = bomb(200 * MB)
        assert len(content) < MB
        text = refused(importer, content)
        assert reader.UNPACKS_TOO_LARGE.format(limit=48) in text

    def test_just_over_the_setting_is_refused(self, importer, no_parsing, settings):
        settings.LIAISON_IMPORT_MAX_UNPACKED_MB = 2
        assert reader.UNPACKS_TOO_LARGE.format(limit=2) in refused(importer, bomb(2 * MB))

    def test_the_biggest_legitimate_file_passes(self):
        """10,000 rows with every text column filled: well under the cap, so no clerk ever meets it."""
        workbook = OpenpyxlWorkbook(write_only=True)
        text = "房屋漏雨需要危房改造，建议修通组道路并解决饮水问题" * 2
        for spec in SHEETS:
            sheet = workbook.create_sheet(spec.title)
            sheet.append(spec.headers)
            if spec.title == "户":
                for i in range(10_000):
                    sheet.append(
                        ["界石镇桂花村", "三组", f"桂花村三组{i}号", "周瑄", "13987654321", 140, 36000]
                        + [f"{text}{i}"] * 4
                        + ["低保户、空巢老人、老党员"]
                    )
        out = io.BytesIO()
        workbook.save(out)
        unpacked = sum(i.file_size for i in zipfile.ZipFile(out).infolist())
        assert unpacked < reader.max_unpacked_bytes() / 2
        reader.check_upload("a.xlsx", len(out.getvalue()), out)  # no FileRefused

    def test_a_directory_that_understates_the_size_is_refused(self, importer, no_parsing):
        """The central directory says 100 bytes; zipfile stops there and the CRC check fails."""
        content = bytearray(workbook_bytes())
        name = sheet_of("户").encode()
        at = content.find(b"PK\x01\x02" + bytes(24)[:0])
        while True:
            at = content.find(b"PK\x01\x02", at + 1)
            length = struct.unpack("<H", content[at + 28 : at + 30])[0]
            if content[at + 46 : at + 46 + length] == name:
                break
        content[at + 24 : at + 28] = struct.pack("<I", 100)
        assert reader.DAMAGED in refused(importer, bytes(content))


class TestMalformed:
    def test_a_truncated_sheet(self, importer):
        content = rewrite(workbook_bytes(), lambda n, d: d[: len(d) // 2] if n == sheet_of("家庭成员") else d)
        assert reader.DAMAGED in refused(importer, content)

    def test_a_truncated_member(self, importer, no_parsing):
        """Bytes lost inside the archive (a broken copy): the CRC says so before openpyxl reads it."""
        content = bytearray(workbook_bytes())
        info = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo(sheet_of("家庭成员"))
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        content[start + 10 : start + 40] = bytes(30)
        assert reader.DAMAGED in refused(importer, bytes(content))

    def test_a_truncated_file(self, importer):
        content = workbook_bytes()
        assert reader.NOT_XLSX_CONTENT in refused(importer, content[: len(content) * 2 // 3])

    @pytest.mark.parametrize(
        ("part", "doctype"),
        [
            ("家庭成员", b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'),
            ("家庭成员", b"<!DOCTYPE worksheet>"),
            ("户", b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
            ("xl/workbook.xml", b'<!DOCTYPE workbook [<!ENTITY a "x">]>'),
            ("[Content_Types].xml", b"<!-- a comment first --><!doctype Types>"),
        ],
    )
    def test_a_dtd_is_refused_before_parsing(self, importer, no_parsing, part, doctype):
        target = part if "." in part else sheet_of(part)

        def edit(name: str, data: bytes) -> bytes:
            if name != target:
                return data
            root = re.search(rb"<[A-Za-z]", data).start()
            return data[:root] + doctype + data[root:]

        assert reader.HAS_DTD in refused(importer, rewrite(workbook_bytes(), edit))

    def test_the_word_doctype_inside_a_cell_is_only_text(self, importer):
        from members.tests.import_utils import HOUSEHOLDS

        households = [row[:] for row in HOUSEHOLDS]
        households[0][8] = "<!DOCTYPE> 房屋漏雨"
        response = importer.post(
            reverse("import-upload"),
            {"file": upload(workbook_bytes({"户": households, "家庭成员": [], "党员": []}))},
        )
        assert response.status_code == 302


class TestParsedOnce:
    def test_upload_preview_and_commit_parse_the_workbook_once(self, importer, monkeypatch):
        opened = []
        original = reader.load_workbook

        def counting(*args, **kwargs):
            opened.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(reader, "load_workbook", counting)
        response = importer.post(reverse("import-upload"), {"file": upload(workbook_bytes())})
        assert response.status_code == 302
        batch = ImportBatch.objects.get()
        assert importer.get(response["Location"]).context["counts"]["households"].created == 3
        assert importer.get(response["Location"]).status_code == 200  # a reload of the preview
        assert "导入完成" in importer.post(reverse("import-commit", args=[batch.token]), follow=True).text
        assert len(opened) == 1
        assert Household.objects.count() == 3

    def test_the_stored_rows_keep_every_cell_type(self):
        import datetime

        spec = SHEETS[0]
        rows = [
            (
                2,
                {
                    "village": "桂花村",
                    "phone": 13987654321,
                    "housing_area": 96.5,
                    "annual_income": None,
                    "skills": True,
                    "problems": datetime.datetime(2025, 3, 1, 8, 30),
                    "requests": datetime.date(2025, 3, 1),
                    "party_member_info": datetime.time(8, 30),
                    "tags": datetime.timedelta(days=2),
                },
            )
        ]
        workbook = reader.Workbook(
            sheets={spec.title: reader.SheetRows(spec, rows)},
            errors=[reader.CellError("户", 3, "标签", "公式")],
        )
        again = storage.loads(storage.dumps(workbook))
        assert again.sheets[spec.title].rows == rows and again.errors == workbook.errors
