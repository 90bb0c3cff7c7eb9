"""Forms for the members app. Choices of people (members, households) come from the user's scope, so a
tampered id is an invalid choice and is refused next to the field; the services check again."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from liaison.access.privacy import PersonalDataFormMixin
from liaison.access.scoping import (
    HOUSEHOLD_OUT_OF_SCOPE,
    MEMBER_OUT_OF_SCOPE,
    ORGANISATION_OUT_OF_SCOPE,
    scoped,
    visible_grassroots,
    visible_organisations,
    visible_with_ancestors,
)
from liaison.documents.printable import UnprintableTextWarningMixin
from liaison.formsets import capped_inline_formset
from liaison.models import Household, Organisation, User
from liaison.quotas import quota_rule
from liaison.safeguards.forms import GuardedForm, GuardedModelForm
from liaison.safeguards.saving import SaveGuardFields
from liaison.validators import normalise_phone
from liaison.widgets import DateInput, LookupSelect, LookupSelectMultiple
from members.models import LiaisonContact, Pairing, PartyMember, Position, PostAssignment, UnitPairing
from members.services.points import POINT_LEVELS
from members.services.posts import POST_LEVELS
from members.services.units import HELPER_LEVEL, HELPER_PARENT_LEVELS

L = Organisation.Level
DUPLICATE_ID_NUMBER = "该身份证号已登记为党员，请勿重复登记。"
JOIN_BEFORE_BIRTH = "入党时间必须晚于出生日期。"
SAME_PERSON = (
    "本支部已有党员“{name}”，出生日期同为 {birth}，可能是同一人重复登记。如确是另一人，请勾选此项后再保存。"
)
NOT_NEGATIVE = "不能为负数。"
TARGET_NOT_GRASSROOTS = "受帮扶党组织应为村或社区党组织。"


def member_label(member: PartyMember) -> str:
    return f"{member.name}（{member.organisation.name}）"


def household_label(household: Household) -> str:
    return f"{household.head_name}户 · {household.address}"


def organisation_label(organisation: Organisation) -> str:
    parent = (
        organisation.parent.display_name if organisation.parent_id and organisation.level != L.UNIT else ""
    )
    return f"{parent} · {organisation.name}" if parent else organisation.name


def scoped_members(user, keep=()) -> forms.ModelChoiceField:
    """Members in scope, plus those already on the record being edited (they stay valid)."""
    queryset = scoped(PartyMember.objects.all(), user) | PartyMember.objects.filter(
        pk__in=[m.pk for m in keep]
    )
    return queryset.select_related("organisation").distinct()


def member_field(user, *, multiple: bool = False, keep=(), label: str = "党员", required: bool = True):
    cls, widget = (
        (forms.ModelMultipleChoiceField, LookupSelectMultiple)
        if multiple
        else (forms.ModelChoiceField, LookupSelect)
    )
    field = cls(
        queryset=scoped_members(user, keep),
        label=label,
        required=required,
        widget=widget("members-member-lookup", placeholder="输入党员姓名、拼音首字母或电话搜索"),
        error_messages={"invalid_choice": MEMBER_OUT_OF_SCOPE, "invalid_pk_value": MEMBER_OUT_OF_SCOPE},
    )
    field.label_from_instance = member_label
    return field


def household_field(user, *, label: str, poor_only: bool = False, keep=None, required: bool = True):
    queryset = scoped(Household.objects.all(), user)
    if keep is not None:
        queryset = queryset | Household.objects.filter(pk=keep.pk)
    field = forms.ModelChoiceField(
        queryset=queryset.distinct(),
        label=label,
        required=required,
        widget=LookupSelect(
            "members-household-lookup",
            placeholder="输入户主姓名、拼音首字母、地址或电话搜索",
            params="poor=1" if poor_only else "",
        ),
        error_messages={"invalid_choice": HOUSEHOLD_OUT_OF_SCOPE},
    )
    field.label_from_instance = household_label
    return field


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


class PartyMemberForm(SaveGuardFields, PersonalDataFormMixin, UnprintableTextWarningMixin, GuardedModelForm):
    # Shown (as a checkbox) only when a namesake born the same day is already in the branch.
    confirm_not_duplicate = forms.BooleanField(
        label="确认不是同一人，仍然保存",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "d-none"}),
    )

    class Meta:
        model = PartyMember
        fields = [
            "organisation",
            "name",
            "gender",
            "birth_date",
            "join_date",
            "id_number",
            "phone",
            "education",
            "title",
            "category",
            "is_mobile",
            "mobile_location",
            "household",
            "user",
        ]
        widgets = {
            "birth_date": DateInput(),
            "join_date": DateInput(),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "id_number": forms.TextInput(
                attrs={"autocomplete": "off", "maxlength": 18, "size": 20, "class": "input-id-number"}
            ),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        branches = visible_organisations(user).filter(level=L.BRANCH).select_related("parent")
        self.fields["organisation"].queryset = branches
        self.fields["organisation"].label = "所在党支部"
        self.fields["organisation"].label_from_instance = organisation_label
        self.fields["organisation"].error_messages["invalid_choice"] = ORGANISATION_OUT_OF_SCOPE
        self.fields["gender"].choices = [("", "—"), *PartyMember.Gender.choices]
        self.fields["education"].choices = [("", "未填写"), *PartyMember.Education.choices]
        keep = self.instance.household if self.instance.household_id else None
        self.fields["household"] = household_field(user, label="所在户", keep=keep, required=False)
        self.fields["household"].help_text = "党员本人所在的户（可不填）"
        users = scoped(User.objects.all(), user).filter(
            Q(party_member__isnull=True) | Q(party_member=self.instance.pk)
        )
        self.fields["user"].queryset = users.order_by("username")
        self.fields["user"].label_from_instance = lambda u: f"{u.username}（{u.display_name}）"
        self.fields["user"].empty_label = "不关联登录账号"
        if not self.instance.pk and len(branches) == 1:
            self.initial["organisation"] = branches[0].pk
        self.protect_personal_data(user)

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_id_number(self) -> str:
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if value and PartyMember.objects.filter(id_number=value).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(DUPLICATE_ID_NUMBER)
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        birth, joined = cleaned.get("birth_date"), cleaned.get("join_date")
        if birth and joined and joined <= birth:
            self.add_error("join_date", JOIN_BEFORE_BIRTH)
        self._warn_same_person(cleaned)
        return cleaned

    def _warn_same_person(self, cleaned: dict) -> None:
        """A member without an ID number is told about a namesake born the same day in the same
        branch: most often the same person entered twice. Ticking the box saves a second one."""
        name, organisation, birth = (
            cleaned.get("name"),
            cleaned.get("organisation"),
            cleaned.get("birth_date"),
        )
        if not (name and organisation and birth) or cleaned.get("confirm_not_duplicate"):
            return
        same = PartyMember.objects.filter(
            organisation=organisation, name=name.strip(), birth_date=birth
        ).exclude(pk=self.instance.pk)
        if same.exists():
            self.fields["confirm_not_duplicate"].widget = forms.CheckboxInput()  # now shown
            self.add_error(
                "confirm_not_duplicate", SAME_PERSON.format(name=name.strip(), birth=f"{birth:%Y-%m-%d}")
            )


class PositionForm(GuardedModelForm):
    class Meta:
        model = Position
        fields = ["organisation", "role", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            visible_with_ancestors(user).select_related("parent").order_by("path")
        )
        self.fields["organisation"].label_from_instance = organisation_label
        self.fields["organisation"].empty_label = "请选择党组织"
        self.fields["role"].choices = [("", "请选择"), *Position.Role.choices]
        self.fields["organisation"].error_messages["invalid_choice"] = ORGANISATION_OUT_OF_SCOPE

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "离任时间不能早于任职时间。")
        return cleaned


# A member holds a handful of posts over a career (书记, 委员, 党代会代表 …); 20 rows is generous.
MAX_POSITIONS = 20


def position_formset_class(*, extra: int):
    return capped_inline_formset(
        PartyMember, Position, max_num=MAX_POSITIONS, form=PositionForm, extra=extra, can_delete=True
    )


class PairingForm(SaveGuardFields, UnprintableTextWarningMixin, GuardedForm):
    date_ranges = {"start_date": "start", "planned_end": "plan", "ended_on": "event"}
    household = forms.ModelChoiceField(queryset=Household.objects.none())
    members = forms.ModelMultipleChoiceField(queryset=PartyMember.objects.none())
    start_date = date_field("结对时间")
    planned_end = date_field("计划结束", required=False)
    help_content = forms.CharField(
        label="帮扶内容",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="党员能帮什么，会印在党群连心卡上，如“柑橘种植技术、代办医保报销”",
    )
    status = forms.ChoiceField(label="状态", choices=Pairing.Status.choices, initial=Pairing.Status.ACTIVE)
    ended_on = date_field("实际结束", required=False)
    end_reason = forms.CharField(label="结束原因", required=False, max_length=200)
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, pairing: Pairing | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = list(pairing.members.all()) if pairing else []
        self.fields["household"] = household_field(
            user, label="结对户", keep=pairing.household if pairing else None
        )
        self.fields["members"] = member_field(user, multiple=True, keep=current, label="帮扶党员")
        self.fields["members"].help_text = "一帮一选一名；多帮一可选多名"
        years = quota_rule("pairing-duration").minimum_display
        self.fields["planned_end"].help_text = f"留空表示长期联系；不足{years}年会提示"
        self.order_fields(["household", "members"])
        if pairing is not None:
            for name in (
                "start_date",
                "planned_end",
                "help_content",
                "status",
                "ended_on",
                "end_reason",
                "notes",
            ):
                self.initial[name] = getattr(pairing, name)
            self.initial["household"] = pairing.household_id
            self.initial["members"] = [m.pk for m in current]


def helper_organisations():
    """机关、企事业单位、“两新”、群团 party organisations and their branches: not personal, all listed."""
    return (
        Organisation.objects.filter(
            Q(level=L.UNIT) | Q(level=L.BRANCH, parent__level__in=HELPER_PARENT_LEVELS)
        )
        .select_related("parent")
        .order_by("path")
    )


class UnitPairingForm(SaveGuardFields, GuardedForm):
    date_ranges = {"start_date": "start", "planned_end": "plan", "ended_on": "event"}
    kind = forms.ChoiceField(label="帮扶方式", choices=UnitPairing.Kind.choices)
    helper_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="帮扶方党组织", empty_label="请选择"
    )
    target_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="受帮扶党组织",
        required=False,
        empty_label="请选择（或选受帮扶党员）",
    )
    target_household = forms.ModelChoiceField(queryset=Household.objects.none(), required=False)
    target_member = forms.ModelChoiceField(queryset=PartyMember.objects.none(), required=False)
    members = forms.ModelMultipleChoiceField(queryset=PartyMember.objects.none(), required=False)
    start_date = date_field("开始时间")
    planned_end = date_field("计划结束", required=False)
    content = forms.CharField(label="帮扶内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(
        label="状态", choices=UnitPairing.Status.choices, initial=UnitPairing.Status.ACTIVE
    )
    ended_on = date_field("实际结束", required=False)

    def __init__(self, *args, user, pairing: UnitPairing | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["helper_organisation"].queryset = helper_organisations()
        self.fields["helper_organisation"].label_from_instance = organisation_label
        self.fields["helper_organisation"].error_messages["invalid_choice"] = HELPER_LEVEL
        targets = (
            Organisation.objects.filter(level__in=Organisation.GRASSROOTS_LEVELS)
            .select_related("parent")
            .order_by("path")
        )
        self.fields["target_organisation"].queryset = targets
        self.fields["target_organisation"].label_from_instance = organisation_label
        self.fields["target_organisation"].error_messages["invalid_choice"] = TARGET_NOT_GRASSROOTS
        self.fields["target_household"] = household_field(
            user,
            label="受帮扶贫困户",
            poor_only=True,
            required=False,
            keep=pairing.target_household if pairing and pairing.target_household_id else None,
        )
        keep_target = [pairing.target_member] if pairing and pairing.target_member_id else []
        self.fields["target_member"] = member_field(
            user, label="受帮扶党员", keep=keep_target, required=False
        )
        current = list(pairing.members.all()) if pairing else []
        self.fields["members"] = member_field(
            user, multiple=True, keep=current, label="结对党员", required=False
        )
        self.order_fields(
            [
                "kind",
                "helper_organisation",
                "target_organisation",
                "target_household",
                "target_member",
                "members",
            ]
        )
        if pairing is not None:
            for name in (
                "kind",
                "helper_organisation",
                "target_organisation",
                "target_household",
                "target_member",
                "start_date",
                "planned_end",
                "content",
                "status",
                "ended_on",
            ):
                value = getattr(pairing, name)
                self.initial[name] = value.pk if hasattr(value, "pk") else value
            self.initial["members"] = [m.pk for m in current]


class UnitRecordForm(SaveGuardFields, GuardedForm):
    date_ranges = {"date": "event"}
    date = date_field("日期")
    content = forms.CharField(label="办了什么", max_length=300)
    money = forms.DecimalField(
        label="帮扶资金（元）",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={"min_value": "帮扶资金" + NOT_NEGATIVE},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    goods = forms.CharField(
        label="捐赠物资", required=False, max_length=200, help_text="物资名称和数量；不计入帮扶资金"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())


def point_organisations():
    return (
        Organisation.objects.filter(level__in=POINT_LEVELS)
        .exclude(level=L.BRANCH, parent__level__in=Organisation.GRASSROOTS_LEVELS)
        .select_related("parent")
        .order_by("path")
    )


class LiaisonPointForm(SaveGuardFields, GuardedForm):
    date_ranges = {"started_on": "start", "ended_on": "event"}
    leader = forms.ModelChoiceField(queryset=PartyMember.objects.none())
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="联系点", empty_label="请选择"
    )
    started_on = date_field("确定时间")
    ended_on = date_field("撤销时间", required=False)
    focus = forms.CharField(label="联系重点", required=False, max_length=200)

    def __init__(self, *args, user, point=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"] = member_field(user, label="领导干部", keep=[point.leader] if point else [])
        self.fields["organisation"].queryset = point_organisations()
        self.fields["organisation"].label_from_instance = organisation_label
        self.order_fields(["leader"])
        if point is not None:
            for name in ("started_on", "ended_on", "focus"):
                self.initial[name] = getattr(point, name)
            self.initial["leader"], self.initial["organisation"] = point.leader_id, point.organisation_id


class LiaisonContactForm(SaveGuardFields, GuardedForm):
    date_ranges = {"date": "event"}
    date = date_field("日期")
    method = forms.ChoiceField(label="方式", choices=LiaisonContact.Method.choices)
    content = forms.CharField(label="联系内容", max_length=300)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())


class PostForm(SaveGuardFields, GuardedForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="设岗党组织", empty_label="请选择"
    )
    name = forms.CharField(
        label="岗位名称", max_length=40, widget=forms.TextInput(attrs={"list": "standard-posts"})
    )
    responsibilities = forms.CharField(label="岗位职责", widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, user, post=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisations = visible_organisations(user).filter(level__in=POST_LEVELS).select_related("parent")
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label_from_instance = organisation_label
        self.fields["organisation"].error_messages["invalid_choice"] = ORGANISATION_OUT_OF_SCOPE
        if post is not None:
            for name in ("name", "responsibilities", "is_active"):
                self.initial[name] = getattr(post, name)
            self.initial["organisation"] = post.organisation_id


class StandardPostsForm(GuardedForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="党组织")

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = visible_organisations(user).filter(level__in=POST_LEVELS)
        self.fields["organisation"].error_messages["invalid_choice"] = ORGANISATION_OUT_OF_SCOPE


class PostAssignmentForm(SaveGuardFields, GuardedForm):
    date_ranges = {"start_date": "start", "end_date": "plan"}
    member = forms.ModelChoiceField(queryset=PartyMember.objects.none())
    source = forms.ChoiceField(
        label="上岗方式",
        choices=PostAssignment.Source.choices,
        widget=forms.RadioSelect,
        initial=PostAssignment.Source.CHOSEN,
    )
    duties = forms.CharField(label="责任要求", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    start_date = date_field("上岗时间")
    end_date = date_field("离岗时间", required=False)

    def __init__(self, *args, user, assignment=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = member_field(user, keep=[assignment.member] if assignment else [])
        self.order_fields(["member"])
        if assignment is not None:
            for name in ("source", "duties", "start_date", "end_date"):
                self.initial[name] = getattr(assignment, name)
            self.initial["member"] = assignment.member_id
        else:
            self.initial.setdefault("start_date", timezone.localdate())


class PostReportForm(SaveGuardFields, GuardedForm):
    date_ranges = {"submitted_on": "event"}
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    content = forms.CharField(
        label="履职情况",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="本年度在岗位上做了哪些事、服务了多少群众",
    )
    submitted_on = date_field("填报日期")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("year", today.year)
        self.initial.setdefault("submitted_on", today)


class ImportUploadForm(GuardedForm):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": "请选择要导入的 .xlsx 文件。", "empty": "文件是空的。"},
    )


class CardSheetForm(GuardedForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="村（社区）", empty_label=None
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = visible_grassroots(user).select_related("parent")
        self.fields["organisation"].label_from_instance = organisation_label
