"""Ids from a URL, a query string or a picker, kept to what the database can hold.

SQLite raises OverflowError (a 500) for an integer beyond 64 bits, as in ?household=99999999999999999999999;
such an id names no record, so it is simply not found.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_ID = 2**63 - 1  # a signed 64-bit integer: the widest primary key any supported database stores


def parse_id(value: object) -> int | None:
    """A positive id the database can hold, or None for anything else (text, NUL, huge numbers)."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    return [number for number in (parse_id(v) for v in values) if number is not None]
