"""Near-identical items of the two committees (004 三: “‘两委会’的承诺事项不交叉”).

The areas already keep the two apart (a database constraint); this catches the same promise written
twice under two areas — “硬化三组道路1公里” by the party organisation and “三组道路硬化1公里” by the
村(居)委会. Pure: difflib on the text without punctuation and spaces, plus the same check on the sorted
characters so that a reordered phrase is found too. A warning, never a refusal: the 两委会 decides.
"""

from __future__ import annotations

import difflib
import re
from fractions import Fraction

# At this ratio or above two items read as the same promise (a reworded copy scores above it, two
# promises of one village that merely share words like 村、组、户 score well below; tests/test_similarity).
NEAR_IDENTICAL = Fraction(4, 5)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
WARNING = "与{subject}的承诺“{title}”内容相近（相似度 {percent}），“两委会”承诺事项不应交叉，请核对。"


def normalise(text: str) -> str:
    return _NOISE.sub("", text or "").lower()


def similarity(a: str, b: str) -> Fraction:
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return Fraction(0)
    direct = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    reordered = difflib.SequenceMatcher(None, "".join(sorted(a)), "".join(sorted(b)), autojunk=False).ratio()
    # Each ratio is 2·M/T for whole numbers M and T: limit_denominator recovers it exactly.
    return Fraction(max(direct, reordered)).limit_denominator(10_000)


def item_text(title: str, target: str) -> str:
    return f"{title} {target}"


def near_identical(a: str, b: str) -> bool:
    return similarity(a, b) >= NEAR_IDENTICAL
