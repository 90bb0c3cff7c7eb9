"""Forms for reception sessions and receptions. Choices come from the user's scope (a tampered id is an
invalid choice next to the field); the services check everything again."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from feedback import reception_rules as rr
from feedback.forms import date_input, people_in_scope, person_label
from feedback.models import HalfDay, Handling, Reception, ReceptionSession, SessionKind
from feedback.rules import Category
from feedback.scope import visible_sessions
from liaison.access.privacy import PersonalDataFormMixin
from liaison.access.scoping import ORGANISATION_OUT_OF_SCOPE, PERSON_OUT_OF_SCOPE, visible_organisations
from liaison.documents.printable import UnprintableTextWarningMixin
from liaison.models import Organisation, User
from liaison.safeguards.forms import GuardedForm, GuardedModelForm
from liaison.safeguards.saving import SaveGuardFields
from liaison.validators import normalise_phone, validate_phone
from liaison.widgets import LookupSelect
from members.models import PartyMember, Position

RECEIVER_PLACEHOLDER = "输入接待人姓名或拼音首字母"
SESSION_OUT_OF_SCOPE = "所选接待日不存在或不在您的管辖范围内。"
WITH_QUOTA = list(rr.QUOTA_OF_LEVEL)


def receivers_in_scope(user):
    """Members holding a post (书记, 班子成员, 党代会代表) in an organisation of the user's subtree."""
    posts = Position.objects.filter(member=OuterRef("pk"), organisation__in=visible_organisations(user))
    return PartyMember.objects.filter(Exists(posts)).select_related("organisation").order_by("name", "id")


def receiver_label(member: PartyMember) -> str:
    return f"{member.name}（{member.organisation.display_name}）"


def _organisation_field(field: forms.ModelChoiceField, user, levels=None) -> None:
    queryset = visible_organisations(user)
    field.queryset = queryset.filter(level__in=levels) if levels else queryset
    field.label_from_instance = lambda org: org.indented_name
    field.error_messages["invalid_choice"] = ORGANISATION_OUT_OF_SCOPE


def _receiver_field(field: forms.ModelChoiceField, user) -> None:
    field.queryset = receivers_in_scope(user)
    field.label_from_instance = receiver_label
    field.widget = LookupSelect("reception-receiver-lookup", placeholder=RECEIVER_PLACEHOLDER)
    field.widget.choices = field.choices
    field.error_messages["invalid_choice"] = PERSON_OUT_OF_SCOPE


def _clean_phone(value: str) -> str:
    value = normalise_phone(value or "")
    validate_phone(value)
    return value


