"""Commitment (承诺): one item the 两委会 (or a branch) promises, and its history through the six steps.

004 一、二、三: the subject is the 两委会: the party organisation (represented by its secretary) commits
upward to the township party committee and downward to the members; the 村(居)委会 (by its director)
to the township government and the residents. Their items do not overlap: the party organisation's
areas are 班子建设、党员队伍建设、党内民主建设, the 村(居)委会's 经济社会发展、为民便民服务、民主政治建设.
A branch (003) commits in the party organisation's areas. A member's own promise is a PersonalCommitment.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from commitments import rules
from commitments.states import ADOPTED_STATES, PUBLIC_STATES, State
from commitments.states import Action as StateAction
from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible


class Subject(models.TextChoices):
    PARTY = "party", "村（社区）党组织"
    COMMITTEE = "committee", "村（居）委会"
    BRANCH = "branch", "党支部"


class Direction(models.TextChoices):
    UPWARD = "upward", "对上（向镇街党委、政府）"
    DOWNWARD = "downward", "对下（向党员、群众）"


class Scope(models.TextChoices):
    TERM = "term", "任期承诺（三年）"
    ANNUAL = "annual", "年度承诺"


class Area(models.TextChoices):
    """DESIGN.md "Commitment"; 004 三（一）（二）."""

    LEADERSHIP = "leadership", "班子建设"
    MEMBERSHIP = "membership", "党员队伍建设"
    INNER_DEMOCRACY = "inner_democracy", "党内民主建设"
    DEVELOPMENT = "development", "经济社会发展"
    SERVICE = "service", "为民便民服务"
    DEMOCRACY = "democracy", "民主政治建设"


PARTY_AREAS = (Area.LEADERSHIP, Area.MEMBERSHIP, Area.INNER_DEMOCRACY)
COMMITTEE_AREAS = (Area.DEVELOPMENT, Area.SERVICE, Area.DEMOCRACY)
# 004 三: “‘两委会’的承诺事项不交叉”.
AREAS_BY_SUBJECT: dict[str, tuple[Area, ...]] = {
    Subject.PARTY: PARTY_AREAS,
    Subject.COMMITTEE: COMMITTEE_AREAS,
    Subject.BRANCH: PARTY_AREAS,
}
# To whom each subject commits (004 二、三): shown with the direction.
TO_WHOM: dict[tuple[str, str], str] = {
    (Subject.PARTY, Direction.UPWARD): "向镇街党委承诺",
    (Subject.PARTY, Direction.DOWNWARD): "向党员承诺",
    (Subject.COMMITTEE, Direction.UPWARD): "向镇街政府承诺",
    (Subject.COMMITTEE, Direction.DOWNWARD): "向群众承诺",
    (Subject.BRANCH, Direction.UPWARD): "向上级党组织承诺",
    (Subject.BRANCH, Direction.DOWNWARD): "向党员、群众承诺",
}
COMMITMENT_TEXT_MAX = 1000


class Completion(models.TextChoices):
    """What the township's 考察组 found on the spot (004 四（六）“对照承诺事项，实地考察承诺事项完成情况”)."""

    DONE = "done", "已完成"
    PARTLY = "partly", "部分完成"
    NOT_DONE = "not_done", "未完成"


