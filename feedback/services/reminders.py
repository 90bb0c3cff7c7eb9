"""Reminders by e-mail: opinions due within 3 days or overdue → their 责任人 and 经办人.

Each (opinion, recipient, kind, due date) is sent once: the Reminder row is written in the same
transaction as the e-mail is handed to Django's backend, so a failed send leaves no row and is tried
again tomorrow, and a second run the same day finds the rows and sends nothing. An approved extension
changes the due date, so the new date gets its own reminders.
"""

from __future__ import annotations

import datetime
import smtplib
from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from feedback import rules
from feedback.models import Opinion, Reminder
from liaison.models import User

CHUNK = 500


@dataclass
class Item:
    opinion: Opinion
    kind: str
    days: int
    url: str
    already: bool = False

    @property
    def days_late(self) -> int:
        return -self.days


@dataclass
class ReminderReport:
    emails: int = 0
    items: int = 0
    already_sent: int = 0
    no_email: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _recipients(opinion: Opinion) -> list[User]:
    people = {person.pk: person for person in (opinion.responsible, opinion.handler) if person is not None}
    return [person for person in people.values() if person.is_active]


def collect(*, today: datetime.date, base_url: str = "") -> dict[int, tuple[User, list[Item]]]:
    """Everything due within REMINDER_WITHIN_DAYS or overdue, grouped by the person to remind."""
    opinions = (
        Opinion.objects.needing_reminder(today)
        .select_related("organisation", "responsible", "handler")
        .order_by("due_date", "id")
    )
    sent = set(
        Reminder.objects.filter(opinion__in=Opinion.objects.needing_reminder(today).values("pk")).values_list(
            "opinion_id", "recipient_id", "kind", "due_date"
        )
    )
    grouped: dict[int, tuple[User, list[Item]]] = {}
    for opinion in opinions.iterator(chunk_size=CHUNK):
        days = rules.days_left(opinion.due_date, today)
        kind = Reminder.Kind.OVERDUE if rules.is_overdue(opinion.due_date, today) else Reminder.Kind.DUE_SOON
        url = base_url.rstrip("/") + reverse("opinion-detail", args=[opinion.pk])
        for person in _recipients(opinion):
            item = Item(
                opinion, kind, days, url, already=(opinion.pk, person.pk, kind, opinion.due_date) in sent
            )
            grouped.setdefault(person.pk, (person, []))[1].append(item)
    return grouped


def subject(items: list[Item]) -> str:
    overdue = sum(1 for item in items if item.kind == Reminder.Kind.OVERDUE)
    soon = len(items) - overdue
    parts = [f"{overdue}件已逾期"] if overdue else []
    parts += [f"{soon}件即将到期"] if soon else []
    return f"【群众意见办理提醒】{'，'.join(parts)}"


def send_reminders(*, today: datetime.date, base_url: str = "", dry_run: bool = False) -> ReminderReport:
    report = ReminderReport()
    for person, items in collect(today=today, base_url=base_url).values():
        new = [item for item in items if not item.already]
        report.already_sent += len(items) - len(new)
        if not new:
            continue
        if not person.email:
            report.no_email.append(f"{person.display_name}（{len(new)}件）")
            continue
        if dry_run:
            report.emails += 1
            report.items += len(new)
            continue
        body = render_to_string(
            "feedback/email/reminder.txt", {"person": person, "items": new, "today": today}
        )
        try:
            with transaction.atomic():
                Reminder.objects.bulk_create(
                    [
                        Reminder(
                            opinion=i.opinion, recipient=person, kind=i.kind, due_date=i.opinion.due_date
                        )
                        for i in new
                    ]
                )
                send_mail(subject(new), body, None, [person.email])
        except IntegrityError:
            report.already_sent += len(new)  # another run sent them a moment ago
        except (smtplib.SMTPException, OSError) as exc:
            report.failed.append(f"{person.display_name}：{exc}")
        else:
            report.emails += 1
            report.items += len(new)
    return report
