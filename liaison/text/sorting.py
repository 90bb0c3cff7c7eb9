"""Natural order for 村民小组 and addresses, the order of the clerks' paper booklets.

"二组" sorts before "十一组" and "3号" before "12号": Chinese numerals become digits and every run
of digits is zero-padded, so a plain string index orders them.
"""

from __future__ import annotations

import re

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+")
_DIGITS = re.compile(r"\d+")
PAD = 6


def chinese_number(text: str) -> int:
    """一 → 1, 十 → 10, 十一 → 11, 二十三 → 23, 一百零五 → 105."""
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def natural_key(text: str) -> str:
    text = _CN_NUMBER.sub(lambda m: str(chinese_number(m.group())), text or "")
    return _DIGITS.sub(lambda m: m.group().rjust(PAD, "0")[-PAD:], text)


def household_sort_key(group: str, address: str) -> str:
    return f"{natural_key(group)}|{natural_key(address)}"[:255]
