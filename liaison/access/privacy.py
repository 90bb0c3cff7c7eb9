"""Personal data — residents' and members' phone and ID numbers — and the one layer that shows it.

Who sees what: a user with `liaison.view_personal_data` (经办人, 书记) sees the numbers in full; everybody
else (镇街管理员, 组织部) sees 138****1234 and 500113********1234. The design, so that a new page cannot
forget it:

- **What is personal is declared once**, here: `PERSONAL_FIELDS` maps each model to its personal fields
  and their kind. `tests/test_privacy.py` fails when a model gains a phone- or ID-like field that is
  neither declared here nor listed in `NOT_PERSONAL` with the reason.
- **A `Viewer` is who is looking**, one per request (it lives on `request.user`, so every piece of code
  that has the user gets the same one: `viewer_for(user)`). Every display of a personal value goes
  through `viewer.show(record, field)`: selectors' rows, JSON lookups, export rows, PDF contexts, and
  templates through `{% personal record "field" %}`, which calls the same method. History rows
  ("old → new") go through `viewer.show_changes()`; forms through `PersonalDataFormMixin`.
- **Revealing is what logs.** When the viewer may see a number and shows it, it notes the record
  (model and id; no query). `liaison.access.middleware.AccessLogMiddleware` writes the request's notes
  as one `AccessLog` row after the response is made: one INSERT per request, never one per record.
  Every PDF or xlsx response is logged as a print or an export of personal data, masked or not (names,
  addresses and incomes are personal too); a file without any (the empty import template) says so with
  `no_personal_data(response)`.
- **Forms never write the mask back.** `PersonalDataFormMixin` shows a masked viewer the masks as the
  initial values; a posted value still equal to the mask means "unchanged" and cleans to the stored
  number. A changed value goes through the field's own cleaning and validation.
- **Search cannot recover a number digit by digit.** `number_search(user, text)` is the one rule every
  search box and lookup applies to phones and ID numbers: a viewer who may see the numbers matches any
  part of them; a masked viewer matches only a complete, normalised number (exactly), and each such
  search is logged and limited per hour (`LIAISON_NUMBER_SEARCHES_PER_HOUR`), so guessing the four
  hidden digits of 138****1234 is neither quick nor unseen. Any index the search is later rebuilt on
  must call the same function.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from django.conf import settings
from django.db.models import Model, Q

PERSONAL_DATA_PERMISSION = "liaison.view_personal_data"
MASK_HELP = "已部分隐藏；不修改则保留原号码，如需更正请输入完整号码。"
SEARCH_LIMIT_REACHED = "您在一小时内按完整号码搜索的次数已达上限，请稍后再试，或按姓名搜索。"
# How many record ids one access-log row keeps per model; an export of 400,000 households keeps the
# first ones and the total, not a list the size of the district.
LOGGED_IDS_PER_MODEL = 1000


class Kind(Enum):
    PHONE = "phone"
    ID_NUMBER = "id_number"

    def mask(self, value: str) -> str:
        return mask_phone(value) if self is Kind.PHONE else mask_id_number(value)


# The personal fields of every model, by "app_label.modelname". Phones of cadres and offices
# (a user's, an organisation's, an assignment's contact, the phone printed on a feedback slip) are
# working contacts, not residents' data: see NOT_PERSONAL.
PERSONAL_FIELDS: dict[str, dict[str, Kind]] = {
    "liaison.household": {"phone": Kind.PHONE},
    "liaison.resident": {"phone": Kind.PHONE, "id_number": Kind.ID_NUMBER},
    "members.partymember": {"phone": Kind.PHONE, "id_number": Kind.ID_NUMBER},
    "feedback.opinion": {"reporter_phone": Kind.PHONE},
    # The 民情日志 keeps the household's phone and an away member's phone as they were on the day.
    "visits.visit": {"phone": Kind.PHONE},
    "visits.visitmember": {"phone": Kind.PHONE},
    "feedback.reception": {"visitor_phone": Kind.PHONE},
}
NOT_PERSONAL: dict[str, str] = {
    "liaison.user.phone": "干部本人的工作电话，用于提醒和交办单",
    "liaison.organisation.phone": "党组织办公电话，对外公开（三公开）",
    "feedback.assignment.contact_phone": "承办单位联系人的工作电话，印在交办单上",
    "feedback.opinion.feedback_phone": "反馈单上经办单位的联系电话，交给反映人",
    "feedback.receptionsession.phone": "接待日对外公布的接待电话（三公开），是办公电话",
}


def can_see_personal_data(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PERSONAL_DATA_PERMISSION))


def mask_phone(value: str) -> str:
    """13812341234 → 138****1234; 023-66231234 → 023-****1234."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    head = value[:3] if value[0] == "1" else value[: value.find("-") + 1 or 4]
    return f"{head}****{value[-4:]}"


