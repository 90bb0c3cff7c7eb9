"""Benchmark: one A4 household card in a warm process (target < 0.5 s), the two-part slips (反馈单
short and at its 2,000-character limit, each part rendered and stacked), and the household list's
query count and time at 100 and 1,000 households. Timings live here, never in tests.

    .venv/bin/python scripts/bench_pdf.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
tmp = tempfile.mkdtemp(prefix="liaison-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from liaison.documents.pdf import harfbuzz_subset_available, render_pdf  # noqa: E402
from liaison.models import Household, Organisation, Resident, Role, User  # noqa: E402
from liaison.printing import household_card_context  # noqa: E402
from liaison.selectors import household_detail  # noqa: E402
from liaison.text.pinyin import initials  # noqa: E402


def make_households(village: Organisation, count: int) -> None:
    surnames = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林"
    households = [
        Household(
            organisation=village,
            group=f"{i % 6 + 1}组",
            address=f"{village.name}{i % 6 + 1}组{i}号",
            head_name=f"{surnames[i % 20]}喆{i}",
            head_initials=initials(f"{surnames[i % 20]}喆"),
            phone="13812345678",
        )
        for i in range(count)
    ]
    Household.objects.bulk_create(households, batch_size=500)
    residents = [
        Resident(
            household=h,
            name=h.head_name,
            name_initials=initials(h.head_name),
            relation="head",
            gender="M",
            birth_year=1970,
        )
        for h in Household.objects.filter(organisation=village)
    ]
    Resident.objects.bulk_create(residents, batch_size=500)


def bench_slips(client: Client, user: User, village: Organisation) -> None:
    import datetime
    import io

    from pypdf import PdfReader

    from feedback.models.opinions import OPINION_TEXT_MAX
    from feedback.tests.factories import answer, register

    day = datetime.date(2026, 3, 3)
    for label, length in (("short", 40), ("longest", OPINION_TEXT_MAX)):
        opinion = register(user, village, received_on=day, reporter_name="王𠮷")
        result = ("经村两委会研究，已协调镇农业服务中心修复三组机耕道。" * 100)[:length]
        opinion = answer(user, opinion, on=day + datetime.timedelta(days=6), result=result)
        url = f"/opinions/{opinion.pk}/feedback-slip/pdf/"
        times = []
        for _ in range(4):
            start = time.perf_counter()
            response = client.get(url)
            pdf = b"".join(response.streaming_content)
            times.append(time.perf_counter() - start)
        sheets = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"反馈单 {label} ({length} characters of 办理结果): warm median {statistics.median(times[1:]):.3f} s, "
            f"{len(pdf) / 1024:.0f} KiB, {sheets} A4 sheet(s)"
        )


def main() -> None:
    call_command("migrate", verbosity=0)
    district = Organisation.objects.create(name="巴南区", code="bn", level="district")
    township = Organisation.objects.create(name="界石镇", code="js", level="township", parent=district)
    village = Organisation.objects.create(name="桂花村", code="gh", level="village", parent=township)
    user = User.objects.create_user("bench", password="x", role=Role.SECRETARY, organisation=township)
    make_households(village, 100)

    print(f"libharfbuzz-subset0 available: {harfbuzz_subset_available()}")
    household = household_detail(user=user, pk=Household.objects.first().pk)
    context = household_card_context(household=household, user=user)
    times = []
    for _ in range(6):
        start = time.perf_counter()
        render_pdf("liaison/print/household_card.html", context, filename="x.pdf")
        times.append(time.perf_counter() - start)
    print(
        f"household card PDF: first {times[0]:.3f} s, warm median {statistics.median(times[1:]):.3f} s "
        f"(max {max(times[1:]):.3f} s) — target < 0.5 s"
    )

    client = Client()
    client.force_login(user)
    bench_slips(client, user, village)
    for total in (100, 1000):
        if Household.objects.count() < total:
            make_households(
                Organisation.objects.create(
                    name=f"石岗村{total}", code=f"sg{total}", level="village", parent=township
                ),
                total - Household.objects.count(),
            )
        client.get("/households/")  # warm
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get("/households/")
            elapsed = time.perf_counter() - start
        assert response.status_code == 200
        print(
            f"household list at {Household.objects.count():>5} households: {len(ctx.captured_queries)} queries, "
            f"{elapsed * 1000:.0f} ms"
        )

        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get("/households/export.xlsx")
            size = sum(len(chunk) for chunk in response.streaming_content)
            elapsed = time.perf_counter() - start
        print(
            f"household export at {Household.objects.count():>5} households: {len(ctx.captured_queries)} queries, "
            f"{elapsed * 1000:.0f} ms, {size / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
