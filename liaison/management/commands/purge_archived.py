"""`manage.py purge_archived`: remove archived households and residents past the retention period.

Dry run by default: it lists what would go. `--commit --reason "…"` removes them, each removal on the
audit trail with the reason (liaison/retention.py). Records younger than LIAISON_RETENTION_YEARS are
never touched. `--org CODE` limits it to one organisation's subtree.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from liaison import retention
from liaison.models import Organisation


class Command(BaseCommand):
    help = "永久删除超过保存期限（LIAISON_RETENTION_YEARS 年）的归档户和家庭成员。默认只列出，不删除；加 --commit 才删除。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--commit", action="store_true", help="真正删除（默认只列出将被删除的记录）")
        parser.add_argument("--reason", default="", help="删除理由，记入操作记录（--commit 时必填）")
        parser.add_argument("--org", default="", help="只处理该组织（代码）及其下级")

    def handle(self, *args: Any, **options: Any) -> None:
        path = ""
        if options["org"]:
            organisation = Organisation.objects.filter(code=options["org"]).first()
            if organisation is None:
                raise CommandError(f"没有代码为 {options['org']} 的组织。")
            path = organisation.path
        households, residents = retention.purgeable_under(path)
        households, residents = list(households), list(residents)
        years = retention.retention_years()
        for household in households:
            self.stdout.write(
                f"户\t{household.pk}\t{household.organisation.name}\t{household.get_archive_reason_display()}\t"
                f"归档于 {household.archived_on:%Y-%m-%d}"
            )
        for resident in residents:
            self.stdout.write(
                f"家庭成员\t{resident.pk}\t{resident.household.organisation.name}\t"
                f"{resident.get_archive_reason_display()}\t归档于 {resident.archived_on:%Y-%m-%d}"
            )
        summary = f"超过保存期限（{years} 年）：{len(households)} 户、{len(residents)} 名家庭成员。"
        if not options["commit"]:
            self.stdout.write(summary + '（试运行，未删除；加 --commit --reason "理由" 执行删除）')
            return
        if not options["reason"].strip():
            raise CommandError(retention.PURGE_REASON_REQUIRED)
        try:
            result = retention.purge(
                user=None,
                reason=f"{options['reason'].strip()}（manage.py purge_archived）",
                households=households,
                residents=residents,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已永久删除 {len(result.households)} 户、{len(result.residents)} 名家庭成员，理由已记入操作记录。"
            )
        )