def mask_id_number(value: str) -> str:
    """500113199001011234 → 500113********1234 (keeps the region code and the last four)."""
    if not value:
        return ""
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}" if len(value) > 10 else "*" * len(value)


def personal_fields(model: type[Model] | Model) -> dict[str, Kind]:
    """The declared personal fields; a history model (django-simple-history's `instance_type`) has
    those of the model it records."""
    model = getattr(model, "instance_type", None) or model
    return PERSONAL_FIELDS.get(model._meta.label_lower, {})


_DIGIT_RUN = re.compile(r"\d{7,}X?", re.IGNORECASE)


def mask_numbers_in_text(text: str) -> str:
    """Every run of 7 or more digits masked (the access log's paths and queries): 11 and more keep the
    first three and the last four, shorter runs the last four."""

    def mask(match: re.Match) -> str:
        run = match.group(0)
        head = run[:3] if len(run) >= 11 else ""
        return f"{head}{'*' * (len(run) - len(head) - 4)}{run[-4:]}"

    return _DIGIT_RUN.sub(mask, text)


@dataclass
class Revealed:
    """The records of one model whose numbers a request showed in full."""

    ids: set[int] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)
    more: bool = False  # more ids than LOGGED_IDS_PER_MODEL

    def add(self, pk: int | None, name: str) -> None:
        self.fields.add(name)
        if pk is None or pk in self.ids:
            return
        if len(self.ids) < LOGGED_IDS_PER_MODEL:
            self.ids.add(pk)
        else:
            self.more = True


class Viewer:
    """Who is looking at personal data during one request, and what they were shown in full."""

    def __init__(self, user) -> None:
        self.user = user
        self.may_see = can_see_personal_data(user)
        self.revealed: dict[str, Revealed] = {}
        self.number_searches: list[str] = []  # complete numbers a masked viewer searched for

    # -- showing -------------------------------------------------------------------------------
    def show(self, record: Model, name: str) -> str:
        """The value of a personal field as this viewer may read it: full (and noted) or masked."""
        kind = personal_fields(record)[name]  # KeyError: the field is not declared personal
        return self.show_value(record, name, kind, getattr(record, name) or "")

    def show_value(self, record: Model | None, name: str, kind: Kind, value: str) -> str:
        if not value:
            return ""
        if not self.may_see:
            return kind.mask(value)
        if record is not None:
            self.note(record, name)
        return value

    def note(self, record: Model, name: str) -> None:
        self.revealed.setdefault(record._meta.label_lower, Revealed()).add(record.pk, name)

    def show_changes(self, record: Model, changes: Iterable[Iterable[str]]) -> list[tuple[str, str, str]]:
        """History rows [[label, old, new], …] as stored (labels are the fields' verbose names), with
        the personal ones masked for this viewer."""
        by_label = {
            str(record._meta.get_field(name).verbose_name): (name, kind)
            for name, kind in personal_fields(record).items()
        }
        rows = []
        for label, old, new in changes:
            if label in by_label:
                name, kind = by_label[label]
                old = self.show_value(record, name, kind, old or "")
                new = self.show_value(record, name, kind, new or "")
            rows.append((label, old, new))
        return rows

    # -- what the access log gets ---------------------------------------------------------------
    def records(self) -> list[dict]:
        return [
            {"model": label, "ids": sorted(r.ids), "fields": sorted(r.fields), "more": r.more}
            for label, r in sorted(self.revealed.items())
        ]


def viewer_for(user) -> Viewer:
    """The request's viewer: cached on the user object, which Django builds once per request."""
    viewer = getattr(user, "_personal_data_viewer", None)
    if viewer is None:
        viewer = Viewer(user)
        if user is not None:
            user._personal_data_viewer = viewer
    return viewer


def shown_phone(user, value: str) -> str:
    """A phone with no record behind it (a form's echo, a label): masked or full, nothing logged."""
    return value if can_see_personal_data(user) else mask_phone(value)


def shown_id_number(user, value: str) -> str:
    return value if can_see_personal_data(user) else mask_id_number(value)


