"""Forms for opinions and what happens to them. Choices come from the user's scope, so a tampered id in a
POST is not a valid choice and is refused next to the field; the services check everything again."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback.models import Assignment, Channel, FeedbackMethod, Opinion, Satisfaction, Urge
from feedback.models.opinions import OPINION_TEXT_MAX
from feedback.rules import Category
from feedback.scope import taskable_units
from liaison.access.privacy import PersonalDataFormMixin
from liaison.access.scoping import (
    ORGANISATION_OUT_OF_SCOPE,
    PERSON_OUT_OF_SCOPE,
    UNIT_OUT_OF_SCOPE,
    visible_organisations,
)
from liaison.documents.printable import UnprintableTextWarningMixin
from liaison.models import Organisation, User
from liaison.safeguards.forms import GuardedForm, GuardedModelForm
from liaison.safeguards.saving import SaveGuardFields
from liaison.validators import normalise_phone, validate_phone

RANGE_BACKWARDS = "结束日期不能早于开始日期。"
YEAR_OR_RANGE = "请选择年度，或填写起止日期。"


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people_in_scope(user):
    return (
        User.objects.filter(organisation__in=visible_organisations(user), is_active=True)
        .exclude(role="")
        .select_related("organisation")
        .order_by("organisation__path", "full_name", "username")
    )


def person_label(person: User) -> str:
    where = person.organisation.display_name if person.organisation_id else ""
    title = f" · {person.title}" if person.title else ""
    return f"{person.display_name}（{where}{title}）"


class VersionMixin(GuardedForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class OpinionForm(SaveGuardFields, PersonalDataFormMixin, UnprintableTextWarningMixin, GuardedModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Opinion
        fields = [
            "organisation",
            "received_on",
            "channel",
            "reporter_name",
            "reporter_phone",
            "reporter_address",
            "subject",
            "content",
            "category",
            "responsible",
            "handler",
            "handling_opinion",
            "remarks",
        ]
        widgets = {
            "received_on": date_input(),
            "category": forms.RadioSelect,
            "content": forms.Textarea(attrs={"rows": 4}),
            "handling_opinion": forms.Textarea(attrs={"rows": 2}),
            "reporter_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        orgs = visible_organisations(user)
        organisation = self.fields["organisation"]
        organisation.queryset = orgs
        organisation.label_from_instance = lambda org: org.indented_name
        organisation.error_messages["invalid_choice"] = ORGANISATION_OUT_OF_SCOPE
        for name in ("responsible", "handler"):
            self.fields[name].queryset = people_in_scope(user)
            self.fields[name].label_from_instance = person_label
            self.fields[name].error_messages["invalid_choice"] = PERSON_OUT_OF_SCOPE
        self.fields["handler"].empty_label = "（暂不指定）"
        self.fields["category"].choices = Category.choices
        self.fields["channel"].choices = [("", "请选择"), *Channel.choices]
        if self.instance.pk:
            organisation.disabled = True
            organisation.help_text = "意见按受理党组织编号，登记后不能更改。"
            self.initial.setdefault("version", self.instance.version)
        else:
            self.initial.setdefault("received_on", timezone.localdate())
            if user.organisation_id:
                self.initial.setdefault("organisation", user.organisation_id)
                self.initial.setdefault("responsible", user.pk)
        self.protect_personal_data(user)

    def clean_reporter_phone(self) -> str:
        value = normalise_phone(self.cleaned_data.get("reporter_phone", ""))
        validate_phone(value)
        return value


class AssignmentForm(SaveGuardFields, UnprintableTextWarningMixin, GuardedModelForm):
    class Meta:
        model = Assignment
        fields = ["unit", "role", "issued_on", "due_date", "contact_name", "contact_phone"]
        widgets = {
            "role": forms.RadioSelect,
            "issued_on": date_input(),
            "due_date": date_input(),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, user, opinion: Opinion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = taskable_units(user).order_by("path")
        unit.label_from_instance = lambda org: org.indented_name
        unit.error_messages["invalid_choice"] = UNIT_OUT_OF_SCOPE
        self.initial.setdefault("issued_on", timezone.localdate())
        self.initial.setdefault("due_date", opinion.due_date)
        self.initial.setdefault("contact_name", getattr(user, "display_name", ""))
        self.initial.setdefault(
            "contact_phone", getattr(user, "phone", "") or getattr(opinion.organisation, "phone", "")
        )

    def clean_contact_phone(self) -> str:
        value = normalise_phone(self.cleaned_data.get("contact_phone", ""))
        validate_phone(value)
        return value

    def _post_clean(self) -> None:
        """The service validates the instance (with the opinion's dates and the number); not the form."""


class ReceiptForm(GuardedForm):
    date_ranges = {"received_on": "event"}
    received_by = forms.CharField(label="收件人签字", max_length=50, help_text="签收交办单的人")
    received_on = forms.DateField(label="签收时间", widget=date_input(), initial=timezone.localdate)


class ResultForm(UnprintableTextWarningMixin, VersionMixin):
    date_ranges = {"result_on": "event"}
    result = forms.CharField(
        label="办理结果", max_length=OPINION_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    result_on = forms.DateField(label="办结时间", widget=date_input(), initial=timezone.localdate)
    handling_opinion = forms.CharField(
        label="处理意见",
        max_length=OPINION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    feedback_contact = forms.CharField(
        label="联系人", max_length=50, required=False, help_text="印在反馈单上"
    )
    feedback_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        help_text="印在反馈单上",
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def clean_feedback_phone(self) -> str:
        value = normalise_phone(self.cleaned_data.get("feedback_phone", ""))
        validate_phone(value)
        return value


class FeedbackForm(UnprintableTextWarningMixin, VersionMixin):
    date_ranges = {"feedback_on": "event"}
    feedback_on = forms.DateField(label="反馈本人时间", widget=date_input(), initial=timezone.localdate)
    feedback_method = forms.ChoiceField(
        label="反馈方式", choices=[("", "请选择"), *FeedbackMethod.choices], required=False
    )
    feedback_signer = forms.CharField(label="《反馈单》签收人", max_length=50)
    satisfaction = forms.ChoiceField(label="是否满意", choices=Satisfaction.choices, widget=forms.RadioSelect)
    close = forms.BooleanField(label="登记后即销号", required=False, initial=True)


class ReopenForm(VersionMixin):
    reason = forms.CharField(label="重新打开的理由", widget=forms.Textarea(attrs={"rows": 3}))


class UrgeForm(SaveGuardFields, GuardedForm):
    kind = forms.ChoiceField(
        label="方式", choices=Urge.Kind.choices, widget=forms.RadioSelect, initial=Urge.Kind.URGE
    )
    note = forms.CharField(label="催办督办意见", widget=forms.Textarea(attrs={"rows": 3}))


class UrgeAnswerForm(GuardedForm):
    answer = forms.CharField(label="回复", widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionRequestForm(SaveGuardFields, GuardedForm):
    date_ranges = {"requested_due_date": "plan"}
    requested_due_date = forms.DateField(label="申请延至", widget=date_input())
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(GuardedForm):
    approve = forms.TypedChoiceField(
        label="审批结果",
        choices=[("1", "批准"), ("0", "不批准")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decision_note = forms.CharField(
        label="审批意见", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CaseForm(GuardedForm):
    date_ranges = {"started_on": "event"}
    leader_name = forms.CharField(label="包案领导", max_length=50, help_text="一名领导")
    leader_title = forms.CharField(label="职务", max_length=50, required=False)
    team = forms.CharField(
        label="工作班子", widget=forms.Textarea(attrs={"rows": 2}), help_text="一套班子：成员及分工"
    )
    plan = forms.CharField(label="化解方案", widget=forms.Textarea(attrs={"rows": 4}), help_text="一个方案")
    started_on = forms.DateField(label="包案时间", widget=date_input(), initial=timezone.localdate)


class RegisterForm(GuardedForm):
    """Which 登记簿 to print or export: one organisation, a year or a date range."""

    organisation = forms.ModelChoiceField(label="单位", queryset=Organisation.objects.none())
    coverage = forms.ChoiceField(
        label="范围",
        choices=[("all", "本单位及所有下级党组织"), ("own", "仅本单位")],
        initial="all",
        required=False,
        help_text="书记的登记簿默认包括本单位和下面各村（社区）、支部登记的意见；只看本单位的请选“仅本单位”。",
    )
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    start = forms.DateField(label="起始日期", required=False, widget=date_input())
    end = forms.DateField(label="截止日期", required=False, widget=date_input())

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = visible_organisations(user)
        field.label_from_instance = lambda org: org.indented_name
        field.error_messages["invalid_choice"] = ORGANISATION_OUT_OF_SCOPE
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
                raise ValidationError({"end": RANGE_BACKWARDS})
        elif year:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        elif not self.errors:
            raise ValidationError(YEAR_OR_RANGE)
        cleaned["start"], cleaned["end"] = start, end
        cleaned["include_below"] = cleaned.get("coverage") != "own"
        return cleaned


class TransferForm(VersionMixin):
    """转报上级: why it is the level above's to solve, and the day it was sent."""

    date_ranges = {"transferred_on": "event"}
    transferred_on = forms.DateField(label="转报时间", widget=date_input(), initial=timezone.localdate)
    note = forms.CharField(
        label="转报理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="说明为什么属上一级党组织工作职责范围；将记入办理记录。",
    )


class TransferAcceptForm(VersionMixin):
    """The organisation above signs for a transferred opinion and names who answers for it."""

    date_ranges = {"received_on": "event"}
    received_on = forms.DateField(label="签收时间", widget=date_input(), initial=timezone.localdate)
    responsible = forms.ModelChoiceField(label="责任人", queryset=User.objects.none())
    handler = forms.ModelChoiceField(
        label="经办人", queryset=User.objects.none(), required=False, empty_label="（暂不指定）"
    )

    def __init__(self, *args, user, holder: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = people_in_scope(user).filter(organisation__path__startswith=holder.path)
        self.fields["responsible"].queryset = people.filter(organisation=holder)
        self.fields["handler"].queryset = people
        for name in ("responsible", "handler"):
            self.fields[name].label_from_instance = person_label
            self.fields[name].error_messages["invalid_choice"] = PERSON_OUT_OF_SCOPE
        if user.organisation_id == holder.pk:
            self.initial.setdefault("responsible", user.pk)
