"""Pinyin initials for search: clerks type "zs" to find 张三.

Surnames are often heteronyms (曾 zeng/ceng, 单 shan/dan, 仇 qiu/chou), so every reading of the first
character is kept: 曾国藩 → " cgf zgf". Each variant starts with a space, so a prefix search for
any variant is `contains=" " + query`.
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin, pinyin

MAX_VARIANTS = 4


def initials(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    rest = "".join(lazy_pinyin(name[1:], style=Style.FIRST_LETTER, errors="ignore")).lower()
    first = pinyin(name[0], style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    readings = [r.lower() for r in (first[0] if first else [])][:MAX_VARIANTS] or [""]
    return "".join(f" {reading}{rest}" for reading in dict.fromkeys(readings))


def search_key(query: str) -> str:
    """The value to look for with `__contains` in a field filled by `initials`."""
    return " " + query.strip().lower()


def looks_like_initials(query: str) -> bool:
    q = query.strip()
    return bool(q) and q.isascii() and q.isalpha() and len(q) <= 10
