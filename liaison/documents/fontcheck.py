"""Check that the bundled CJK PDF font can draw a given text.

WeasyPrint does not fail when a glyph is missing: it silently prints a blank
(or a tofu box), so a resident's rare name character such as 喆 or 堃 would
vanish from a printed record without anyone noticing.  This module lets
callers and tests ask the shipped font's cmap directly.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

#: The GBK-complete subset built by ``scripts/build_font.py``.
FONT_PATH: Path = Path(__file__).resolve().parents[2] / "static" / "fonts" / "LiaisonCJK-GBK.ttf"

# Code point ranges that hold ideographs GBK can encode.  Everything GBK maps
# lands in the URO (U+4E00–9FFF) or the compatibility block; Extension A is
# listed so the rule stays right if a codec ever maps GBK's user area there.
_IDEOGRAPH_RANGES: tuple[tuple[int, int], ...] = (
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
)

# Characters that take no glyph of their own: control and format characters
# (Cc, Cf: e.g. ZERO WIDTH SPACE, BOM); whitespace is handled separately.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf"})


@lru_cache(maxsize=8)
def font_codepoints(path: Path = FONT_PATH) -> frozenset[int]:
    """Code points the font at *path* maps to a glyph (its best cmap).

    Cached because the CJK cmap has ~22,000 entries and is asked per text.
    """
    font_number = 0 if str(path).lower().endswith((".ttc", ".otc")) else -1
    with TTFont(path, lazy=True, fontNumber=font_number) as font:
        cmap = font.getBestCmap()
    if cmap is None:
        raise ValueError(f"{path} has no Unicode cmap")
    return frozenset(cmap)


def _is_ideograph(char: str) -> bool:
    cp = ord(char)
    if not any(lo <= cp <= hi for lo, hi in _IDEOGRAPH_RANGES):
        return False
    # Only assigned ideographs ("CJK UNIFIED IDEOGRAPH-…", "CJK COMPATIBILITY IDEOGRAPH-…").
    return unicodedata.name(char, "").startswith("CJK ")


@lru_cache(maxsize=1)
def gbk_characters() -> tuple[str, ...]:
    """Every character (hanzi and symbols) a valid two-byte GBK sequence decodes to, in byte order."""
    chars: list[str] = []
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                char = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue  # unassigned or user-defined area
            if len(char) == 1:
                chars.append(char)
    return tuple(chars)


@lru_cache(maxsize=1)
def _gbk_hanzi() -> tuple[str, ...]:
    return tuple(char for char in gbk_characters() if _is_ideograph(char))


def gbk_hanzi() -> list[str]:
    """Every hanzi GBK can encode, in GBK byte order.

    Found by decoding each valid two-byte GBK sequence (lead 0x81–0xFE,
    trail 0x40–0xFE except 0x7F) with Python's ``gbk`` codec and keeping the
    CJK ideographs.  This is the set a Chinese household register or ID card
    system can hold, so it is the set the PDF font must draw.
    """
    return list(_gbk_hanzi())


def missing_glyphs(text: str, path: Path = FONT_PATH) -> set[str]:
    """Characters of *text* that the font cannot draw.

    Whitespace and control/format characters are ignored: they are never
    drawn, so their absence from the cmap is harmless.
    """
    covered = font_codepoints(path)
    return {
        char
        for char in set(text)
        if not char.isspace()
        and unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        and ord(char) not in covered
    }