class Commitment(models.Model):
    organisation = models.ForeignKey(
        "liaison.Organisation",
        verbose_name="承诺党组织",
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text="村（社区）；党支部的承诺为该支部",
    )
    subject = models.CharField("承诺主体", max_length=10, choices=Subject.choices)
    direction = models.CharField("承诺方向", max_length=10, choices=Direction.choices)
    scope = models.CharField("承诺类型", max_length=10, choices=Scope.choices, default=Scope.ANNUAL)
    year = models.PositiveSmallIntegerField("年度", help_text="任期承诺为换届后第一年")
    end_year = models.PositiveSmallIntegerField("截至年度", editable=False)
    area = models.CharField("承诺方面", max_length=20, choices=Area.choices)
    title = models.CharField("承诺事项", max_length=60, help_text="一句话，如“新修三组机耕道1.2公里”")
    content = models.TextField(
        "具体内容和措施",
        max_length=COMMITMENT_TEXT_MAX,
        validators=[MaxLengthValidator(COMMITMENT_TEXT_MAX)],
    )
    target = models.CharField("量化目标", max_length=200, help_text="尽可能量化：数量、金额、比例、户数")
    deadline = models.DateField("完成时限", validators=[plausible("plan")])
    responsible = models.CharField("责任人", max_length=50, help_text="姓名和职务，如“村委会主任 陈国平”")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT)
    revision_of = models.ForeignKey(
        "self",
        verbose_name="修改的原承诺",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    completion = models.CharField("完成情况", max_length=10, choices=Completion.choices, blank=True)
    completion_note = models.CharField("考察意见", max_length=300, blank=True)
    approved_on = models.DateField("镇街批准日期", null=True, blank=True, validators=[plausible("event")])
    approved_by = recorded_by("批准人")
    published_on = models.DateField("公开承诺日期", null=True, blank=True, validators=[plausible("event")])
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_by = recorded_by("录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "承诺事项"
        verbose_name_plural = "承诺事项"
        ordering = ["organisation_id", "-year", "subject", "area", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject=Subject.COMMITTEE) & Q(area__in=COMMITTEE_AREAS))
                | (Q(subject__in=[Subject.PARTY, Subject.BRANCH]) & Q(area__in=PARTY_AREAS)),
                name="commitment_area_of_subject",
                violation_error_message=(
                    "“两委会”承诺事项不交叉：党组织承诺班子建设、党员队伍建设、党内民主建设方面，"
                    "村（居）委会承诺经济社会发展、为民便民服务、民主政治建设方面。"
                ),
            ),
            models.CheckConstraint(
                condition=(Q(scope=Scope.ANNUAL) & Q(end_year=F("year")))
                | (Q(scope=Scope.TERM) & Q(end_year=F("year") + rules.TERM_YEARS - 1)),
                name="commitment_end_year_of_scope",
                violation_error_message="截至年度与承诺类型不符（年度承诺为当年，任期承诺为三年）。",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=PUBLIC_STATES) | Q(published_on__isnull=False),
                name="commitment_published_has_date",
                violation_error_message="已公开的承诺须有公开日期。",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[State.APPROVED, *PUBLIC_STATES]) | Q(approved_on__isnull=False),
                name="commitment_approved_before_published",
                violation_error_message="未经镇街批准的承诺不能公开。",
            ),
            models.CheckConstraint(
                condition=Q(revision_of__isnull=True) | ~Q(revision_of=F("id")),
                name="commitment_not_own_revision",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "year"], name="commitment_org_year"),
            models.Index(fields=["year", "end_year"], name="commitment_years"),
            models.Index(fields=["state"], name="commitment_state"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_subject_display()}：{self.title}"

    def save(self, *args, **kwargs) -> None:
        self.end_year = self.year if self.scope == Scope.ANNUAL else rules.term_end_year(self.year)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.scope and self.year:
            self.end_year = self.year if self.scope == Scope.ANNUAL else rules.term_end_year(self.year)
        if self.deadline and self.year and self.deadline.year < self.year:
            raise ValidationError({"deadline": f"完成时限不能早于承诺年度（{self.year}年）。"})
        if self.deadline and self.end_year and self.deadline.year > self.end_year:
            raise ValidationError(
                {"deadline": f"完成时限应在承诺期内（{self.year}–{self.end_year}年）。"}
                if self.scope == Scope.TERM
                else {"deadline": f"年度承诺的完成时限应在{self.year}年内。"}
            )

    @property
    def to_whom(self) -> str:
        return TO_WHOM.get((self.subject, self.direction), "")

    @property
    def years_label(self) -> str:
        return f"{self.year}年" if self.year == self.end_year else f"{self.year}–{self.end_year}年"

    @property
    def is_adopted(self) -> bool:
        return self.state in ADOPTED_STATES

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    def covers(self, year: int) -> bool:
        return self.year <= year <= self.end_year


class EventKind(models.TextChoices):
    CREATE = "create", "提出初诺"
    EDIT = StateAction.EDIT.value, StateAction.EDIT.label
    COMMENT = StateAction.COMMENT.value, StateAction.COMMENT.label
    VOTE = StateAction.VOTE.value, "民主表决"
    APPROVE = StateAction.APPROVE.value, "镇街党委、政府批准"
    REFUSE = StateAction.REFUSE.value, "镇街退回重新拟定"
    PUBLISH = StateAction.PUBLISH.value, StateAction.PUBLISH.label
    PROGRESS = StateAction.PROGRESS.value, StateAction.PROGRESS.label
    INSPECT = StateAction.INSPECT.value, StateAction.INSPECT.label
    CHECK = StateAction.CHECK.value, "考察组实地考察"
    CLOSE = StateAction.CLOSE.value, "年终考核评诺"
    REVISE = StateAction.REVISE.value, StateAction.REVISE.label
    SUPERSEDE = StateAction.SUPERSEDE.value, StateAction.SUPERSEDE.label
    WITHDRAW = StateAction.WITHDRAW.value, StateAction.WITHDRAW.label


class CommitmentEvent(models.Model):
    """One step of the commitment's life: who moved it from which state to which, when, and why."""

    commitment = models.ForeignKey(
        Commitment, verbose_name="承诺事项", on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField("事项", max_length=12, choices=EventKind.choices)
    from_state = models.CharField("原状态", max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=State.choices, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "承诺办理记录"
        verbose_name_plural = "承诺办理记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["commitment", "at"], name="commitment_event_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    @property
    def state_changed(self) -> bool:
        return bool(self.from_state and self.to_state and self.from_state != self.to_state)
