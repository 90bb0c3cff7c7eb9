"""The visit entry form (keyboard first: lookups, date, then the 附件3 boxes in their printed order),
the pre-filled 八清楚 correction (the household's own form and resident formset), the edit form and the
五必访 event form. All on liaison.safeguards (text caps, control characters, date ranges, one-time token,
stale-save state)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from feedback.forms import people_in_scope, person_label
from feedback.rules import Category
from liaison.access.privacy import PersonalDataFormMixin
from liaison.access.scoping import HOUSEHOLD_OUT_OF_SCOPE, MEMBER_OUT_OF_SCOPE, scoped
from liaison.documents.printable import UnprintableTextWarningMixin
from liaison.forms import (
    AGE_RANGE,
    MAX_RESIDENTS,
    NEED_ONE_HEAD,
    NEED_ONE_RESIDENT,
    TOO_MANY_HEADS,
    TOO_MANY_RESIDENTS,
    HouseholdForm,
    ResidentForm,
    resident_formset_class,
)
from liaison.formsets import CappedInlineFormSet, capped_inline_formset
from liaison.models import Household, Resident
from liaison.safeguards.forms import GuardedForm, GuardedModelForm
from liaison.safeguards.saving import SaveGuardFields
from liaison.validators import normalise_phone, validate_phone
from liaison.widgets import DateInput, LookupSelect
from members.forms import household_label, member_label
from members.scope import visible_members
from visits import rules
from visits.models import EventKind, Handling, MustVisitEvent, Visit, VisitMember
from visits.scope import visible_events

AREA_TOO_LARGE = f"住房面积超过 {rules.MAX_HOUSING_AREA:,} ㎡，不合常理，请核对（如多打了0）。"
INCOME_TOO_LARGE = f"家庭年收入超过 {rules.MAX_ANNUAL_INCOME:,} 元，不合常理，请核对（如多打了0）。"
NOT_NEGATIVE = "不能为负数。"
NO_HANDLING = "（无需办理）"
HANDLING_TEXT_NEEDED = "选择了办理方式，请填写办理情况。"
SIGNED_BEFORE_VISIT = "签字日期不能早于走访时间。"


def _text(rows: int = 3, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


class VisitFieldsMixin:
    """What the entry and edit forms share: the visit's own boxes."""

    def _setup_visit_fields(self, user) -> None:
        self.fields["handling"].choices = [("", NO_HANDLING), *Handling.choices]
        self.fields["handling"].required = False
        self.fields["opinion_responsible"].queryset = people_in_scope(user)
        self.fields["opinion_responsible"].label_from_instance = person_label

    def _clean_visit(self, cleaned: dict) -> dict:
        if cleaned.get("handling") and not (cleaned.get("handling_text") or "").strip():
            self.add_error("handling_text", HANDLING_TEXT_NEEDED)
        visited_on, signed_on = cleaned.get("visited_on"), cleaned.get("signed_on")
        if visited_on and signed_on and signed_on < visited_on:
            self.add_error("signed_on", SIGNED_BEFORE_VISIT)
        return cleaned


def _opinion_fields() -> dict[str, forms.Field]:
    return {
        "opinion_category": forms.TypedChoiceField(
            label="意见类别（1234）",
            choices=[("", "—"), *Category.choices],
            coerce=int,
            required=False,
            empty_value=None,
            help_text="限期办理、转有关部门办理的问题登记为群众意见，按类别计算办理时限",
        ),
        "opinion_subject": forms.CharField(
            label="事由",
            max_length=60,
            required=False,
            help_text="一句话概括，印在交办单、反馈单上；不填则取要求解决的问题的第一句",
        ),
        "opinion_responsible": forms.ModelChoiceField(
            label="责任人", queryset=Household.objects.none(), required=False, empty_label="请选择"
        ),
    }


