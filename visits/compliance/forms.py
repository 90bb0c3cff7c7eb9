"""Forms of terms, talks, stays and reports. Pickers offer only what is in the user's scope, so a
tampered id is refused next to the field; the services check again."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from liaison.access.scoping import VILLAGE_OUT_OF_SCOPE, visible_grassroots
from liaison.documents.printable import UnprintableTextWarningMixin
from liaison.models import Organisation
from liaison.safeguards.forms import GuardedForm
from liaison.safeguards.saving import SaveGuardFields
from members.forms import date_field, member_field, organisation_label
from visits.models import Talk
from visits.models.meetings import TEXT_MAX
from visits.models.research import FINDINGS_MAX
from visits.models.talks import MAX_PARTICIPANTS, SUMMARY_MAX
from visits.uploads import check_report_file

FILE_REQUIRED = "请选择调研报告文件（PDF 或 DOCX）。"


def grassroots_field(
    user, *, label: str = "村（社区）", keep: Organisation | None = None
) -> forms.ModelChoiceField:
    queryset = visible_grassroots(user)
    if keep is not None:
        queryset = queryset | Organisation.objects.filter(pk=keep.pk)
    field = forms.ModelChoiceField(
        queryset=queryset.select_related("parent").order_by("path").distinct(),
        label=label,
        empty_label="请选择",
        error_messages={"invalid_choice": VILLAGE_OUT_OF_SCOPE},
    )
    field.label_from_instance = organisation_label
    return field


def _fill(form: forms.Form, record, names: tuple[str, ...]) -> None:
    for name in names:
        form.initial[name] = getattr(record, name)


class TermForm(SaveGuardFields, GuardedForm):
    date_ranges = {"elected_on": "start", "ends_on": "plan"}
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())
    name = forms.CharField(label="届次", max_length=40, help_text="如“第十一届”")
    elected_on = date_field("换届选举日期")
    ends_on = date_field("届满日期", help_text="村（居）“两委”每届五年")
    notes = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, user, term=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = grassroots_field(user, keep=term.organisation if term else None)
        self.order_fields(["organisation"])
        if term is not None:
            _fill(self, term, ("name", "elected_on", "ends_on", "notes"))
            self.initial["organisation"] = term.organisation_id


class TalkForm(SaveGuardFields, UnprintableTextWarningMixin, GuardedForm):
    date_ranges = {"talked_on": "event"}
    leader = forms.ModelChoiceField(queryset=Organisation.objects.none())
    form = forms.ChoiceField(label="形式", choices=Talk.Form.choices, initial=Talk.Form.INDIVIDUAL)
    talked_on = date_field("日期")
    counterpart = forms.CharField(
        label="谈话对象", max_length=100, help_text="个别谈话填姓名和身份；集体座谈填对象，如“三组党员”"
    )
    participants = forms.IntegerField(
        label="参加人数", required=False, min_value=1, max_value=MAX_PARTICIPANTS, help_text="集体座谈填写"
    )
    place = forms.CharField(label="地点", required=False, max_length=100)
    summary = forms.CharField(
        label="谈话内容", max_length=SUMMARY_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(label="需要帮助解决的问题", required=False, max_length=300)

    def __init__(self, *args, user, talk=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"] = member_field(user, label="谈话人", keep=[talk.leader] if talk else [])
        self.order_fields(["leader"])
        if talk is None:
            self.initial.setdefault("talked_on", timezone.localdate())
        else:
            _fill(
                self,
                talk,
                ("form", "talked_on", "counterpart", "participants", "place", "summary", "follow_up"),
            )
            self.initial["leader"] = talk.leader_id


class ResearchForm(SaveGuardFields, UnprintableTextWarningMixin, GuardedForm):
    date_ranges = {"started_on": "event", "ended_on": "event"}
    leader = forms.ModelChoiceField(queryset=Organisation.objects.none())
    village = forms.ModelChoiceField(queryset=Organisation.objects.none())
    started_on = date_field("驻村开始")
    ended_on = date_field("驻村结束", help_text="开始和结束当天都计入天数")
    topic = forms.CharField(label="调研主题", max_length=200)
    findings = forms.CharField(
        label="调研情况", required=False, max_length=FINDINGS_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, research=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"] = member_field(user, label="调研人", keep=[research.leader] if research else [])
        self.fields["village"] = grassroots_field(
            user, label="驻点村（社区）", keep=research.village if research else None
        )
        self.order_fields(["leader", "village"])
        if research is not None:
            _fill(self, research, ("started_on", "ended_on", "topic", "findings"))
            self.initial["leader"], self.initial["village"] = research.leader_id, research.village_id


class ReportForm(SaveGuardFields, GuardedForm):
    date_ranges = {"submitted_on": "event"}
    author = forms.ModelChoiceField(queryset=Organisation.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="标题", max_length=200)
    submitted_on = date_field("报送日期")
    file = forms.FileField(
        label="报告文件",
        help_text="PDF 或 Word（DOCX），不超过 20 MB",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
        error_messages={"required": FILE_REQUIRED, "empty": FILE_REQUIRED, "invalid": FILE_REQUIRED},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author"] = member_field(user, label="撰写人")
        self.order_fields(["author"])
        today = timezone.localdate()
        self.initial.setdefault("year", today.year)
        self.initial.setdefault("submitted_on", today)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_report_file(upload)
        return upload


class OpinionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, opinion) -> str:
        return f"{opinion.received_on:%m-%d} {opinion.reporter_name}：{opinion.subject}"


class VisitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, visit) -> str:
        problem = visit.problem if len(visit.problem) <= 40 else visit.problem[:40] + "…"
        return f"{visit.visited_on:%m-%d} {visit.visitor.name}走访{visit.head_name}户：{problem}"


class MeetingForm(SaveGuardFields, UnprintableTextWarningMixin, GuardedForm):
    """A meeting of one village in one month: both chosen before the form (they decide which opinions and
    visits may be picked), carried in hidden fields and checked again by the service."""

    date_ranges = {"held_on": "event", "month": "event"}
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), widget=forms.HiddenInput)
    month = forms.DateField(widget=forms.HiddenInput)
    held_on = date_field("会议日期")
    place = forms.CharField(label="地点", required=False, max_length=100)
    host = forms.ModelChoiceField(queryset=Organisation.objects.none())
    attendees = forms.ModelMultipleChoiceField(queryset=Organisation.objects.none())
    other_attendees = forms.CharField(
        label="其他参会人员", required=False, max_length=200, help_text="如驻村干部、村民代表，填姓名或人数"
    )
    opinions = OpinionChoices(
        queryset=Organisation.objects.none(),
        required=False,
        label="研究的群众意见",
        widget=forms.CheckboxSelectMultiple,
    )
    visits = VisitChoices(
        queryset=Organisation.objects.none(),
        required=False,
        label="研究的走访记录",
        widget=forms.CheckboxSelectMultiple,
    )
    analysis = forms.CharField(
        label="社情民意分析", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    decisions = forms.CharField(
        label="工作安排", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(
        label="落实情况",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="会后跟踪落实时补充",
    )

    def __init__(self, *args, user, organisation, month, meeting=None, **kwargs) -> None:
        from visits.compliance.meetings import months_opinions, months_visits

        super().__init__(*args, **kwargs)
        keep = list(meeting.attendees.all()) if meeting else []
        self.fields["organisation"] = grassroots_field(user, keep=organisation)
        self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["host"] = member_field(
            user, label="主持人", required=False, keep=[meeting.host] if meeting and meeting.host else []
        )
        self.fields["attendees"] = member_field(
            user, multiple=True, keep=keep, label="参会党员干部", required=False
        )
        self.fields["opinions"].queryset = months_opinions(organisation, month)
        self.fields["visits"].queryset = months_visits(organisation, month)
        self.initial.update(organisation=organisation.pk, month=month)
        if meeting is None:
            today = timezone.localdate()
            self.initial.setdefault(
                "held_on", today if (today.year, today.month) == (month.year, month.month) else None
            )
        else:
            _fill(
                self, meeting, ("held_on", "place", "other_attendees", "analysis", "decisions", "follow_up")
            )
            self.initial["host"] = meeting.host_id
            self.initial["attendees"] = [m.pk for m in keep]
            self.initial["opinions"] = list(meeting.opinions.values_list("pk", flat=True))
            self.initial["visits"] = list(meeting.visits.values_list("pk", flat=True))
