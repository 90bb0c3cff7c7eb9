"""Forms of the commitments pages: thin, built on liaison.safeguards; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from commitments.models import (
    AREAS_BY_SUBJECT,
    Comment,
    CommentSource,
    Commitment,
    Completion,
    PersonalCommitment,
    ReviewResult,
    VoteBody,
    VoterGroup,
)
from commitments.models.steps import EVIDENCE_EXTENSIONS
from commitments.rules import Grade
from commitments.services.assessments import TALLIES_EMPTY, TALLY_NEGATIVE
from liaison.access.scoping import (
    MEMBER_OUT_OF_SCOPE,
    ORGANISATION_OUT_OF_SCOPE,
    scoped,
    visible_organisations,
)
from liaison.documents.printable import UnprintableTextWarningMixin
from liaison.models import Organisation
from liaison.safeguards.forms import GuardedForm, GuardedModelForm
from liaison.safeguards.saving import SaveGuardFields
from liaison.widgets import DateInput, LookupSelect
from members.models import PartyMember

L = Organisation.Level
COUNT_INVALID = "请输入不小于 0 的整数。"
AREA_HINT = (
    "党组织：班子建设、党员队伍建设、党内民主建设；村（居）委会：经济社会发展、为民便民服务、民主政治建设。"
)


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def count_field(label: str, *, required: bool = True) -> forms.IntegerField:
    # min_value is the service's to check (it says which count and why, and saves nothing); the
    # browser's own check is kept off so the page, not a tooltip, says it.
    return forms.IntegerField(
        label=label,
        required=required,
        initial=None if required else 0,
        error_messages={"invalid": COUNT_INVALID, "required": f"请填写{label}。"},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}),
    )


def committing_organisations(user):
    """Villages and communities (the 两委会) and branches, in the user's subtree."""
    return (
        visible_organisations(user)
        .filter(level__in=[L.VILLAGE, L.COMMUNITY, L.BRANCH])
        .exclude(level=L.BRANCH, parent__level__in=[L.UNIT, L.DISTRICT])
        .select_related("parent")
        .order_by("path")
    )


class CommitmentForm(SaveGuardFields, UnprintableTextWarningMixin, GuardedModelForm):
    date_ranges = {"deadline": "plan"}

    class Meta:
        model = Commitment
        fields = [
            "organisation",
            "subject",
            "direction",
            "scope",
            "year",
            "area",
            "title",
            "content",
            "target",
            "deadline",
            "responsible",
        ]
        widgets = {
            "deadline": DateInput(),
            "content": forms.Textarea(attrs={"rows": 4}),
            "direction": forms.RadioSelect,
            "scope": forms.RadioSelect,
        }
        help_texts = {"area": AREA_HINT}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        organisation = self.fields["organisation"]
        organisation.queryset = committing_organisations(user)
        organisation.label_from_instance = lambda org: org.indented_name
        organisation.error_messages["invalid_choice"] = ORGANISATION_OUT_OF_SCOPE
        self.fields["year"].widget = forms.NumberInput(attrs={"min": 2000, "max": 2100})
        if self.instance.pk:
            organisation.disabled = True
            organisation.help_text = "承诺主体所在的村（社区）或支部，提出后不能更改。"
        else:
            today = timezone.localdate()
            self.initial.setdefault("year", today.year)
            if user.organisation_id and user.organisation.level in (L.VILLAGE, L.COMMUNITY, L.BRANCH):
                self.initial.setdefault("organisation", user.organisation_id)

    def clean(self):
        cleaned = super().clean()
        subject, area = cleaned.get("subject"), cleaned.get("area")
        if subject and area and area not in AREAS_BY_SUBJECT.get(subject, ()):
            self.add_error("area", "“两委会”承诺事项不交叉：" + AREA_HINT)
        return cleaned

    def _post_clean(self):
        # The service validates the instance it builds; a half-built one here would only repeat it.
        pass