class VisitForm(VisitFieldsMixin, SaveGuardFields, GuardedForm):
    visitor = forms.ModelChoiceField(
        label="家访人",
        queryset=Household.objects.none(),
        widget=LookupSelect("members-member-lookup", placeholder="家访人：姓名、拼音首字母或全拼"),
        error_messages={"invalid_choice": MEMBER_OUT_OF_SCOPE, "required": "请选择家访人。"},
    )
    visited_on = forms.DateField(
        label="时间", widget=DateInput(), error_messages={"required": "请填写走访时间。"}
    )
    household = forms.ModelChoiceField(
        label="被访户",
        queryset=Household.objects.none(),
        widget=LookupSelect("members-household-lookup", placeholder="户主：姓名、拼音首字母、全拼或地址"),
        error_messages={"invalid_choice": HOUSEHOLD_OUT_OF_SCOPE, "required": "请选择被访户。"},
    )
    event = forms.ModelChoiceField(
        label="五必访事项",
        queryset=MustVisitEvent.objects.none(),
        required=False,
        empty_label="（不是五必访）",
    )
    situation = forms.CharField(
        label="家访情况", max_length=Visit._meta.get_field("situation").max_length, widget=_text(4)
    )
    problem = forms.CharField(label="要求解决的问题", max_length=2000, required=False, widget=_text(2))
    handling = forms.ChoiceField(label="办理方式", choices=Handling.choices, widget=forms.RadioSelect)
    handling_text = forms.CharField(label="办理情况", max_length=2000, required=False, widget=_text(2))
    resident_opinion = forms.CharField(label="被访群众意见", max_length=2000, required=False, widget=_text(2))
    signed_by = forms.CharField(label="签字", max_length=50, required=False)
    signed_on = forms.DateField(label="签字日期", required=False, widget=DateInput())

    date_ranges = {"visited_on": "event", "signed_on": "event"}
    field_order = [
        "visitor",
        "visited_on",
        "household",
        "event",
        "situation",
        "problem",
        "handling",
        "handling_text",
        "opinion_category",
        "opinion_subject",
        "opinion_responsible",
        "resident_opinion",
        "signed_by",
        "signed_on",
    ]

    def __init__(self, *args, user, household: Household | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_opinion_fields())
        self.order_fields(self.field_order)
        self.user = user
        self.fields["visitor"].queryset = visible_members(user).select_related("organisation")
        self.fields["visitor"].label_from_instance = member_label
        self.fields["household"].queryset = scoped(Household.objects.all(), user).select_related(
            "organisation"
        )
        self.fields["household"].label_from_instance = household_label
        events = (
            visible_events(user).filter(household=household) if household else MustVisitEvent.objects.none()
        )
        self.fields["event"].queryset = events.order_by("-occurred_on")
        self.fields["event"].label_from_instance = lambda e: (
            f"{e.occurred_on:%Y-%m-%d} {e.get_kind_display()}"
        )
        self._setup_visit_fields(user)
        if not self.is_bound:
            self.initial.setdefault("visited_on", timezone.localdate())
            self.initial.setdefault("opinion_responsible", user.pk)

    def clean(self) -> dict:
        return self._clean_visit(super().clean())


