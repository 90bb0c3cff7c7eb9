"""`python -m benchmarks`: the benchmark harness (issue #10). Timings live here, never in tests.

    python -m benchmarks                                   # the database of DATABASE_URL
    python -m benchmarks --db sqlite-400k=sqlite:////tmp/400k.sqlite3 --db pg-400k=postgres://…
    python -m benchmarks --only 户 --runs 5 --out bench-results

With several --db, each database is measured in a process of its own (Django binds one database per
process) and the results are merged into one table. It writes `<out>/bench.md` and
`<out>/bench.json` and prints the markdown table. Build the data set first with
`manage.py seed_demo --scale district [--households N]`; `make bench` and `bash .ci/run bench` do both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", action="append", default=[], metavar="LABEL=URL", help="a database to measure (repeatable)"
    )
    parser.add_argument(
        "--label", default="", help="the label of the DATABASE_URL database (one-database mode)"
    )
    parser.add_argument("--runs", type=int, default=10, help="warm runs per scenario (default 10)")
    parser.add_argument("--only", default="", help="only scenarios whose name or group contains this text")
    parser.add_argument("--quick", action="store_true", help="skip the district-wide export and PDF")
    parser.add_argument("--out", default="bench-results", help="directory for bench.md and bench.json")
    parser.add_argument("--json-only", default="", help=argparse.SUPPRESS)  # a child process writes here
    return parser.parse_args(argv)


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        info["load_average"] = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    return info


def run_here(args: argparse.Namespace) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings_test")
    import django

    django.setup()
    from benchmarks.runner import run

    return run(label=args.label, runs=args.runs, only=args.only, quick=args.quick)


def run_children(args: argparse.Namespace) -> dict:
    merged: dict = {"machine": machine(), "results": [], "datasets": {}}
    for spec in args.db:
        label, _, url = spec.partition("=")
        if not url:
            sys.exit(f"--db wants LABEL=URL, got {spec!r}")
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            target = handle.name
        command = [
            sys.executable,
            "-m",
            "benchmarks",
            "--label",
            label,
            "--runs",
            str(args.runs),
            "--json-only",
            target,
        ]
        if args.only:
            command += ["--only", args.only]
        if args.quick:
            command.append("--quick")
        print(f"== {label}", file=sys.stderr, flush=True)
        subprocess.run(command, check=True, env={**os.environ, "DATABASE_URL": url})
        part = json.loads(Path(target).read_text())
        Path(target).unlink()
        merged["results"] += part["results"]
        merged["datasets"].update(part["datasets"])
    return merged


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.db:
        data = run_children(args)
    else:
        data = run_here(args)
        data["machine"] = machine()
        if args.json_only:
            Path(args.json_only).write_text(json.dumps(data, ensure_ascii=False, indent=1))
            return
    from benchmarks.report import markdown

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table = markdown(data)
    (out / "bench.md").write_text(table)
    (out / "bench.json").write_text(json.dumps(data, ensure_ascii=False, indent=1))
    print(table)


if __name__ == "__main__":
    main()
