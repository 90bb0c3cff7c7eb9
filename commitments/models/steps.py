"""What happens to one commitment between draft and year end: comments, votes, progress notes."""

from __future__ import annotations

from django.core.validators import FileExtensionValidator, MaxLengthValidator
from django.db import models
from django.db.models import F, Q

from commitments.rules import VoteResult
from liaison.models.users import recorded_by
from liaison.safeguards.dates import plausible

NOTE_TEXT_MAX = 1000
# Photos and documents a clerk has at hand; never HTML, SVG or scripts (they are served back).
EVIDENCE_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp", "pdf", "doc", "docx", "xls", "xlsx"]
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class CommentSource(models.TextChoices):
    """004 四（二）: “广泛征求镇党委、政府和党员、群众的意见”."""

    TOWNSHIP_PARTY = "township_party", "镇街党委"
    TOWNSHIP_GOVERNMENT = "township_government", "镇街政府"
    MEMBERS = "members", "党员"
    RESIDENTS = "residents", "群众"
    COMMITTEES = "committees", "“两委会”班子讨论"


class Comment(models.Model):
    """An opinion gathered on a draft (征求意见): whose side it came from, never a resident's name."""

    class Handling(models.TextChoices):
        ADOPTED = "adopted", "已采纳"
        PARTLY = "partly", "部分采纳"
        NOT_ADOPTED = "not_adopted", "未采纳（已说明）"

    commitment = models.ForeignKey(
        "commitments.Commitment", verbose_name="承诺事项", on_delete=models.CASCADE, related_name="comments"
    )
    received_on = models.DateField("征求日期", validators=[plausible("event")])
    source = models.CharField("意见来自", max_length=20, choices=CommentSource.choices)
    content = models.TextField(
        "意见内容", max_length=NOTE_TEXT_MAX, validators=[MaxLengthValidator(NOTE_TEXT_MAX)]
    )
    handling = models.CharField("采纳情况", max_length=12, choices=Handling.choices, blank=True)
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["received_on", "id"]
        indexes = [models.Index(fields=["commitment", "received_on"], name="commitment_comment_on")]

    def __str__(self) -> str:
        return f"{self.received_on} {self.get_source_display()}"


class VoteBody(models.TextChoices):
    """004 四（二）: “召开党员、村（居）民代表大会或全体村（居）民大会，由党员群众对承诺事项进行表决”."""

    MEMBERS = "members", "党员大会"
    REPRESENTATIVES = "representatives", "村（居）民代表会议"
    ASSEMBLY = "assembly", "村（居）民大会"
    JOINT = "joint", "党员和村（居）民代表大会"


class Vote(models.Model):
    """民主定诺 on one item: the counts as announced at the meeting; the outcome from rules.vote_outcome."""

    commitment = models.ForeignKey(
        "commitments.Commitment", verbose_name="承诺事项", on_delete=models.CASCADE, related_name="votes"
    )
    held_on = models.DateField("表决日期", validators=[plausible("event")])
    body = models.CharField("表决会议", max_length=20, choices=VoteBody.choices)
    eligible = models.PositiveIntegerField("应参加表决人数")
    approve = models.PositiveIntegerField("同意票")
    reject = models.PositiveIntegerField("不同意票")
    abstain = models.PositiveIntegerField("弃权票", default=0)
    result = models.CharField("表决结果", max_length=12, choices=VoteResult.choices, editable=False)
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "民主表决"
        verbose_name_plural = "民主表决"
        ordering = ["held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approve__gte=0) & Q(reject__gte=0) & Q(abstain__gte=0),
                name="vote_counts_not_negative",
                violation_error_message="票数不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(eligible__gte=F("approve") + F("reject") + F("abstain")),
                name="vote_not_more_than_eligible",
                violation_error_message="同意、不同意、弃权票合计不能超过应参加表决人数。",
            ),
            models.CheckConstraint(
                condition=Q(approve__gt=0) | Q(reject__gt=0) | Q(abstain__gt=0),
                name="vote_has_votes",
                violation_error_message="没有任何表决票，无法计算表决结果。",
            ),
        ]
        indexes = [models.Index(fields=["commitment", "held_on"], name="vote_commitment_on")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_body_display()} {self.approve}/{self.reject}/{self.abstain}"

    @property
    def cast(self) -> int:
        return self.approve + self.reject + self.abstain


class ProgressNote(models.Model):
    """履职践诺: what was done towards the target, on which day, with a photo or a file as evidence."""

    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name="承诺事项",
        on_delete=models.CASCADE,
        related_name="progress_notes",
    )
    date = models.DateField("日期", validators=[plausible("event")])
    content = models.TextField(
        "践诺情况", max_length=NOTE_TEXT_MAX, validators=[MaxLengthValidator(NOTE_TEXT_MAX)]
    )
    evidence = models.FileField(
        "佐证材料",
        upload_to="commitments/evidence/%Y/%m/",
        blank=True,
        max_length=200,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
        help_text="现场照片或文件（图片、PDF、Excel 或文字文档），不超过 10 兆字节",
    )
    evidence_name = models.CharField("原文件名", max_length=120, blank=True, editable=False)
    created_by = recorded_by()
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "践诺记录"
        verbose_name_plural = "践诺记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["commitment", "date"], name="progress_commitment_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.content[:20]}"
