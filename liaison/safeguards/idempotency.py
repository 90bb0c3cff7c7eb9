"""A create form submitted twice makes one record.

The form page carries a one-time token (a UUID in a hidden field). Saving inserts the token first, in
the same transaction as the record: the second submission of the same page (a double click, Back and
save again, a retry after a timeout) finds the token taken and is shown the record the first one made,
instead of making a second household, member, opinion or unit-pairing record with its money.
On PostgreSQL two simultaneous submissions meet at the unique index: the second waits for the first
to commit, then finds its record.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from liaison.models import Submission

TOKEN_FIELD = "submission"
REPEATED = "这份表单已经提交过一次，没有重复登记：下面是那次保存的记录。"
REPEATED_UNFINISHED = "这份表单已经提交过一次，请回到列表查看，不要重复提交。"


def new_token() -> str:
    return str(uuid.uuid4())


def token_field() -> forms.UUIDField:
    return forms.UUIDField(widget=forms.HiddenInput, required=False)


def claim(token: uuid.UUID | str | None, user) -> Submission | None:
    """Record the token inside the current transaction; an earlier submission of it is returned as
    `Repeated`. Without a token (a script, an old page) there is nothing to claim."""
    if not token:
        return None
    try:
        with transaction.atomic():
            return Submission.objects.create(token=token, user=user)
    except IntegrityError:
        raise Repeated(Submission.objects.get(token=token)) from None


def link(submission: Submission | None, record: models.Model) -> None:
    if submission is None:
        return
    submission.content_type = ContentType.objects.get_for_model(record)
    submission.object_id = record.pk
    submission.save(update_fields=["content_type", "object_id"])


class Repeated(Exception):
    """This form was submitted before; `record` is what that submission made (None if it failed)."""

    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        self.record = submission.record
        self.message = REPEATED if self.record is not None else REPEATED_UNFINISHED
        super().__init__(self.message)


def earlier(token: object) -> Repeated | None:
    """The earlier submission of this token, if one was saved."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return None
    submission = Submission.objects.filter(token=token).first()
    return Repeated(submission) if submission is not None else None
