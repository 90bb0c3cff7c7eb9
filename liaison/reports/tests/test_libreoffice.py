"""The demo district's annual workbook opened by a real spreadsheet application: LibreOffice converts
every sheet to CSV headless (it recalculates the formulas, which openpyxl cannot), and the figures it
shows are the database's. CI installs Debian's libreoffice-calc-nogui (scripts/bootstrap.sh --test);
without soffice the test is skipped locally, and fails under CI=true so that CI never skips it."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from liaison.compliance import unit_kinds
from liaison.models import Organisation
from liaison.reports import workbook as wbm
from liaison.reports.figures import COUNTS, annual_figures
from liaison.text.numbers import rate

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# Every sheet to its own UTF-8 CSV (token 12: -1, LibreOffice ≥ 7.2), cells as shown (token 9).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def soffice() -> str:
    if SOFFICE:
        return SOFFICE
    if os.environ.get("CI"):
        pytest.fail("soffice not found under CI: scripts/bootstrap.sh --test installs libreoffice-calc-nogui")
    pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui")


def convert(xlsx: Path, out: Path) -> dict[str, list[list[str]]]:
    """Each sheet as CSV rows, converted in a private profile (HOME and UserInstallation), so that two
    runs at once never share LibreOffice's lock."""
    profile = out / "profile"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(out)},
    )
    sheets = {}
    for path in out.glob(f"{xlsx.stem}-*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[path.stem.removeprefix(f"{xlsx.stem}-")] = list(csv.reader(handle))
    return sheets


def shown_rate(part: int, whole: int) -> str:
    value = rate(part, whole)
    return "" if value is None else f"{value}%"


def test_the_demo_workbook_round_trips_through_libreoffice(tmp_path):
    call_command("seed_demo", stdout=StringIO())
    district = Organisation.objects.get(level=Organisation.Level.DISTRICT)
    year = timezone.localdate().year  # the demo's records run up to today
    xlsx = tmp_path / "annual.xlsx"
    rendered = wbm.build_workbook(district, year)
    xlsx.write_bytes(rendered.content.read())

    # openpyxl: the structure
    book = load_workbook(xlsx)
    figures = annual_figures(district, year)
    names = [t.row.label for t in figures.townships]
    assert book.sheetnames == ["总表", *names, "单位类别", "群众意见登记簿", "走访", "接待", "承诺", "规则"]

    # LibreOffice: the figures as a reader sees them, formulas computed
    sheets = convert(xlsx, tmp_path)
    assert set(sheets) == set(book.sheetnames)
    summary = sheets["总表"]
    headers = summary[2]
    assert headers[0] == "镇街" and headers[1:] == [f.header for f in wbm.FIGURES]
    col = {f.key or f.part + "/" + f.base: i + 1 for i, f in enumerate(wbm.FIGURES)}
    body = {row[0]: row for row in summary[3:]}
    assert list(body)[: len(names)] == names and list(body)[len(names) :] == [
        "镇街小计",
        "巴南区本级",
        "合计",
    ]

    def number(text: str):
        return float(text.replace(",", "")) if text else 0

    totals = dict.fromkeys(COUNTS, 0)
    for t in figures.townships:
        row = body[t.row.label]
        for key in COUNTS:
            assert number(row[col[key]]) == pytest.approx(float(t.row.values[key])), (t.row.label, key)
            totals[key] += t.row.values[key]
        assert row[col["visited_households/households"]] == shown_rate(
            t.row.values["visited_households"], t.row.values["households"]
        )
        assert row[col["opinions_on_time/opinions"]] == shown_rate(
            t.row.values["opinions_on_time"], t.row.values["opinions"]
        )
        summary_of = t.row.compliance
        assert row[col[wbm.COMPLIANCE_COUNTS]] == f"{summary_of.met}/{summary_of.total}"
        assert row[col[wbm.COMPLIANCE_RATE]] == f"{summary_of.rate}%"
    for key in COUNTS:
        totals[key] += figures.own.values[key]
        assert number(body["合计"][col[key]]) == pytest.approx(float(totals[key])), key
    assert body["合计"][col["lined/grassroots"]] == shown_rate(totals["lined"], totals["grassroots"])
    assert body["合计"][col[wbm.COMPLIANCE_COUNTS]] == f"{figures.compliance.met}/{figures.compliance.total}"

    # 单位类别: each pairing kind's 小计 and the 合计 as LibreOffice computes them, against the counts
    kinds = sheets["单位类别"]
    assert kinds[2][:2] == ["帮扶方式", "单位类别"]
    subtotals = {row[0]: row for row in kinds[3:] if row[1] == "小计"}
    for total in unit_kinds.totals(figures.unit_kinds):
        row = subtotals[total.pairing_label]
        assert [number(v) for v in row[2:6]] == [total.units, total.required, total.done, total.on_pace]
        assert row[6] == shown_rate(total.done, total.required)
    grand = kinds[-1]
    required = sum(r.required for r in figures.unit_kinds)
    done = sum(r.done for r in figures.unit_kinds)
    assert grand[0] == "合计" and grand[2] == "" and [number(v) for v in grand[3:5]] == [required, done]
    assert grand[6] == shown_rate(done, required)

    # the detail sheets: as many rows as the database holds, dates as dates
    from feedback.models import Opinion
    from visits.models import Visit

    assert len(sheets["走访"]) - 1 == Visit.objects.filter(visited_on__year=year).count()
    assert len(sheets["群众意见登记簿"]) - 1 == Opinion.objects.filter(received_on__year=year).count()
    assert sheets["走访"][1][2][:4] == str(year)
    first = (
        Visit.objects.filter(visited_on__year=year).order_by("organisation_id", "visited_on", "id").first()
    )
    assert sheets["走访"][1][:2] == [first.organisation.parent.display_name, first.organisation.display_name]
