"""`manage.py rebuild_totals`: recount the stored per-organisation totals the dashboards add up.

The application keeps them current on every write (liaison/totals.py); this command is for after a
restore, a `loaddata`, or SQL run by hand. `--check` only compares them with a fresh count and exits
with status 1 when they differ, listing each difference.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liaison import totals


class Command(BaseCommand):
    help = "重新计数首页使用的各党组织统计数（户数、家庭成员、党员、外出、标签户数）。--check 只核对不写入。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="只核对统计数与实际数是否一致，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["check"]:
            problems = totals.drift()
            for problem in problems[:50]:
                self.stdout.write(problem)
            if problems:
                raise CommandError(
                    f"统计数与实际数有 {len(problems)} 处不一致：请运行 manage.py rebuild_totals 重新计数。"
                )
            self.stdout.write(f"统计数与实际数一致（用时 {time.monotonic() - started:.1f} 秒）。")
            return
        count = totals.rebuild()
        self.stdout.write(
            f"已重新计数 {count} 个党组织的统计数（用时 {time.monotonic() - started:.1f} 秒）。"
        )
