"""The numbers of 民主定诺 and 考核评诺: pure functions, exact shares (Fractions), no database.

Source: 巴南委办发〔2008〕43号《重庆市巴南区农村（社区）“两委会”双向承诺服务制度（试行）》(seeds/004):

- 四（二）民主定诺: “同意票达到三分之二及以上的，列为承诺内容，不同意票超过三分之一的，不列为承诺内容，
  重新拟定承诺事项，直到党员群众认可为止，再报镇街党委、政府批准。”
- 四（六）考核评诺: “‘不满意’票超过30％的为不合格，满意票达到70％的为合格，满意票超过90％的为优秀。”
- 五、评诺结果运用: “党员群众民主测评不满意率超过50％，或在综合考评中认定不合格的……限期整改。若连续两年
  综合考评仍然不合格的村（社区）‘两委会’，其成员应主动辞职”.
- 二、承诺的方式: “换届后第一年提出三年任期承诺，同时提出本年度承诺事项，以后每年初承诺一次。”
- 000 第十二条, 001 二（二）, 002 六: a member promises 一至二件 实事 a year.

Where the document is silent DESIGN.md decides, and says so in the UI:
- the vote's shares are of all votes cast, abstentions included; a vote that reaches neither 2/3 approvals
  nor more than 1/3 rejections (abstentions in between) is not adopted either: it is redrafted and voted
  again, as DESIGN.md's `vote_outcome` has it ("otherwise not adopted");
- the grading leaves a gap (满意 < 70% and 不满意 ≤ 30%), graded 基本合格 (`GAP_NOTE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db import models

# 004 四（二）: 同意票达到三分之二及以上 → 列为承诺内容.
ADOPT_SHARE = Fraction(2, 3)
# 004 四（二）: 不同意票超过三分之一 → 不列为承诺内容，重新拟定.
SEND_BACK_SHARE = Fraction(1, 3)
# 004 四（六）: “不满意”票超过30％ → 不合格.
FAIL_DISSATISFIED_SHARE = Fraction(30, 100)
# 004 四（六）: 满意票达到70％ → 合格.
PASS_SATISFIED_SHARE = Fraction(70, 100)
# 004 四（六）: 满意票超过90％ → 优秀.
EXCELLENT_SATISFIED_SHARE = Fraction(90, 100)
# 004 五: 民主测评不满意率超过50％ → 限期整改.
RECTIFY_DISSATISFIED_SHARE = Fraction(50, 100)
# 004 五: 连续两年综合考评仍然不合格 → 应主动辞职.
CONSECUTIVE_FAIL_YEARS = 2
# 004 二: 换届后第一年提出三年任期承诺.
TERM_YEARS = 3
# 004 二: “以后每年初承诺一次”: each village's 两委会 has its year's commitments adopted (at least one item
# standing for the year), read by the compliance engine (liaison/compliance/rules/commitments.py).
ANNUAL_COMMITMENTS_MIN = 1
# 004 四（六）: the year's 考核评诺, one a year, graded 基本合格 or better (不合格 falls short).
ASSESSMENTS_PER_YEAR = 1
# 000 第十二条 “一年内办一至二件”; 002 六 “每年为群众办1—2件实事”.
PERSONAL_PER_YEAR_MIN = 1
PERSONAL_PER_YEAR_MAX = 2

NO_VOTES = "没有任何表决票，无法计算表决结果。"
NEGATIVE = "票数不能为负数。"
NO_TALLIES = "测评票数合计为 0，无法评定等次。"

GAP_NOTE = (
    "制度规定“满意票达到70％的为合格”“‘不满意’票超过30％的为不合格”，对满意票不足70％、"
    "不满意票又不超过30％的情形未作规定；本系统按“基本合格”评定。"
)
ABSTAIN_NOTE = (
    "同意票未达三分之二、不同意票也未超过三分之一（弃权票较多）时，制度未作规定；"
    "本系统按“未通过”处理，重新拟定后再表决。"
)


class VoteResult(models.TextChoices):
    ADOPTED = "adopted", "通过，列为承诺内容"
    SENT_BACK = "sent_back", "不同意票超过三分之一，不列为承诺内容"
    SHORT = "short", "同意票未达三分之二，未通过"


@dataclass(frozen=True)
class VoteOutcome:
    result: VoteResult
    approve_share: Fraction
    reject_share: Fraction
    abstain_share: Fraction
    total: int

    @property
    def adopted(self) -> bool:
        return self.result == VoteResult.ADOPTED

    @property
    def sent_back(self) -> bool:
        """Not adopted: redrafted and voted again (both refusals lead back to 重新拟定)."""
        return not self.adopted


def _counts(*counts: int) -> int:
    if any(int(count) != count or count < 0 for count in counts):
        raise ValueError(NEGATIVE)
    return sum(int(count) for count in counts)


def vote_outcome(approve: int, reject: int, abstain: int = 0) -> VoteOutcome:
    """民主定诺 on one item: adopted at ≥ 2/3 approvals of all votes cast (abstentions included)."""
    total = _counts(approve, reject, abstain)
    if total == 0:
        raise ValueError(NO_VOTES)
    approve_share = Fraction(approve, total)
    reject_share = Fraction(reject, total)
    if approve_share >= ADOPT_SHARE:
        result = VoteResult.ADOPTED
    elif reject_share > SEND_BACK_SHARE:
        result = VoteResult.SENT_BACK
    else:
        result = VoteResult.SHORT
    return VoteOutcome(result, approve_share, reject_share, Fraction(abstain, total), total)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    BASIC = "basic", "基本合格"
    FAIL = "fail", "不合格"


@dataclass(frozen=True)
class Shares:
    satisfied: Fraction
    basically_satisfied: Fraction
    dissatisfied: Fraction
    total: int


def shares(satisfied: int, basically_satisfied: int, dissatisfied: int) -> Shares:
    total = _counts(satisfied, basically_satisfied, dissatisfied)
    if total == 0:
        raise ValueError(NO_TALLIES)
    return Shares(
        Fraction(satisfied, total), Fraction(basically_satisfied, total), Fraction(dissatisfied, total), total
    )


def grade(satisfied: int, basically_satisfied: int, dissatisfied: int) -> Grade:
    """考核评诺's 满意度测评 (004 四（六）); the gap (满意 < 70%, 不满意 ≤ 30%) is 基本合格 (DESIGN.md)."""
    s = shares(satisfied, basically_satisfied, dissatisfied)
    if s.dissatisfied > FAIL_DISSATISFIED_SHARE:
        return Grade.FAIL
    if s.satisfied > EXCELLENT_SATISFIED_SHARE:
        return Grade.EXCELLENT
    if s.satisfied >= PASS_SATISFIED_SHARE:
        return Grade.PASS
    return Grade.BASIC