class CommentForm(SaveGuardFields, GuardedForm):
    date_ranges = {"received_on": "event"}
    received_on = date_field("征求日期")
    source = forms.ChoiceField(label="意见来自", choices=[("", "请选择"), *CommentSource.choices])
    content = forms.CharField(label="意见内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    handling = forms.ChoiceField(
        label="采纳情况", required=False, choices=[("", "（待研究）"), *Comment.Handling.choices]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", timezone.localdate())


class VoteForm(SaveGuardFields, GuardedForm):
    date_ranges = {"held_on": "event"}
    held_on = date_field("表决日期")
    body = forms.ChoiceField(label="表决会议", choices=[("", "请选择"), *VoteBody.choices])
    eligible = count_field("应参加表决人数")
    approve = count_field("同意票")
    reject = count_field("不同意票")
    abstain = count_field("弃权票", required=False)
    note = forms.CharField(label="备注", required=False, max_length=300)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_on", timezone.localdate())

    def clean_abstain(self) -> int:
        return self.cleaned_data.get("abstain") or 0


class DecisionForm(GuardedForm):
    """镇街批准 or 公开承诺: one date (and a note)."""

    date_ranges = {"on": "event"}
    on = date_field("日期")
    note = forms.CharField(label="意见", required=False, max_length=300)

    def __init__(self, *args, label: str = "日期", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label
        self.initial.setdefault("on", timezone.localdate())


class ReasonForm(GuardedForm):
    reason = forms.CharField(label="理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(SaveGuardFields, GuardedForm):
    date_ranges = {"date": "event"}
    date = date_field("日期")
    content = forms.CharField(label="践诺情况", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label="佐证材料",
        required=False,
        help_text="现场照片或文件（图片、PDF、Excel 或文字文档），不超过 10 兆字节",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in EVIDENCE_EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())


class InspectionForm(SaveGuardFields, UnprintableTextWarningMixin, GuardedForm):
    date_ranges = {"date": "event"}
    date = date_field("督查日期")
    inspectors = forms.CharField(
        label="督查人员",
        max_length=200,
        help_text="镇街工作人员和党员群众代表，如“镇组织办 王敏；党员代表 2 名”",
    )
    findings = forms.CharField(label="督查情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    help_given = forms.CharField(
        label="帮助协调解决的困难和问题",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    commitments = forms.ModelMultipleChoiceField(
        label="督查的承诺事项",
        required=False,
        queryset=Commitment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, items=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitments"].queryset = items if items is not None else Commitment.objects.none()
        self.fields["commitments"].label_from_instance = lambda c: f"{c.get_subject_display()}：{c.title}"
        self.initial.setdefault("date", timezone.localdate())


class AssessmentForm(SaveGuardFields, GuardedForm):
    """述职 and the 满意度测评 tallies, one row of three counts per voter group (004 四（六）)."""

    date_ranges = {"report_on": "event"}
    report_on = date_field("述职日期")
    meeting = forms.CharField(
        label="述职会议", required=False, max_length=200, help_text="如“全体党员和群众代表大会，到会 86 人”"
    )

    KINDS = (("satisfied", "满意"), ("basically_satisfied", "基本满意"), ("dissatisfied", "不满意"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for group in VoterGroup:
            for kind, label in self.KINDS:
                self.fields[f"{group.value}__{kind}"] = count_field(f"{group.label}·{label}", required=False)
        self.initial.setdefault("report_on", timezone.localdate())

    @property
    def rows(self):
        return [(group, [self[f"{group.value}__{kind}"] for kind, _ in self.KINDS]) for group in VoterGroup]

    def clean(self):
        """Counts a meeting can announce, checked before anything is saved (the service checks again)."""
        cleaned = super().clean()
        total = 0
        for name in self.fields:
            if "__" not in name:
                continue
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, TALLY_NEGATIVE)
            elif value:
                total += value
        if not self.errors and total == 0:
            raise forms.ValidationError(TALLIES_EMPTY)
        return cleaned

    def tallies(self) -> dict[str, tuple[int, int, int]]:
        data = self.cleaned_data
        return {
            group.value: tuple(data.get(f"{group.value}__{kind}") or 0 for kind, _ in self.KINDS)
            for group in VoterGroup
        }


class FieldCheckForm(SaveGuardFields, UnprintableTextWarningMixin, GuardedForm):
    date_ranges = {"field_check_on": "event"}
    field_check_on = date_field("实地考察日期")
    field_check_team = forms.CharField(
        label="考察组成员", max_length=200, help_text="镇干部、部分党员代表、村（居）民代表"
    )
    field_check_findings = forms.CharField(
        label="实地考察情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, items=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"completion_{item.pk}"] = forms.ChoiceField(
                label=item.title,
                required=False,
                choices=[("", "（未考察）"), *Completion.choices],
                initial=item.completion,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label="考察意见", required=False, max_length=300, initial=item.completion_note
            )
        self.initial.setdefault("field_check_on", timezone.localdate())

    @property
    def item_rows(self):
        return [(item, self[f"completion_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def completions(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (
                self.cleaned_data.get(f"completion_{item.pk}") or "",
                self.cleaned_data.get(f"note_{item.pk}") or "",
            )
            for item in self.items
        }


class FinaliseForm(SaveGuardFields, GuardedForm):
    date_ranges = {"finalised_on": "event", "rectification_deadline": "plan"}
    final_grade = forms.ChoiceField(label="综合考评结果", choices=[("", "请选择"), *Grade.choices])
    finalised_on = date_field("评定日期")
    final_note = forms.CharField(
        label="综合考评意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    rectification_deadline = date_field(
        "整改期限", required=False, help_text="不满意率超过50％或评为不合格时必填（004 五、评诺结果运用）"
    )
    rectification_note = forms.CharField(
        label="整改要求", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("finalised_on", timezone.localdate())


def members_in_scope(user):
    return scoped(PartyMember.objects.all(), user).select_related("organisation")


class PersonalForm(SaveGuardFields, UnprintableTextWarningMixin, GuardedModelForm):
    date_ranges = {"deadline": "plan", "publicised_on": "event"}

    class Meta:
        model = PersonalCommitment
        fields = ["member", "year", "content", "measure", "deadline", "publicised_on"]
        widgets = {"deadline": DateInput(), "publicised_on": DateInput()}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        member.queryset = members_in_scope(user)
        member.widget = LookupSelect("members-member-lookup", placeholder="输入党员姓名或拼音首字母搜索")
        member.widget.choices = member.choices
        member.label_from_instance = lambda m: f"{m.name}（{m.organisation.display_name}）"
        member.error_messages["invalid_choice"] = MEMBER_OUT_OF_SCOPE
        self.fields["year"].widget = forms.NumberInput(attrs={"min": 2000, "max": 2100})
        if self.instance.pk:
            member.disabled = True
            self.fields["year"].disabled = True
        else:
            self.initial.setdefault("year", timezone.localdate().year)

    def _post_clean(self):
        pass


class ReviewForm(SaveGuardFields, GuardedForm):
    date_ranges = {"reviewed_on": "event"}
    review_result = forms.ChoiceField(label="民主评议", choices=[("", "请选择"), *ReviewResult.choices])
    reviewed_on = date_field("评议日期")
    review_comment = forms.CharField(label="评议意见", required=False, max_length=300)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("reviewed_on", timezone.localdate())
