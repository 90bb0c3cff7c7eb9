"""`manage.py send_reminders`: e-mail the 责任人 and 经办人 of opinions due within 3 days or overdue.

Safe from cron once a day (or more often): what was sent is recorded, nothing is sent twice.
    0 8 * * *  cd /srv/liaison && .venv/bin/python manage.py send_reminders --base-url https://…
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.rules import REMINDER_WITHIN_DAYS
from feedback.services.reminders import send_reminders


class Command(BaseCommand):
    help = f"给责任人和经办人发送群众意见到期提醒（{REMINDER_WITHIN_DAYS}天内到期或已逾期）；可每天定时运行，不会重复发送。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD），默认今天")
        parser.add_argument(
            "--base-url", default="", help="邮件中链接的网址前缀，如 https://liaison.example.gov.cn"
        )
        parser.add_argument("--dry-run", action="store_true", help="只统计，不发送、不记录")

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date 应为 YYYY-MM-DD。") from exc
        report = send_reminders(today=today, base_url=options["base_url"], dry_run=options["dry_run"])
        verb = "将发送" if options["dry_run"] else "已发送"
        self.stdout.write(
            f"{today:%Y-%m-%d}：{verb} {report.emails} 封提醒邮件，涉及 {report.items} 件次；此前已提醒 {report.already_sent} 件次。"
        )
        if report.no_email:
            self.stdout.write(self.style.WARNING(f"没有邮箱、未能提醒：{'、'.join(report.no_email)}"))
        if report.failed:
            self.stderr.write(self.style.ERROR(f"发送失败（明天重试）：{'；'.join(report.failed)}"))
