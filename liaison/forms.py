"""Household and resident forms, and the configuration forms of the organisation department (quota rules,
the work calendar). The organisation choices come from the user's scope, so a tampered organisation id
in a POST is not a valid choice and is refused next to the field."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from liaison import workcal
from liaison.access.privacy import PersonalDataFormMixin
from liaison.access.scoping import VILLAGE_OUT_OF_SCOPE, visible_grassroots, visible_organisations
from liaison.documents.printable import UnprintableTextWarningMixin
from liaison.formsets import CappedInlineFormSet, capped_inline_formset
from liaison.models import Household, Organisation, QuotaRule, Resident, WorkCalendarYear
from liaison.safeguards.dates import plausible
from liaison.safeguards.forms import GuardedForm, GuardedModelForm
from liaison.safeguards.saving import SaveGuardFields
from liaison.safeguards.text import has_control_characters
from liaison.validators import normalise_phone

AGE_RANGE = "年龄应在 0 到 120 岁之间。"
NOT_NEGATIVE = "不能为负数。"
NEED_ONE_HEAD = "请在家庭成员中指定一名户主（与户主关系选“户主”）。"
TOO_MANY_HEADS = "一户只能有一名户主。"
NEED_ONE_RESIDENT = "请至少填写一名家庭成员。"
DUPLICATE_HOUSEHOLD = "本村（社区）已有同一地址、同一户主的户，请勿重复登记。"
# The biggest 户 in a village register is a four-generation household of about 20 people; 50 leaves
# room and keeps a forged residents-TOTAL_FORMS from building thousands of forms.
MAX_RESIDENTS = 50
TOO_MANY_RESIDENTS = "一户最多登记 %(num)d 名家庭成员。"
DUPLICATE_ARCHIVED_HOUSEHOLD = (
    "本村（社区）同一地址、同一户主的户已归档（迁出或死亡），请在“已归档”中打开该户并恢复，不要重新登记。"
)
DELETE_OR_DEPART = "请只选择一种：录入错误删除，或迁出/死亡归档。"
DEPARTED_ON_WITHOUT_REASON = "填写了日期，请同时选择“迁出”或“死亡”。"
DEPARTURE_CHOICES = [("", "—"), ("moved_away", "迁出（归档）"), ("deceased", "死亡（归档）")]


class HouseholdForm(SaveGuardFields, PersonalDataFormMixin, UnprintableTextWarningMixin, GuardedModelForm):
    class Meta:
        model = Household
        fields = [
            "organisation",
            "group",
            "address",
            "phone",
            "housing_area",
            "annual_income",
            "skills",
            "problems",
            "requests",
            "party_member_info",
            "tags",
        ]
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            "problems": forms.Textarea(attrs={"rows": 2}),
            "requests": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        error_messages = {
            "housing_area": {"min_value": "住房面积" + NOT_NEGATIVE},
            "annual_income": {"min_value": "家庭年收入" + NOT_NEGATIVE},
        }

    def __init__(self, *args, user, head_name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.head_name = head_name
        grassroots = visible_grassroots(user)
        self.fields["organisation"].queryset = grassroots
        self.fields["organisation"].error_messages["invalid_choice"] = VILLAGE_OUT_OF_SCOPE
        self.fields["organisation"].label_from_instance = lambda org: org.display_name
        if not self.instance.pk and len(grassroots) == 1:
            self.initial["organisation"] = grassroots[0].pk
        self.protect_personal_data(user)

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict:
        cleaned = super().clean()
        # Said up front, before any resident-level error: a second submit of the same household.
        if self.head_name and cleaned.get("organisation"):
            # An archived household counts too: the database refuses the second row either way, and
            # the clerk should restore it rather than type it again.
            duplicate = list(
                Household.all_objects.filter(
                    organisation=cleaned.get("organisation"),
                    address=(cleaned.get("address") or "").strip(),
                    head_name=self.head_name,
                )
                .exclude(pk=self.instance.pk)
                .values_list("archived_on", flat=True)[:1]
            )
            if duplicate:
                raise ValidationError(DUPLICATE_ARCHIVED_HOUSEHOLD if duplicate[0] else DUPLICATE_HOUSEHOLD)
        return cleaned


def posted_head_name(data, prefix: str) -> str:
    """The 户主's name as typed in the residents formset, before the formset is validated.

    Walks the posted rows themselves, never ``range(TOTAL_FORMS)``: the count is the client's word.
    """
    rows = sorted(
        int(index)
        for index, _, field in (
            key[len(prefix) + 1 :].partition("-") for key in data if key.startswith(f"{prefix}-")
        )
        if field == "relation" and index.isdigit() and int(index) < MAX_RESIDENTS
    )
    for i in rows:
        if (
            data.get(f"{prefix}-{i}-relation") == Resident.Relation.HEAD
            and not data.get(f"{prefix}-{i}-DELETE")
            and not data.get(f"{prefix}-{i}-departure")
        ):
            name = (data.get(f"{prefix}-{i}-name") or "").strip()
            # Checked before the residents' own validation: text no field may hold matches nothing.
            return "" if has_control_characters(name) or len(name) > 50 else name
    return ""


class ResidentForm(PersonalDataFormMixin, UnprintableTextWarningMixin, GuardedModelForm):
    age = forms.IntegerField(
        label="年龄",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={"min_value": AGE_RANGE, "max_value": AGE_RANGE, "invalid": AGE_RANGE},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Resident
        fields = [
            "name",
            "relation",
            "gender",
            "age",
            "id_number",
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
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            # 18 characters, the last may be X: wide enough to read them all, and no more can be typed.
            "id_number": forms.TextInput(
                attrs={"autocomplete": "off", "maxlength": 18, "size": 20, "class": "input-id-number"}
            ),
        }
        error_messages = {"away_income": {"min_value": "外出收入" + NOT_NEGATIVE}}

    # An existing resident leaves the household in one of two ways (liaison/retention.py): a row typed by
    # mistake is deleted (DELETE, "录入错误，删除"), a resident who moved away or died is archived with the
    # reason and date, kept out of every list, and can be restored.
    departure = forms.ChoiceField(
        label="迁出/死亡",
        choices=DEPARTURE_CHOICES,
        required=False,
        help_text="选择后该成员归档，日期不填为今天",
    )
    departed_on = forms.DateField(
        label="迁出/死亡日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入正确的日期，如 2026-03-01。"},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.birth_year:
            self.fields["age"].initial = self.instance.age
        # A narrow column: a blank first choice, not a "请选择" that shows as "请:" and reads as a value.
        self.fields["gender"].choices = [("", "—"), *Resident.Gender.choices]
        self.protect_personal_data(user)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("departed_on") and not cleaned.get("departure"):
            self.add_error("departed_on", DEPARTED_ON_WITHOUT_REASON)
        departed_on = cleaned.get("departed_on")
        if departed_on and departed_on > datetime.date.today():
            self.add_error("departed_on", "迁出/死亡日期不能晚于今天。")
        return cleaned

    @property
    def departs(self) -> bool:
        return bool(self.instance.pk and getattr(self, "cleaned_data", {}).get("departure"))

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_id_number(self) -> str:
        return (self.cleaned_data.get("id_number") or "").strip().upper()

    def save(self, commit: bool = True) -> Resident:
        age = self.cleaned_data.get("age")
        self.instance.birth_year = None if age is None else datetime.date.today().year - age
        return super().save(commit=commit)


class BaseResidentFormSet(CappedInlineFormSet):
    default_error_messages = {
        **CappedInlineFormSet.default_error_messages,
        "too_many_forms": TOO_MANY_RESIDENTS,
    }
    row_label = "家庭成员第 {n} 行"  # in the error summary (liaison/templatetags/form_errors.py)

    def clean(self) -> None:
        super().clean()
        # A row marked for deletion is not validated by the formset, so this is said here.
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") and data.get("departure"):
                raise ValidationError(f"{data.get('name') or ''}：{DELETE_OR_DEPART}")
        if any(self.errors):
            return
        # Rows that leave by archiving (迁出/死亡) are saved by the service, not by the formset.
        self.departed_forms = [f for f in self.forms if f.cleaned_data and f.departs]
        kept = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f not in self.departed_forms
        ]
        if not kept:
            raise ValidationError(NEED_ONE_RESIDENT)
        heads = [f for f in kept if f.cleaned_data.get("relation") == Resident.Relation.HEAD]
        if not heads:
            raise ValidationError(NEED_ONE_HEAD)
        if len(heads) > 1:
            raise ValidationError(TOO_MANY_HEADS)
        self.head_name = heads[0].cleaned_data["name"].strip()

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "录入错误，删除"

    def save_existing(self, form, obj, commit: bool = True):
        if form in getattr(self, "departed_forms", ()):
            return obj  # archived by liaison.services.household_save, with the reason and date
        return super().save_existing(form, obj, commit=commit)


class NewHouseholdResidentFormSet(BaseResidentFormSet):
    """On a new household the first row is the 户主: that is how the booklets are filled in."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index == 0 and not self.instance.pk:
            kwargs["initial"] = {"relation": Resident.Relation.HEAD}
        return kwargs