class VisitEditForm(VisitFieldsMixin, SaveGuardFields, PersonalDataFormMixin, GuardedModelForm):
    """Correct a log as written on paper: its own boxes and its snapshot columns (not the household)."""

    class Meta:
        model = Visit
        fields = [
            "visited_on",
            "event",
            "address",
            "annual_income",
            "skills",
            "housing_area",
            "phone",
            "party_member_info",
            "situation",
            "problem",
            "handling",
            "handling_text",
            "resident_opinion",
            "signed_by",
            "signed_on",
        ]
        widgets = {
            "visited_on": DateInput(),
            "signed_on": DateInput(),
            "handling": forms.RadioSelect,
            "situation": _text(6),
            "problem": _text(2),
            "handling_text": _text(2),
            "resident_opinion": _text(2),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        error_messages = {
            "housing_area": {"min_value": "住房面积" + NOT_NEGATIVE, "max_value": AREA_TOO_LARGE},
            "annual_income": {"min_value": "家庭年收入" + NOT_NEGATIVE, "max_value": INCOME_TOO_LARGE},
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_opinion_fields())
        self.user = user
        self.fields["event"].queryset = visible_events(user).filter(household_id=self.instance.household_id)
        self.fields["event"].empty_label = "（不是五必访）"
        self.fields["event"].label_from_instance = lambda e: (
            f"{e.occurred_on:%Y-%m-%d} {e.get_kind_display()}"
        )
        self._setup_visit_fields(user)
        self.initial.setdefault("opinion_responsible", user.pk)
        self.protect_personal_data(user)

    def clean_phone(self) -> str:
        value = normalise_phone(self.cleaned_data.get("phone", ""))
        validate_phone(value)
        return value

    def clean(self) -> dict:
        return self._clean_visit(super().clean())


class VisitHouseholdForm(HouseholdForm):
    """The household's 八清楚, pre-filled on the entry page and corrected in place: HouseholdForm itself
    (its validation, its masking), without the village and the tags, which the visit does not record."""

    prefix = "hh"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("organisation", "tags"):
            self.fields.pop(name, None)
        for name in ("housing_area", "annual_income"):
            self.fields[name].widget.attrs.setdefault("inputmode", "decimal")
        self.fields["housing_area"].error_messages["max_value"] = AREA_TOO_LARGE
        self.fields["annual_income"].error_messages["max_value"] = INCOME_TOO_LARGE

    def clean_housing_area(self):
        value = self.cleaned_data.get("housing_area")
        if value is not None and value < 0:
            raise forms.ValidationError("住房面积" + NOT_NEGATIVE)
        if not rules.housing_area_ok(value):
            raise forms.ValidationError(AREA_TOO_LARGE)
        return value

    def clean_annual_income(self):
        value = self.cleaned_data.get("annual_income")
        if value is not None and value < 0:
            raise forms.ValidationError("家庭年收入" + NOT_NEGATIVE)
        if not rules.annual_income_ok(value):
            raise forms.ValidationError(INCOME_TOO_LARGE)
        return value

    def clean(self) -> dict:
        self.cleaned_data["organisation"] = self.instance.organisation
        return super().clean()


class VisitResidentForm(ResidentForm):
    """A family row of 附件3 (姓名、性别、年龄、职业) and, for one working away, the second 八清楚. The ID
    number and the 迁出/死亡 archiving stay on the household's own page."""

    departure = None
    departed_on = None

    class Meta(ResidentForm.Meta):
        fields = [name for name in ResidentForm.Meta.fields if name != "id_number"]


def visit_resident_formset_class():
    base = resident_formset_class(extra=1)
    return type("VisitResidentFormSet", (base,), {"form": VisitResidentForm})


class EventForm(SaveGuardFields, GuardedForm):
    household = forms.ModelChoiceField(
        label="户",
        queryset=Household.objects.none(),
        widget=LookupSelect("members-household-lookup", placeholder="户主：姓名、拼音首字母、全拼或地址"),
        error_messages={"invalid_choice": HOUSEHOLD_OUT_OF_SCOPE, "required": "请选择户。"},
    )
    kind = forms.ChoiceField(label="事项", choices=EventKind.choices, widget=forms.RadioSelect)
    occurred_on = forms.DateField(label="发生日期", widget=DateInput())
    note = forms.CharField(label="情况说明", max_length=200, required=False)

    date_ranges = {"occurred_on": "event"}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = scoped(Household.objects.all(), user).select_related(
            "organisation"
        )
        self.fields["household"].label_from_instance = household_label
        if not self.is_bound:
            self.initial.setdefault("occurred_on", timezone.localdate())


# --- the family rows of a saved visit (附件3 被访家庭成员基本情况, and the second 八清楚) ----------------

RELATION_LABELS = [str(label) for label in Resident.Relation.labels]
HEAD_LABEL = str(Resident.Relation.HEAD.label)


class VisitMemberForm(PersonalDataFormMixin, UnprintableTextWarningMixin, GuardedModelForm):
    """One family row of the visit's snapshot, corrected as written on paper. The same boxes and the same
    checks as a row typed on the entry screen (liaison.forms.ResidentForm): the age 0–120, a phone that
    is a phone, the gender, the relation from the household's list, a 外出收入 that is not negative. The
    snapshot keeps the age on the visit's day, so the age is stored as typed (no birth year)."""

    age = forms.IntegerField(
        label="年龄",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={"min_value": AGE_RANGE, "max_value": AGE_RANGE, "invalid": AGE_RANGE},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    relation = forms.ChoiceField(label="与户主关系", choices=[(label, label) for label in RELATION_LABELS])

    class Meta:
        model = VisitMember
        fields = [
            "name",
            "relation",
            "gender",
            "age",
            "phone",
            "occupation",
            "is_party_member",
            "is_away",
            "away_location",
            "away_income",
            "away_requests",
            "away_party_life",
            "away_law_record",
            "away_return",
        ]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}
        error_messages = {"away_income": {"min_value": "外出收入" + NOT_NEGATIVE}}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gender"].required = True
        self.fields["gender"].choices = [("", "—"), *VisitMember.Gender.choices]
        self.fields["away_income"].label = "外出收入（元/年）"
        self.fields["away_requests"].label = "外出人员建议要求"
        stored = self.instance.relation
        if stored and stored not in RELATION_LABELS:  # an old snapshot's own word stays choosable
            self.fields["relation"].choices = [(stored, stored), *self.fields["relation"].choices]
        if not self.instance.pk:
            self.fields["relation"].initial = str(Resident.Relation.OTHER.label)
        self.protect_personal_data(user)

    def clean_phone(self) -> str:
        value = normalise_phone(self.cleaned_data.get("phone", ""))
        validate_phone(value)
        return value


class BaseVisitMemberFormSet(CappedInlineFormSet):
    """The family rows as a whole: at least one, and exactly one 户主, as on the entry screen."""

    default_error_messages = {
        **CappedInlineFormSet.default_error_messages,
        "too_many_forms": TOO_MANY_RESIDENTS,
    }
    row_label = "家庭成员第 {n} 行"

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(NEED_ONE_RESIDENT)
        heads = [f for f in kept if f.cleaned_data.get("relation") == HEAD_LABEL]
        if not heads:
            raise forms.ValidationError(NEED_ONE_HEAD)
        if len(heads) > 1:
            raise forms.ValidationError(TOO_MANY_HEADS)
        self.head_name = heads[0].cleaned_data["name"].strip()

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "录入错误，删除"


def visit_member_formset_class():
    return capped_inline_formset(
        Visit,
        VisitMember,
        max_num=MAX_RESIDENTS,
        form=VisitMemberForm,
        formset=BaseVisitMemberFormSet,
        extra=0,
        can_delete=True,
    )
