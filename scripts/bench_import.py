"""Benchmark: the Excel import of 10,000 rows (2,500 households, 7,000 residents, 500 members) — target
< 30 s from upload to commit — and the idempotent re-import of the same file. Timings live here, never
in tests.

    .venv/bin/python scripts/bench_import.py            # SQLite in a temporary directory
    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_import.py
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
tmp = tempfile.mkdtemp(prefix="liaison-bench-import-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings_test")
os.environ.setdefault("MEDIA_ROOT", f"{tmp}/media")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from liaison.models import Household, Organisation, Resident, Role, User  # noqa: E402
from members import imports  # noqa: E402
from members.imports.columns import SHEETS  # noqa: E402
from members.models import PartyMember  # noqa: E402

VILLAGES = 10
HOUSEHOLDS = 2500
RESIDENTS = 7000
MEMBERS = 500
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CODES = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林谭冉向彭蒋邓曾唐"
GIVEN = "德明国华福贵荣昌志成忠信洪文建永光树清全兴林才海顺世正仁长学秀英桂兰淑芬玉珍琼凤翠碧喆堃犇燊"


def id_number(n: int, birth: datetime.date) -> str:
    body = f"500113{birth:%Y%m%d}{n % 1000:03d}"
    return body + CODES[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 13 + 3) % len(GIVEN)]


def build_workbook() -> bytes:
    workbook = Workbook(write_only=True)
    sheets = {spec.title: workbook.create_sheet(spec.title) for spec in SHEETS}
    for spec in SHEETS:
        sheets[spec.title].append(spec.headers)
    heads = []
    for i in range(HOUSEHOLDS):
        village = f"村{i % VILLAGES}"
        head = name(i)
        address = f"{village}{i % 9 + 1}组{i}号"
        heads.append((village, address, head))
        sheets["户"].append(
            [
                village,
                f"{i % 9 + 1}组",
                address,
                head,
                f"139{i:08d}",
                120 + i % 80,
                30000 + i * 7,
                "柑橘种植" if i % 3 else "",
                "",
                "",
                "",
                "低保户" if i % 25 == 0 else "",
            ]
        )
    used = set()
    for j in range(RESIDENTS):
        village, address, head = heads[j % HOUSEHOLDS]
        is_head = j < HOUSEHOLDS
        birth = datetime.date(1940 + j % 60, j % 12 + 1, j % 28 + 1)
        person = head if is_head else name(j + 100000)
        number = id_number(j, birth)
        if number in used or j % 4 == 0:
            number = ""
        used.add(number)
        sheets["家庭成员"].append(
            [
                village,
                address,
                head,
                person,
                "户主" if is_head else ("配偶" if j < 2 * HOUSEHOLDS else "子女"),
                "男" if j % 2 else "女",
                "" if number else birth.year,
                number,
                "",
                "务农",
                "否",
                "否",
                "",
                "",
                "",
            ]
        )
    for k in range(MEMBERS):
        birth = datetime.date(1950 + k % 50, k % 12 + 1, k % 28 + 1)
        sheets["党员"].append(
            [
                f"村{k % VILLAGES}党支部",
                f"党员{name(k + 500000)}{k}",
                "男",
                birth.isoformat(),
                "",
                "2000-07-01",
                "",
                "大学本科",
                "",
                "正式党员",
                "否",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    print(f"  {label:<34} {elapsed:6.2f} s")
    return result, elapsed


def run(user, content: bytes, label: str) -> float:
    print(f"{label}:")
    upload = SimpleUploadedFile("bench.xlsx", content)
    batch, t_upload = timed(
        "upload (quick checks, keep the file)", lambda: imports.upload(user=user, upload=upload)
    )
    _, t_read = timed("read job (parse once, store rows)", lambda: imports.read_upload(batch))
    t_upload += t_read
    plan, t_preview = timed("preview (stored rows, check, match)", lambda: imports.preview(batch))
    assert plan.ok, plan.errors[:5]
    plan, t_commit = timed("commit job (fresh plan, write)", lambda: imports.commit(user=user, batch=batch))
    counts = {k: (c.created, c.updated, c.unchanged) for k, c in plan.counts().items()}
    total = t_upload + t_preview + t_commit
    print(f"  {'total':<34} {total:6.2f} s   rows {plan.rows:,}; (created, updated, unchanged) {counts}")
    return total


def main() -> None:
    call_command("migrate", verbosity=0)
    district = Organisation.objects.create(name="巴南区", code="bn", level="district")
    township = Organisation.objects.create(name="界石镇", code="js", level="township", parent=district)
    for v in range(VILLAGES):
        village = Organisation.objects.create(name=f"村{v}", code=f"v{v}", level="village", parent=township)
        Organisation.objects.create(name=f"村{v}党支部", code=f"v{v}-1", level="branch", parent=village)
    user = User.objects.create_user("bench", password="x", role=Role.TOWNSHIP_ADMIN, organisation=township)
    content, _ = timed("build the 10,000-row workbook", build_workbook)
    print(f"workbook: {len(content) / 1024 / 1024:.1f} MiB")
    first = run(user, content, "first import")
    second = run(user, content, "re-import of the same file")
    print(
        f"database: {Household.objects.count():,} households, {Resident.objects.count():,} residents, "
        f"{PartyMember.objects.count():,} members"
    )
    print(
        f"target < 30 s: first {first:.1f} s, re-import {second:.1f} s — {'OK' if max(first, second) < 30 else 'TOO SLOW'}"
    )


if __name__ == "__main__":
    main()
