"""Pinyin search keys: clerks type "zs", "zhang" or "zhangsan" to find 张三.

A name's key holds, for every reading of its first character, the initials and the full pinyin:
龚堃 → " gk gongkun". Surnames are often heteronyms (曾 zeng/ceng, 单 shan/dan, 仇 qiu/chou), so
曾国藩 → " cgf zgf cengguofan zengguofan". Each variant starts with a space, so a prefix search of
any variant is `contains=" " + query`: "gk", "gong", "gongk" and "gongkun" all find 龚堃.
"""

from __future__ import annotations

import functools

from pypinyin import Style, lazy_pinyin, pinyin

MAX_VARIANTS = 4
# The stored key's column width (Household.head_initials, Resident.name_initials, …).
KEY_LENGTH = 200
MAX_QUERY_LENGTH = 40


@functools.lru_cache(maxsize=100_000)
def initials(name: str) -> str:
    """The search key of a name (the function is pure, so it is memoised: 1.2 M residents of a
    district share a few thousand names)."""
    name = (name or "").strip()
    if not name:
        return ""
    rest = name[1:]
    rest_initials = "".join(lazy_pinyin(rest, style=Style.FIRST_LETTER, errors="ignore")).lower()
    rest_full = "".join(lazy_pinyin(rest, style=Style.NORMAL, errors="ignore")).lower()
    first = pinyin(name[0], style=Style.NORMAL, heteronym=True, errors="ignore")
    readings = [r.lower() for r in (first[0] if first else [])][:MAX_VARIANTS] or [""]
    readings = list(dict.fromkeys(readings))
    variants = [f"{reading[:1]}{rest_initials}" for reading in readings]
    variants += [f"{reading}{rest_full}" for reading in readings]
    key = ""
    for variant in dict.fromkeys(v for v in variants if v):
        if len(key) + len(variant) + 1 > KEY_LENGTH:
            break
        key += f" {variant}"
    return key


def search_key(query: str) -> str:
    """The value to look for with `__contains` in a field filled by `initials`."""
    return " " + query.strip().lower()


def looks_like_initials(query: str) -> bool:
    """Letters only: initials ("gk") or full pinyin ("gongkun")."""
    q = query.strip()
    return bool(q) and q.isascii() and q.isalpha() and len(q) <= MAX_QUERY_LENGTH