# -- forms -----------------------------------------------------------------------------------------
class PersonalDataFormMixin:
    """For ModelForms of a model in PERSONAL_FIELDS. Call `self.protect_personal_data(user)` at the end
    of `__init__`.

    A masked viewer sees the masks as the initial values, with a help text. When the posted value is
    still the mask (after trimming), the field cleans the stored number, so the mask is never saved
    and the record is unchanged; anything else is cleaned and validated as typed. A viewer who may
    see the numbers gets the form as it is, and an edit form that shows stored numbers is noted as a
    view of them."""

    def protect_personal_data(self, user) -> None:
        viewer = viewer_for(user)
        instance = self.instance
        for name, kind in personal_fields(instance).items():
            if name not in self.fields or not instance.pk:
                continue
            stored = getattr(instance, name) or ""
            if not stored:
                continue
            if viewer.may_see:
                viewer.note(instance, name)
                continue
            mask = kind.mask(stored)
            self.initial[name] = mask
            form_field = self.fields[name]
            form_field.help_text = MASK_HELP
            form_field.clean = _keep_stored(form_field.clean, mask=mask, stored=stored)


def _keep_stored(clean, *, mask: str, stored: str):
    def keep_stored_clean(value):
        return clean(stored if isinstance(value, str) and value.strip() == mask else value)

    return keep_stored_clean


# -- search ----------------------------------------------------------------------------------------
_SEPARATORS = re.compile(r"[\s\-—－()（）]")
_NUMBER = re.compile(r"^\d+X?$")
_COMPLETE_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_COMPLETE_LANDLINE = re.compile(r"^0\d{9,11}$")  # area code (3–4 digits) + 7–8 digits
_COMPLETE_ID = re.compile(r"^(\d{17}[\dX]|\d{15})$")


@dataclass(frozen=True)
class NumberSearch:
    """How a search text matches phone and ID numbers, for one user. Build it with number_search()."""

    text: str  # normalised: digits (and a final X), no separators
    partial: bool  # may match inside a stored number (only viewers who may see numbers)
    matches_nothing: bool = False  # a masked viewer's fragment, or past the hourly limit
    message: str = ""  # what to tell the user when it matches nothing for a reason they can act on

    @property
    def is_id_number(self) -> bool:
        return len(self.text) in (15, 18) and not _COMPLETE_MOBILE.match(self.text)

    def phone_values(self) -> list[str]:
        """The stored spellings of a complete phone: 02366231234, 023-66231234, 0236-6231234."""
        text = self.text
        if text.startswith("0"):
            return [text, f"{text[:3]}-{text[3:]}", f"{text[:4]}-{text[4:]}"]
        return [text]

    def q(self, *, phone: Iterable[str] = (), id_number: Iterable[str] = ()) -> Q:
        """A Q over the given phone and ID lookups (e.g. phone=["phone", "residents__phone"])."""
        if self.matches_nothing:
            return Q(pk__in=[])
        match = Q(pk__in=[])
        if self.partial:
            for lookup in phone:
                for spelling in self.phone_values():
                    match |= Q(**{f"{lookup}__contains": spelling})
            for lookup in id_number:
                match |= Q(**{f"{lookup}__contains": self.text})
            return match
        if self.is_id_number:
            for lookup in id_number:
                match |= Q(**{lookup: self.text})
        else:
            for lookup in phone:
                match |= Q(**{f"{lookup}__in": self.phone_values()})
        return match


def normalise_number(text: str) -> str:
    return _SEPARATORS.sub("", text or "").upper()


def looks_like_number(text: str) -> bool:
    return bool(_NUMBER.match(normalise_number(text)))


def is_complete_number(text: str) -> bool:
    return bool(_COMPLETE_MOBILE.match(text) or _COMPLETE_LANDLINE.match(text) or _COMPLETE_ID.match(text))


def number_search(user, text: str) -> NumberSearch | None:
    """The one rule for searching phones and ID numbers. None: `text` is not a number (search names).

    A viewer who may see the numbers matches any part of one. A masked viewer matches a complete
    number only, exactly (a prefix or a fragment matches nothing, so a number cannot be recovered digit
    by digit); each complete-number search is noted for the access log, and past
    LIAISON_NUMBER_SEARCHES_PER_HOUR in the last hour it matches nothing either."""
    normalised = normalise_number(text)
    if not _NUMBER.match(normalised):
        return None
    viewer = viewer_for(user)
    if viewer.may_see:
        return NumberSearch(normalised, partial=True)
    if not is_complete_number(normalised):
        return NumberSearch(normalised, partial=False, matches_nothing=True)
    if normalised not in viewer.number_searches:
        if (
            _searches_in_last_hour(user) + len(viewer.number_searches)
            >= settings.LIAISON_NUMBER_SEARCHES_PER_HOUR
        ):
            return NumberSearch(normalised, partial=False, matches_nothing=True, message=SEARCH_LIMIT_REACHED)
        viewer.number_searches.append(normalised)
    return NumberSearch(normalised, partial=False)


def _searches_in_last_hour(user) -> int:
    from liaison.models import AccessLog  # models import this module's constants

    return AccessLog.searches_in_last_hour(user)