def in_gap(satisfied: int, basically_satisfied: int, dissatisfied: int) -> bool:
    """The tallies fall where the document says nothing (graded 基本合格 by DESIGN.md)."""
    return grade(satisfied, basically_satisfied, dissatisfied) == Grade.BASIC


def needs_rectification(
    satisfied: int, basically_satisfied: int, dissatisfied: int, final_grade: str = ""
) -> bool:
    """004 五: 不满意率超过50％，或综合考评不合格 → 限期整改."""
    if final_grade == Grade.FAIL:
        return True
    total = _counts(satisfied, basically_satisfied, dissatisfied)
    return total > 0 and Fraction(dissatisfied, total) > RECTIFY_DISSATISFIED_SHARE


def consecutive_fails(grades_by_year: dict[int, str], year: int) -> bool:
    """004 五: this year's and the years before it (CONSECUTIVE_FAIL_YEARS in a row) all 不合格."""
    return all(grades_by_year.get(year - back) == Grade.FAIL for back in range(CONSECUTIVE_FAIL_YEARS))


def term_end_year(first_year: int) -> int:
    """A term commitment made in `first_year` covers it and the two years after (004 二)."""
    return first_year + TERM_YEARS - 1


def percent(share: Fraction) -> str:
    """A share for the page, rounded to one decimal only for display: 2/3 → "66.7%"."""
    tenths = round(share * 1000)
    return f"{tenths // 10}.{tenths % 10}%"
