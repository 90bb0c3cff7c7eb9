#!/usr/bin/env python3
"""Build static/fonts/LiaisonCJK-GBK.ttf, the CJK font embedded in our PDFs.

Why: a fresh Debian machine has no CJK font, and WeasyPrint then silently
prints blanks for every hanzi.  So the repo ships one font, subset from
Debian's fonts-wqy-microhei (Apache-2.0 or GPL-3+ with font exception) to
what Chinese administrative text needs: every GBK hanzi (rare name characters
such as 喆 堃 犇 燊 are in GBK but not GB2312), ASCII, CJK and general
punctuation, full-width forms, circled numbers and ￥.

The output keeps TrueType (glyf) outlines, drops hinting (PDF renderers do
not use it) and is renamed "Liaison CJK" (the Apache License allows modified
versions; the renaming keeps it from being mistaken for the upstream font).

Reproducible: same source file -> byte-identical output (head.modified is
copied from the source instead of the build time).

Usage:
    apt-get install fonts-wqy-microhei
    .venv/bin/python scripts/build_font.py [--source PATH] [--output PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEFAULT_OUTPUT = ROOT / "static" / "fonts" / "LiaisonCJK-GBK.ttf"
DEBIAN_PACKAGE = "fonts-wqy-microhei"
SOURCE_FACE = 0  # face 0 of the TTC is "WenQuanYi Micro Hei" (1 is the Mono face)

FAMILY = "Liaison CJK"
SUBFAMILY = "Regular"
POSTSCRIPT_NAME = "LiaisonCJK-Regular"


def _load_fontcheck():
    """Import liaison/documents/fontcheck.py by path, so the build never runs Django code."""
    spec = importlib.util.spec_from_file_location(
        "_liaison_fontcheck", ROOT / "liaison" / "documents" / "fontcheck.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def wanted_codepoints(gbk_hanzi: list[str], gbk_characters: tuple[str, ...]) -> tuple[set[int], set[int]]:
    """Return (required, optional) code points.

    Required ones make the build fail if the source lacks them; optional ones
    are kept when the source has them.
    """
    required = {ord(c) for c in gbk_hanzi}
    required |= set(range(0x20, 0x7F))  # ASCII
    required |= {ord(c) for c in "“”‘’…—·×￥、。，；：？！（）《》【】「」『』〇"}

    optional: set[int] = set()
    optional |= {
        ord(c) for c in gbk_characters
    }  # GBK symbols: pinyin ā á ǎ à ü, Greek, Cyrillic, ㈠, ⑴, box drawing…
    optional |= set(range(0xA0, 0x100))  # Latin-1: ° ± × ÷ ¥ § …
    optional |= set(range(0x2010, 0x2028)) | set(range(0x2030, 0x203C))  # general punctuation ‰ ′ ″ ※
    optional |= set(range(0x2460, 0x24A0))  # ①–⑳ ⑴–⒇ ⒈–⒛
    optional |= set(range(0x3000, 0x3040))  # CJK symbols and punctuation
    optional |= set(range(0x3220, 0x3244))  # ㈠–㈩ and parenthesized ideographs
    optional |= set(range(0xFF00, 0xFFF0))  # half/full-width forms
    optional |= {0x2103, 0x2116} | set(range(0x2160, 0x2180))  # ℃ № Ⅰ–Ⅻ ⅰ–ⅹ
    optional |= {0x30FB, 0x2015, 0x2225, 0xFE30, 0xFE31}  # variants codecs map · — ‖ to
    return required, optional - required


def _debian_version(package: str) -> str:
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=True
        )
        return result.stdout.strip() or "unknown"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _rename(font: TTFont, source_version: str) -> None:
    """Give the subset its own family name on every Windows name record we keep."""
    name = font["name"]
    renamed = {1, 3, 4, 6, 16, 17, 18, 21, 22}
    name.names = [rec for rec in name.names if rec.nameID not in renamed]
    values = {
        1: FAMILY,
        2: SUBFAMILY,
        3: f"{FAMILY} {SUBFAMILY}; subset of WenQuanYi Micro Hei {source_version}",
        4: f"{FAMILY} {SUBFAMILY}",
        6: POSTSCRIPT_NAME,
        10: (
            "Subset of WenQuanYi Micro Hei (Debian fonts-wqy-microhei "
            f"{source_version}) covering every GBK hanzi, renamed and unhinted "
            "by scripts/build_font.py. Not the upstream font."
        ),
    }
    for name_id, value in values.items():
        name.setName(value, name_id, 3, 1, 0x409)


def build(source: Path, output: Path, source_version: str) -> tuple[int, int, list[str]]:
    fontcheck = _load_fontcheck()
    hanzi = fontcheck.gbk_hanzi()
    required, optional = wanted_codepoints(hanzi, fontcheck.gbk_characters())

    if source.suffix.lower() in {".ttc", ".otc"}:
        font = TTCollection(source).fonts[SOURCE_FACE]
    else:
        font = TTFont(source)
    if "glyf" not in font:
        raise SystemExit(f"{source}: no glyf table; this build wants TrueType outlines, not CFF")
    modified = font["head"].modified
    src_cmap = font.getBestCmap()

    missing_required = sorted(cp for cp in required if cp not in src_cmap)
    missing_hanzi = [chr(cp) for cp in missing_required if chr(cp) in set(hanzi)]
    if missing_required:
        listing = " ".join(f"U+{cp:04X}({chr(cp)})" for cp in missing_required)
        print(f"warning: source lacks {len(missing_required)} required chars: {listing}", file=sys.stderr)

    unicodes = sorted(cp for cp in required | optional if cp in src_cmap)

    options = subset.Options()
    options.hinting = False  # drop fpgm/prep/cvt and glyph instructions
    options.drop_tables += ["FFTM", "gasp"]  # FontForge timestamp; gasp only matters for hinting
    options.name_IDs = ["*"]  # keep copyright, licence and trademark records
    options.name_languages = ["*"]
    options.name_legacy = False  # Windows records only
    options.glyph_names = False  # post format 3: no glyph names, smaller
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.layout_features = ["*"]  # keep vert, kern, locl… for the kept glyphs
    options.prune_unicode_ranges = True

    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)

    _rename(font, source_version)
    # Reproducibility: do not stamp the build time into head.modified.
    font.recalcTimestamp = False
    font["head"].modified = modified

    output.parent.mkdir(parents=True, exist_ok=True)
    font.save(output)

    covered = len(TTFont(output, lazy=True).getBestCmap())
    return covered, len(hanzi), missing_hanzi


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help=f"default: {DEFAULT_SOURCE}")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    args = parser.parse_args(argv)

    if not args.source.exists():
        print(f"{args.source} not found: apt-get install {DEBIAN_PACKAGE}", file=sys.stderr)
        return 2

    source_version = _debian_version(DEBIAN_PACKAGE)
    covered, hanzi_total, missing_hanzi = build(args.source, args.output, source_version)

    data = args.output.read_bytes()
    print(f"source:  {args.source} ({DEBIAN_PACKAGE} {source_version})")
    print(f"         sha256 {hashlib.sha256(args.source.read_bytes()).hexdigest()}")
    print(f"output:  {args.output}")
    print(f"size:    {len(data):,} bytes ({len(data) / 1024 / 1024:.2f} MiB)")
    print(f"sha256:  {hashlib.sha256(data).hexdigest()}")
    print(f"covered: {covered:,} characters in cmap")
    print(f"GBK hanzi: {hanzi_total - len(missing_hanzi):,} of {hanzi_total:,} covered")
    if missing_hanzi:
        print(f"MISSING GBK hanzi: {''.join(missing_hanzi)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
