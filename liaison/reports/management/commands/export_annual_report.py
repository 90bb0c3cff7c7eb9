"""manage.py export_annual_report --year Y --out FILE.xlsx [--org CODE] — the annual workbook of the
district (or of one 镇街 or village by its code), the same file as /reports/ makes."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liaison.models import Organisation
from liaison.reports.scope import NOT_REPORTABLE, REPORT_LEVELS

UNKNOWN_ORG = "没有编码为“{code}”的党组织。可用的编码见后台“党组织”，如区的编码：{roots}。"
NO_DISTRICT = "数据库中还没有区级党组织，请先导入组织架构（或运行 seed_demo）。"
BAD_YEAR = "年度应在 2000 至 2100 之间，收到：{year}。"
BAD_OUT = "不能写入 {path}：{error}。"


class Command(BaseCommand):
    help = "导出年度党员联系服务群众工作统计工作簿（Excel）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help="统计年度，如 2026")
        parser.add_argument("--out", required=True, help="输出文件，如 2026年度统计.xlsx")
        parser.add_argument("--org", default="", help="党组织编码（区、镇街或村/社区）；默认为全区")

    def handle(self, *args, year: int, out: str, org: str, **options) -> None:
        from liaison.reports.workbook import build_workbook

        if not 2000 <= year <= 2100:
            raise CommandError(BAD_YEAR.format(year=year))
        root = self._root(org)
        target = Path(out)
        if not target.parent.is_dir():
            raise CommandError(BAD_OUT.format(path=target, error="目录不存在"))

        def progress(percent: float, stage: str) -> None:
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"{int(percent):3d}% {stage}")

        rendered = build_workbook(root, year, progress=progress)
        # Written beside the target and renamed: a half-written file never stands under its name.
        try:
            fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".annual-", suffix=".xlsx.part")
            with os.fdopen(fd, "wb") as handle:
                shutil.copyfileobj(rendered.content, handle)
            os.replace(partial, target)
        except OSError as exc:
            raise CommandError(BAD_OUT.format(path=target, error=exc.strerror or exc)) from exc
        finally:
            rendered.content.close()
        self.stdout.write(f"已导出 {root.display_name} {year} 年度统计：{target}")

    def _root(self, code: str) -> Organisation:
        if not code:
            root = Organisation.objects.filter(level=Organisation.Level.DISTRICT).order_by("path").first()
            if root is None:
                raise CommandError(NO_DISTRICT)
            return root
        root = Organisation.objects.filter(code=code).first()
        if root is None:
            roots = "、".join(
                Organisation.objects.filter(parent__isnull=True).values_list("code", flat=True)[:5]
            )
            raise CommandError(UNKNOWN_ORG.format(code=code, roots=roots or "（无）"))
        if root.level not in REPORT_LEVELS:
            raise CommandError(NOT_REPORTABLE)
        return root
