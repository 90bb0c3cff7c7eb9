"""Benchmark: the Excel import of 10,000 visits (a township catching up on a year of paper 民情日志: 2,000
households of 3, 20 visitors, 5 visits a household, 1 in 20 registering an Opinion), upload to commit,
then the idempotent re-import of the same file (nothing new). Timings live here, never in tests.

    .venv/bin/python scripts/bench_visit_import.py            # SQLite in a temporary directory
    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_visit_import.py
"""

from __future__ import annotations

import datetime
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
tmp = tempfile.mkdtemp(prefix="liaison-bench-visit-import-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings_test")
os.environ.setdefault("MEDIA_ROOT", f"{tmp}/media")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from feedback.models import Opinion  # noqa: E402
from liaison.models import Household, Organisation, Resident, Role, User  # noqa: E402
from members.models import PartyMember  # noqa: E402
from visits import imports  # noqa: E402
from visits.imports.columns import VISITS  # noqa: E402
from visits.models import Visit  # noqa: E402

HOUSEHOLDS = 2000
VISITORS = 20
PER_HOUSEHOLD = 5
START = datetime.date(2025, 1, 6)


def setup():
    call_command("migrate", verbosity=0)
    district = Organisation.objects.create(name="巴南区", code="bn", level="district")
    township = Organisation.objects.create(name="界石镇", code="js", level="township", parent=district)
    village = Organisation.objects.create(name="桂花村", code="gh", level="village", parent=township)
    branch = Organisation.objects.create(name="桂花村党支部", code="gh-1", level="branch", parent=village)
    households = Household.objects.bulk_create(
        Household(organisation=village, address=f"桂花村{h}号", head_name=f"户主{h}")
        for h in range(HOUSEHOLDS)
    )
    Resident.objects.bulk_create(
        Resident(
            household=h,
            name=f"{h.head_name}{'' if r == 0 else r}",
            relation="head" if r == 0 else "child",
            gender="M",
            birth_year=1960 + r * 25,
        )
        for h in households
        for r in range(3)
    )
    PartyMember.objects.bulk_create(
        PartyMember(organisation=branch, name=f"党员{v}", gender="M") for v in range(VISITORS)
    )
    return User.objects.create_user("bench", password="x", role=Role.TOWNSHIP_ADMIN, organisation=township)


def build_workbook() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(VISITS.title)
    sheet.append(VISITS.headers)
    for h in range(HOUSEHOLDS):
        for k in range(PER_HOUSEHOLD):
            n = h * PER_HOUSEHOLD + k
            opinion = n % 20 == 0
            cells = {
                "visitor": f"党员{n % VISITORS}",
                "village": "桂花村",
                "head_name": f"户主{h}",
                "visited_on": START + datetime.timedelta(days=(n * 7) % 330),
                "situation": "了解生产生活情况，宣传惠民政策。",
                "problem": "机耕道需要修复。" if opinion else "",
                "handling": "限期办理" if opinion else "现场办理",
                "handling_text": "报村委会研究。" if opinion else "当场答复。",
                "category": 1 if opinion else "",
                "resident_opinion": "满意",
            }
            sheet.append([cells.get(col.key, "") for col in VISITS.columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def timed(label: str, function):
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = function()
    elapsed = time.perf_counter() - start
    print(f"  {label:<36} {elapsed:6.2f} s  {len(queries):5d} queries")
    return result, elapsed


def run(user, content: bytes, label: str) -> float:
    print(f"{label}:")
    batch, t_upload = timed(
        "upload (quick checks, keep the file)",
        lambda: imports.upload(user=user, upload=SimpleUploadedFile("bench.xlsx", content)),
    )
    _, t_read = timed("read job (parse once, store rows)", lambda: imports.read_upload(batch))
    plan, t_preview = timed("preview (stored rows, check, match)", lambda: imports.preview(batch))
    assert plan.ok, plan.errors[:5]
    plan, t_commit = timed("commit job (fresh plan, write)", lambda: imports.commit(user=user, batch=batch))
    total = t_upload + t_read + t_preview + t_commit
    print(
        f"  {'total':<36} {total:6.2f} s   new {len(plan.new):,}, existing {plan.existing:,}, "
        f"opinions {plan.opinions:,}"
    )
    return total


def main() -> None:
    user = setup()
    content, _ = timed("build the 10,000-row workbook", build_workbook)
    print(f"workbook: {len(content) / 1024 / 1024:.1f} MiB; database: {connection.vendor}")
    first = run(user, content, "first import")
    second = run(user, content, "re-import of the same file")
    print(f"visits {Visit.objects.count():,}, opinions {Opinion.objects.count():,}")
    print(f"first {first:.1f} s, re-import {second:.1f} s")


if __name__ == "__main__":
    main()