def resident_formset_class(*, extra: int, new: bool = False):
    """A new household shows a few blank rows; an edit shows the residents plus an "添加一行" button."""
    return capped_inline_formset(
        Household,
        Resident,
        max_num=MAX_RESIDENTS,
        form=ResidentForm,
        formset=NewHouseholdResidentFormSet if new else BaseResidentFormSet,
        extra=extra,
        min_num=1,
        validate_min=False,
        can_delete=True,
    )


# --- configuration: quota rules and the statutory work calendar (法定节假日与调休) ----------------------


def effective_from_field() -> forms.DateField:
    return forms.DateField(
        label="生效日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[plausible("plan")],
        help_text="新数值从这一天起适用；此前（包括往年）仍按原数值考核。不填为今天。",
        error_messages={"invalid": "请输入正确的日期，如 2027-01-01。"},
    )


class QuotaRuleForm(SaveGuardFields, GuardedModelForm):
    """A change of a rule: the new number, source and notes, and the date they apply from. The view
    saves it through services.quota_rule_change, which keeps the values it replaces."""

    effective_from = effective_from_field()

    class Meta:
        model = QuotaRule
        fields = ["minimum", "source", "notes"]
        error_messages = {"minimum": {"min_value": "最低要求不能为负数。"}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = max(timezone.localdate(), self.instance.effective_from)

    def clean_effective_from(self) -> datetime.date:
        return self.cleaned_data.get("effective_from") or timezone.localdate()


class LocalQuotaRuleForm(SaveGuardFields, GuardedForm):
    """A locality's own number for a rule, for one organisation's subtree (needs no code)."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="适用地方", help_text="该党组织及其下级按本规则考核"
    )
    minimum = forms.DecimalField(
        label="最低要求",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        error_messages={"min_value": "最低要求不能为负数。"},
    )
    source = forms.CharField(label="依据", max_length=300, help_text="地方文件名称和条款")
    notes = forms.CharField(label="说明", max_length=300, required=False)
    effective_from = effective_from_field()

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = visible_organisations(user).exclude(
            level=Organisation.Level.BRANCH
        )
        self.fields["effective_from"].initial = timezone.localdate()

    def clean_effective_from(self) -> datetime.date:
        return self.cleaned_data.get("effective_from") or timezone.localdate()


CALENDAR_YEAR_EXISTS = "{year}年已经录入，请在该年度页面修改。"


class CalendarYearForm(SaveGuardFields, GuardedForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source = forms.CharField(
        label="依据", max_length=300, help_text="国务院办公厅关于该年部分节假日安排的通知，注明文号"
    )
    notes = forms.CharField(label="说明", max_length=300, required=False)
    days = forms.CharField(
        label="放假和调休上班日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace", "spellcheck": "false"}),
        help_text="每行一项：“2027-10-01 至 2027-10-07 休 国庆节”或“2027-09-26 班 国庆节调休”。"
        "未列出的日子按常规：周一至周五上班，周六、周日休息。",
    )

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["year"].disabled = True

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not self.editing and WorkCalendarYear.objects.filter(year=year).exists():
            raise forms.ValidationError(CALENDAR_YEAR_EXISTS.format(year=year))
        return year

    def clean(self) -> dict:
        cleaned = super().clean()
        if "year" in cleaned:
            try:
                cleaned["entries"] = workcal.parse_days(cleaned.get("days", ""), year=cleaned["year"])
            except forms.ValidationError as exc:
                self.add_error("days", exc)
        return cleaned
