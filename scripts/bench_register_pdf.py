"""Benchmark: the 登记簿 (附件4) PDF as the background job prints a long one — in parts, joined into one
file (feedback.views.prints.register_in_parts) — on the database Django is configured with. Prints the
rows, parts, pages, seconds, file size and the process's peak RSS. Timings live here, never in tests.

    DATABASE_URL=sqlite:////tmp/district.sqlite3 .venv/bin/python scripts/bench_register_pdf.py \\
        [--user zuzhibu] [--start 2025-01-01 --end 2026-12-31] [--per-part 400] [--out register.pdf]

Make the data with `manage.py seed_demo --scale district --households N` (about 0.15 opinions a
household: 34,000 households give ~5,000 opinions over two years). The register is the district's (the
top organisation with everything below it) as the user sees it. Run it under `/usr/bin/time -v` for a
second opinion on the peak.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings_dev")

import django  # noqa: E402

django.setup()

from django.http import QueryDict  # noqa: E402

from feedback.views import prints  # noqa: E402
from liaison.models import Organisation, User  # noqa: E402


class Bar:
    """A job's progress, printed: the same calls Progress takes."""

    def __call__(self, percent: float, stage: str | None = None) -> None:
        status = Path("/proc/self/status").read_text()
        rss = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
        print(
            f"{time.monotonic() - started:7.1f} s  {int(percent):3d}%  RSS {int(rss) // 1024} MB  {stage}",
            file=sys.stderr,
            flush=True,
        )

    def step(self, done: int, total: int, *, start: float = 0, end: float = 100, stage: str | None = None):
        self(start + (end - start) * (done / total if total else 1), stage)


def main() -> None:
    global started
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="zuzhibu")
    parser.add_argument("--start", default="")
    parser.add_argument("--end", default="")
    parser.add_argument("--per-part", type=int, default=prints.REGISTER_ROWS_PER_PART)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    prints.REGISTER_ROWS_PER_PART = args.per_part
    user = User.objects.get(username=args.user)
    district = Organisation.objects.filter(parent__isnull=True).order_by("path").first()
    query = QueryDict(mutable=True)
    query.update({"organisation": str(district.pk), "coverage": "all"})
    if args.start:
        query.update({"start": args.start, "end": args.end})
    else:
        query.update({"year": str(time.localtime().tm_year)})
    form, queryset = prints.register_request(query, user=user)
    if queryset is None:
        sys.exit(f"条件无效：{form.errors.as_text()}")
    rows = queryset.count()
    started = time.monotonic()
    rendered = prints.register_in_parts(form, queryset, user=user, progress=Bar())
    seconds = time.monotonic() - started
    out = Path(args.out or f"/tmp/{rendered.filename}")
    with out.open("wb") as handle:
        shutil.copyfileobj(rendered.content, handle)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    print(
        f"{rows} rows, parts of at most {args.per_part}, {pages} pages, {seconds:.0f} s, "
        f"{out.stat().st_size / 1e6:.1f} MB file, peak RSS {peak_mb:.0f} MB → {out}"
    )


started = 0.0

if __name__ == "__main__":
    main()
