"""Which fonts the PDFs print with, and whether they can draw a given text.

WeasyPrint does not fail when a glyph is missing: it silently prints a blank
(or a tofu box), so a resident's rare name character such as 喆 or 堃 would
vanish from a printed record without anyone noticing.  This module lets
callers and tests ask the print fonts' cmaps directly.

The PDFs print with two fonts, both loaded by path through @font-face (never
through fontconfig, which differs from machine to machine):

- the shipped GBK subset (``static/fonts/LiaisonCJK-GBK.ttf``, in the repo);
- the fallback for ideographs outside GBK (𠮷 U+20BB7 and the rest of CJK
  Extension A, B … F): HanaMinA/HanaMinB from Debian's ``fonts-hanazono``,
  which ``scripts/bootstrap.sh`` installs.  Each face is limited by
  ``unicode-range`` to the blocks it is needed for.  It is 53 MB, too big to
  ship; a machine without it still prints everything in GBK, and the
  characters nobody can draw are reported (forms warn, PDFs carry a note).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

#: The GBK-complete subset built by ``scripts/build_font.py``.
FONT_PATH: Path = Path(__file__).resolve().parents[2] / "static" / "fonts" / "LiaisonCJK-GBK.ttf"
#: Where Debian's fonts-hanazono puts its files (LIAISON_FALLBACK_FONT_DIR overrides it elsewhere).
FALLBACK_FONT_DIR: Path = Path(
    os.environ.get("LIAISON_FALLBACK_FONT_DIR", "/usr/share/fonts/truetype/hanazono")
)
FAMILY = "Liaison CJK"
FALLBACK_FAMILY = "Liaison CJK Ext"

_EXT_A = ((0x3400, 0x4DBF),)
# Extension B to F and the supplementary compatibility ideographs (planes 2 and 3).
_EXT_B_ONWARDS = ((0x20000, 0x3FFFF),)


@dataclass(frozen=True)
class PrintFont:
    """One @font-face of the print stylesheet; ``ranges`` None means every code point of the file."""

    family: str
    path: Path
    ranges: tuple[tuple[int, int], ...] | None = None

    def covers(self, codepoint: int) -> bool:
        if self.ranges is not None and not any(lo <= codepoint <= hi for lo, hi in self.ranges):
            return False
        return codepoint in font_codepoints(self.path)

    @property
    def unicode_range(self) -> str:
        """The CSS ``unicode-range`` value ("" for the whole font)."""
        return ", ".join(f"U+{lo:X}-{hi:X}" for lo, hi in self.ranges or ())


SHIPPED_FONT = PrintFont(FAMILY, FONT_PATH)
FALLBACK_FONTS: tuple[PrintFont, ...] = (
    PrintFont(FALLBACK_FAMILY, FALLBACK_FONT_DIR / "HanaMinA.ttf", _EXT_A),
    PrintFont(FALLBACK_FAMILY, FALLBACK_FONT_DIR / "HanaMinB.ttf", _EXT_B_ONWARDS),
)


def print_fonts() -> tuple[PrintFont, ...]:
    """The fonts PDFs print with on this machine: the shipped one, then each installed fallback."""
    return (SHIPPED_FONT, *(font for font in FALLBACK_FONTS if font.path.is_file()))


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


def _drawn(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def missing_glyphs(text: str, path: Path | None = None) -> set[str]:
    """Characters of *text* that no print font can draw (only the font at *path*, when given).

    Whitespace and control/format characters are ignored: they are never
    drawn, so their absence from the cmap is harmless.
    """
    fonts = (PrintFont("", path),) if path is not None else print_fonts()
    return {char for char in set(text) if _drawn(char) and not any(font.covers(ord(char)) for font in fonts)}


def describe(chars: set[str] | str, *, with_char: bool = True) -> str:
    """ "𠮷（U+20BB7）" for each character, in code point order: the note shown or printed for them.

    The code point is what a clerk can quote to IT; a PDF prints only the code point
    (``with_char=False``), since the character itself is what it cannot draw.
    """
    return "、".join(
        f"{char}（U+{ord(char):04X}）" if with_char else f"U+{ord(char):04X}" for char in sorted(set(chars))
    )
