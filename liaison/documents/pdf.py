"""One module renders any template to an A4 PDF with WeasyPrint and the print fonts.

The fonts are loaded through @font-face from their files (never from fontconfig): the shipped GBK
font, so a machine without any CJK font still prints every GBK hanzi, and the fallback for
ideographs outside GBK (𠮷 …) where it is installed (liaison.documents.fontcheck lists them).
WeasyPrint subsets them with libharfbuzz-subset0 in ~0.2 s a page; without that library it falls
back to fontTools and takes seconds, so start-up logs a warning when it is missing.

A text that still holds a character no print font has is printed with a note in the top margin of
every page, naming the code points: never a silent blank in a resident's name.
"""

from __future__ import annotations

import atexit
import ctypes
import html
import logging
import re
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string

from liaison.documents.fontcheck import FALLBACK_FONTS, FONT_PATH, describe, missing_glyphs, print_fonts
from liaison.documents.rendering import PDF, RenderedFile

logger = logging.getLogger(__name__)

PRINT_CSS = settings.BASE_DIR / "static" / "print" / "print.css"
HARFBUZZ_SUBSET_MISSING = (
    "未找到系统库 libharfbuzz-subset0：WeasyPrint 将改用 fontTools 子集化字体，每页 PDF 需数秒。"
    "请安装：apt-get install libharfbuzz-subset0"
)
FALLBACK_FONT_MISSING = (
    "未找到 GBK 以外汉字的备用字体（{path}）：𠮷 等扩展区汉字将无法打印，打印时会在页面上注明。"
    "请安装：apt-get install fonts-hanazono"
)
MISSING_GLYPHS_NOTE = "注意：本件含有字库无法打印的字（{chars}），打印处为空白或方框，请手工补写。"
# In the top margin of every page, named pages (slips, cards, the register) included.
_NOTE_CSS = "@page { @top-left { content: NOTE; font: 8pt 'Liaison CJK'; color: #b00000; width: 100%; } }"
_TAG = re.compile(r"<[^>]*>")
_STYLE = re.compile(r"<style\b.*?</style>|<title\b.*?</title>", re.S | re.I)


def harfbuzz_subset_available() -> bool:
    for name in ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"):
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


def warn_if_slow_font_subsetting() -> None:
    """Called once at start-up (LiaisonConfig.ready)."""
    if not harfbuzz_subset_available():
        logger.warning(HARFBUZZ_SUBSET_MISSING)
    for font in FALLBACK_FONTS:
        if not font.path.is_file():
            logger.warning(FALLBACK_FONT_MISSING.format(path=font.path))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def font_faces_css() -> str:
    """@font-face rules for every print font on this machine, each loaded by its file's path."""
    rules = []
    for font in print_fonts():
        unicode_range = f" unicode-range: {font.unicode_range};" if font.unicode_range else ""
        rules.append(
            f"@font-face {{ font-family: {_css_string(font.family)};"
            f' src: url({_css_string(font.path.as_uri())}) format("truetype");{unicode_range} }}'
        )
    return "\n".join(rules)


@lru_cache(maxsize=1)
def _weasy():
    """Import WeasyPrint lazily (it is slow to import) and keep one font configuration per process."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fonts = CSS(string=font_faces_css(), font_config=font_config)
    stylesheet = CSS(filename=str(PRINT_CSS), font_config=font_config)
    return HTML, CSS, [fonts, stylesheet], font_config


# Release the font configuration while the interpreter is still whole (its __del__ needs ctypes).
atexit.register(_weasy.cache_clear)


def print_context(context: dict) -> dict:
    return {
        "font_url": FONT_PATH.as_uri(),
        "region_name": settings.LIAISON_REGION_NAME,
        **context,
    }


def unprintable(markup: str) -> set[str]:
    """Characters of a rendered print template's text that no print font can draw."""
    return missing_glyphs(html.unescape(_TAG.sub(" ", _STYLE.sub(" ", markup))))


def _document(markup: str, extra_css: str, missing: set[str] | None = None):
    """The WeasyPrint document of one rendered print template and the stylesheets it prints with."""
    html_cls, css_cls, stylesheets, font_config = _weasy()
    missing = unprintable(markup) if missing is None else missing
    if missing:
        note = MISSING_GLYPHS_NOTE.format(chars=describe(missing, with_char=False))
        logger.warning("PDF with unprintable characters: %s", describe(missing))
        stylesheets = [
            *stylesheets,
            css_cls(string=_NOTE_CSS.replace("NOTE", _css_string(note)), font_config=font_config),
        ]
    if extra_css:
        stylesheets = [*stylesheets, css_cls(string=extra_css, font_config=font_config)]
    return html_cls(string=markup, base_url=str(settings.BASE_DIR)), stylesheets, font_config


def pdf_bytes(
    markup: str,
    *,
    on_stage: Callable[[str], None] | None = None,
    extra_css: str = "",
    missing: set[str] | None = None,
) -> bytes:
    """The PDF of one rendered print template, with the missing-glyph note where it needs one.

    `on_stage` (a background job's progress) hears when the pages are laid out and the file is written.
    A part of a long print (liaison.documents.parts) gives `extra_css`, after every other stylesheet
    (its page numbers), and `missing`, the whole document's unprintable characters (the note's)."""
    document, stylesheets, font_config = _document(markup, extra_css, missing)
    if on_stage is None:
        return document.write_pdf(stylesheets=stylesheets, font_config=font_config)
    on_stage("layout")
    laid_out = document.render(font_config=font_config, stylesheets=stylesheets)
    on_stage("write")
    return laid_out.write_pdf()


def laid_out(markup: str, *, extra_css: str = ""):
    """The template's pages laid out (a WeasyPrint Document), nothing written (no font subsetting)."""
    document, stylesheets, font_config = _document(markup, extra_css)
    return document.render(font_config=font_config, stylesheets=stylesheets)


def render_pdf(
    template_name: str, context: dict, *, filename: str, on_stage: Callable[[str], None] | None = None
) -> RenderedFile:
    content = pdf_bytes(render_to_string(template_name, print_context(context)), on_stage=on_stage)
    return RenderedFile(filename=filename, content_type=PDF, content=content)
