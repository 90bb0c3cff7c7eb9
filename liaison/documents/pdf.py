"""One module renders any template to an A4 PDF with WeasyPrint and the shipped CJK font.

The font is loaded through @font-face from the project's own file (never from fontconfig), so a
machine without any CJK font still prints every GBK hanzi. WeasyPrint subsets it with
libharfbuzz-subset0 in ~0.2 s a page; without that library it falls back to fontTools and takes
seconds, so start-up logs a warning when it is missing.
"""

from __future__ import annotations

import atexit
import ctypes
import logging
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string

from liaison.documents.fontcheck import FONT_PATH
from liaison.documents.rendering import PDF, RenderedFile

logger = logging.getLogger(__name__)

PRINT_CSS = settings.BASE_DIR / "static" / "print" / "print.css"
HARFBUZZ_SUBSET_MISSING = (
    "未找到系统库 libharfbuzz-subset0：WeasyPrint 将改用 fontTools 子集化字体，每页 PDF 需数秒。"
    "请安装：apt-get install libharfbuzz-subset0"
)


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


@lru_cache(maxsize=1)
def _weasy():
    """Import WeasyPrint lazily (it is slow to import) and keep one font configuration per process."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheet = CSS(filename=str(PRINT_CSS), font_config=font_config)
    return HTML, stylesheet, font_config


# Release the font configuration while the interpreter is still whole (its __del__ needs ctypes).
atexit.register(_weasy.cache_clear)


def print_context(context: dict) -> dict:
    return {
        "font_url": FONT_PATH.as_uri(),
        "region_name": settings.LIAISON_REGION_NAME,
        **context,
    }


def render_pdf(template_name: str, context: dict, *, filename: str) -> RenderedFile:
    html_cls, stylesheet, font_config = _weasy()
    html = render_to_string(template_name, print_context(context))
    document = html_cls(string=html, base_url=str(settings.BASE_DIR))
    content = document.write_pdf(stylesheets=[stylesheet], font_config=font_config)
    return RenderedFile(filename=filename, content_type=PDF, content=content)