class SessionForm(SaveGuardFields, UnprintableTextWarningMixin, GuardedModelForm):
    class Meta:
        model = ReceptionSession
        fields = [
            "organisation",
            "kind",
            "date",
            "half_day",
            "start_time",
            "end_time",
            "place_kind",
            "place",
            "receiver",
            "receiver_title",
            "phone",
        ]
        widgets = {
            "date": date_input(),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _organisation_field(self.fields["organisation"], user, WITH_QUOTA)
        _receiver_field(self.fields["receiver"], user)
        if self.instance.pk:
            self.fields["organisation"].disabled = True
        elif user.organisation_id:
            self.initial.setdefault("organisation", user.organisation_id)
            self.initial.setdefault("phone", user.organisation.phone)
        self.initial.setdefault("start_time", datetime.time(9, 0))
        self.initial.setdefault("end_time", datetime.time(12, 0))

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone"))

    def _post_clean(self) -> None:
        """The service validates the session (post, overlap, dates, constraints)."""


class GenerateForm(GuardedForm):
    """Propose a year's (or a month's) sessions: the generator reads the quota; a person edits after."""

    organisation = forms.ModelChoiceField(label="党组织", queryset=Organisation.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label="范围",
        coerce=int,
        choices=[(0, "全年"), *[(m, f"{m}月") for m in range(1, 13)]],
        initial=0,
    )
    kind = forms.ChoiceField(
        label="接待类型",
        choices=[
            (SessionKind.SECRETARY, "书记接待及班子成员轮流接待"),
            (SessionKind.DELEGATE, "党代会代表到工作室接待（每年不少于2次）"),
        ],
        initial=SessionKind.SECRETARY,
        widget=forms.RadioSelect,
    )
    rotation = forms.ChoiceField(
        label="班子成员轮流",
        choices=list(rr.ROTATIONS.items()),
        initial=rr.ROTATE_EACH,
        widget=forms.RadioSelect,
    )
    market = forms.ChoiceField(
        label="赶场日",
        choices=[("", "不按赶场日（按星期安排）"), *rr.MARKET_LABELS.items()],
        required=False,
        help_text="有赶场习惯的村镇，可在逢集赶场的当天在场镇集市设点接待。",
    )
    weekday = forms.TypedChoiceField(
        label="首选星期",
        coerce=int,
        choices=[(i, f"星期{'一二三四五六日'[i]}") for i in range(7)],
        initial=0,
        help_text="不按赶场日时，书记接待安排在这一天（遇节假日顺延到周期内的其他工作日）。",
    )
    half_day = forms.ChoiceField(label="时段", choices=HalfDay.choices, initial=HalfDay.MORNING)
    place = forms.CharField(
        label="接待地点", max_length=100, required=False, help_text="留空则按层级：信访接待室或便民服务中心"
    )
    market_place = forms.CharField(
        label="赶场日接待地点", max_length=100, required=False, help_text="如“场镇农贸市场东门”"
    )
    phone = forms.CharField(
        label="对外公布的接待电话",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text="留空则用党组织的办公电话",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _organisation_field(self.fields["organisation"], user, WITH_QUOTA)
        if user.organisation_id:
            self.initial.setdefault("organisation", user.organisation_id)
        today = timezone.localdate()
        self.initial.setdefault("year", today.year)
        self.initial.setdefault("month", today.month)

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone"))

    def span(self) -> tuple[datetime.date, datetime.date]:
        year, month = self.cleaned_data["year"], self.cleaned_data["month"]
        if not month:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        start, end = rr.periods(year, rr.MONTH)[month - 1]
        return start, end

    def pattern(self) -> rr.Pattern:
        data = self.cleaned_data
        return rr.Pattern(weekday=data["weekday"], market=data.get("market") or "", half=data["half_day"])


class PublishForm(GuardedForm):
    organisation = forms.ModelChoiceField(label="党组织", queryset=Organisation.objects.none())
    start = forms.DateField(label="起始日期", widget=date_input())
    end = forms.DateField(label="截止日期", widget=date_input())

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _organisation_field(self.fields["organisation"], user, WITH_QUOTA)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise ValidationError({"end": "结束日期不能早于开始日期。"})
        return cleaned


class OutcomeForm(GuardedForm):
    held = forms.TypedChoiceField(
        label="接待情况",
        choices=[("1", "已按期接待"), ("0", "未按期接待")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="情况说明",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="未按期接待的，请说明原因",
    )


class ReceptionForm(SaveGuardFields, PersonalDataFormMixin, UnprintableTextWarningMixin, GuardedModelForm):
    """附件1, box by box, in the order of the paper form, so a clerk types a register page top to bottom."""

    category = forms.TypedChoiceField(
        label="“1234”类别",
        coerce=int,
        choices=Category.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="限期办理、转有关部门办理的，保存时转为群众意见，按类别计算办理时限。",
    )
    responsible = forms.ModelChoiceField(label="意见责任人", queryset=User.objects.none(), required=False)

    class Meta:
        model = Reception
        fields = [
            "organisation",
            "session",
            "received_on",
            "receiver",
            "receiver_title",
            "visitor_name",
            "visitor_gender",
            "visitor_age",
            "visitor_address",
            "visitor_phone",
            "account",
            "matter",
            "cause",
            "request",
            "handling",
            "handling_note",
            "visitor_opinion",
            "signed_on",
        ]
        widgets = {
            "received_on": date_input(),
            "signed_on": date_input(),
            "visitor_gender": forms.RadioSelect,
            "visitor_age": forms.NumberInput(attrs={"min": 0, "max": 120, "inputmode": "numeric"}),
            "visitor_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "visitor_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "account": forms.Textarea(attrs={"rows": 4}),
            "cause": forms.Textarea(attrs={"rows": 2}),
            "request": forms.Textarea(attrs={"rows": 2}),
            "handling": forms.RadioSelect,
            "handling_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _organisation_field(self.fields["organisation"], user)
        _receiver_field(self.fields["receiver"], user)
        session = self.fields["session"]
        session.queryset = visible_sessions(user).exclude(status="draft").select_related("receiver")
        session.error_messages["invalid_choice"] = SESSION_OUT_OF_SCOPE
        session.empty_label = "临时接待（不属于公布的接待日）"
        session.label_from_instance = lambda s: (
            f"{s.date:%m-%d}{s.get_half_day_display()} {s.receiver.name}（{s.place}）"
        )
        self.fields["visitor_gender"].choices = [("M", "男"), ("F", "女")]
        handling = self.fields["handling"]
        handling.choices = Handling.choices  # the four rows of 附件1; no blank row among the radios
        handling.error_messages["required"] = "请选择办理情况：现场办理、限期办理、解释说明或转有关部门办理。"
        self.fields["visitor_gender"].required = False
        responsible = self.fields["responsible"]
        responsible.queryset = people_in_scope(user)
        responsible.label_from_instance = person_label
        responsible.error_messages["invalid_choice"] = PERSON_OUT_OF_SCOPE
        if self.instance.pk:
            self.fields["organisation"].disabled = True
            if self.instance.opinion_id:
                for name in ("category", "responsible"):
                    self.fields[name].disabled = True
                self.initial.setdefault("category", self.instance.opinion.category)
        else:
            self.initial.setdefault("received_on", timezone.localdate())
            if user.organisation_id:
                self.initial.setdefault("organisation", user.organisation_id)
            self.initial.setdefault("responsible", user.pk)
        self.protect_personal_data(user)

    def limit_sessions(self, sessions) -> None:
        """Offer the sessions near the day (the field still accepts any session in scope)."""
        field = self.fields["session"]
        chosen = self["session"].value()
        options = [("", field.empty_label)]
        seen = set()
        for s in sessions:
            options.append((s.pk, field.label_from_instance(s)))
            seen.add(str(s.pk))
        if chosen and str(chosen) not in seen:
            extra = field.queryset.filter(pk=chosen).first() if str(chosen).isdigit() else None
            if extra is not None:
                options.append((extra.pk, field.label_from_instance(extra)))
        field.widget.choices = options

    def clean_visitor_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("visitor_phone"))

    def clean(self) -> dict:
        cleaned = super().clean()
        handling = cleaned.get("handling")
        if handling in (Handling.DEADLINE, Handling.REFER) and not self.instance.opinion_id:
            if not cleaned.get("category"):
                self.add_error("category", "限期办理、转有关部门办理的问题要转为群众意见，请选择“1234”类别。")
            if not cleaned.get("responsible"):
                self.add_error("responsible", "请选择群众意见的责任人。")
        return cleaned

    def _post_clean(self) -> None:
        """The service validates the reception (post, session, dates, constraints) and the opinion."""


class ReceptionRegisterForm(GuardedForm):
    """Which 接待群众记录本 to print: one organisation's year, or one receiver over a date range."""

    organisation = forms.ModelChoiceField(label="党组织", queryset=Organisation.objects.none())
    receiver = forms.ModelChoiceField(label="接待人", queryset=PartyMember.objects.none(), required=False)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    start = forms.DateField(label="起始日期", required=False, widget=date_input())
    end = forms.DateField(label="截止日期", required=False, widget=date_input())

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _organisation_field(self.fields["organisation"], user)
        _receiver_field(self.fields["receiver"], user)
        self.fields["receiver"].help_text = "留空则打印该党组织所有接待人的记录"
        if user.organisation_id:
            self.initial.setdefault("organisation", user.organisation_id)
        self.initial.setdefault("year", timezone.localdate().year)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end, year = cleaned.get("start"), cleaned.get("end"), cleaned.get("year")
        if start or end:
            start = start or datetime.date((end or start).year, 1, 1)
            end = end or datetime.date(start.year, 12, 31)
            if end < start:
                raise ValidationError({"end": "结束日期不能早于开始日期。"})
        elif year:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        elif not self.errors:
            raise ValidationError("请选择年度，或填写起止日期。")
        cleaned["start"], cleaned["end"] = start, end
        return cleaned
