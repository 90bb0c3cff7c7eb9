"""Characters no text in the system may hold.

Control characters (a pasted \\x01, an escape \\x1b) are invisible on screen, break the xlsx exports
(XML 1.0 forbids them) and NUL cannot be stored in PostgreSQL at all. They are refused where they are
typed, with a message next to the field, and stripped where already-stored text is written to a file.
Tab, line feed and carriage return are ordinary text (a textarea sends \\r\\n).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# C0 controls but \t \n \r, DEL, C1 controls, lone surrogates and the two non-characters XML forbids.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
CONTAINS_CONTROL = "不能包含控制字符等不可见字符（常见于从其他软件复制的内容），请删除后重新输入。"
TOO_LONG = "内容过长：最多 {limit} 个字。"
# A free-text box without its own limit (问题、建议、办理结果 …) takes a long page of text, not megabytes.
TEXT_LIMIT = 10_000


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


@deconstructible
class NoControlCharacters:
    """Field validator: the Chinese message, next to the field."""

    message = CONTAINS_CONTROL
    code = "control_characters"

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharacters)


validate_no_control_characters = NoControlCharacters()


def printable(value: str) -> str:
    """Text with any control character removed: for writing stored text to a file (xlsx, PDF)."""
    return CONTROL_CHARACTERS.sub("", value)


def search_text(value: str | None, *, limit: int = 100) -> str:
    """A search box's text, made safe for any database: control characters and NUL dropped, trimmed."""
    return printable(value or "").strip()[:limit]
