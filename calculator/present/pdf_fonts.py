"""The fonts the PDF report embeds: Debian's Noto Sans for the text, Noto fonts of other scripts as fallbacks.

The body font is Noto Sans (``fonts-noto-core``), or DejaVu Sans (``fonts-dejavu-core``) where Noto is missing.
A clinic's or a scenario's name may be in any script: the characters the body font lacks are drawn from the
first fallback that has them (Thai, Devanagari, Hebrew, Arabic from ``fonts-noto-core``; Chinese, Japanese and
Korean from ``fonts-noto-cjk``; symbols from DejaVu Sans). Only the fallbacks a report needs are embedded
(and fpdf2 embeds only the glyphs used). A character no installed font has is written as "?" and the report
says which fonts to install (:func:`missing_characters`).

``CALC_PDF_FONT_DIR`` names one more folder to search first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIRS = (
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    str(Path.home() / "Library" / "Fonts"),
    "C:/Windows/Fonts",
)
BODY_FONTS = (("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"), ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
"""Body font pairs (regular, bold), the first found wins."""
FALLBACK_FONTS = (
    "DejaVuSans.ttf",
    "NotoSansThai-Regular.ttf",
    "NotoSansDevanagari-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansCJK-Regular.ttc",
)
"""Fallbacks for the characters the body font lacks, in order of preference."""
INSTALL_HINT = "install Debian's fonts-noto-core and fonts-noto-cjk (or set CALC_PDF_FONT_DIR)"


@dataclass(frozen=True)
class FontSet:
    """The body font (regular and bold) and the fallback fonts found on this machine."""

    regular: Path
    bold: Path
    fallbacks: tuple[Path, ...] = ()


def _dirs() -> list[Path]:
    return [Path(d) for d in (os.environ.get("CALC_PDF_FONT_DIR", ""), *FONT_DIRS) if d]


def _find(name: str) -> Path | None:
    return next((d / name for d in _dirs() if (d / name).is_file()), None)


def pdf_font() -> FontSet | None:
    """The fonts to embed, or None when no body font is installed (the PDF then uses a core font)."""
    for regular_name, bold_name in BODY_FONTS:
        regular, bold = _find(regular_name), _find(bold_name)
        if regular is not None and bold is not None:
            fallbacks = tuple(p for p in map(_find, FALLBACK_FONTS) if p is not None and p != regular)
            return FontSet(regular, bold, fallbacks)
    return None


@lru_cache(maxsize=32)
def covered(path: Path) -> frozenset[int]:
    """The code points a font file (the first font of a collection) has glyphs for."""
    with TTFont(str(path), fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _drawn(text: str) -> set[int]:
    """The code points of ``text`` that need a glyph (not spaces, line breaks or other controls)."""
    return {ord(ch) for ch in text if ch.isprintable() and not ch.isspace()}


def fallbacks_for(fonts: FontSet, text: str) -> list[Path]:
    """The fallback fonts ``text`` needs: each one that has a character no earlier font has."""
    missing = _drawn(text) - covered(fonts.regular)
    needed = []
    for path in fonts.fallbacks:
        if not missing:
            break
        found = missing & covered(path)
        if found:
            needed.append(path)
            missing -= found
    return needed


def missing_characters(fonts: FontSet, text: str) -> str:
    """The characters of ``text`` that neither the body font nor any installed fallback can draw, in order."""
    have = set(covered(fonts.regular))
    for path in fonts.fallbacks:
        have |= covered(path)
    return "".join(dict.fromkeys(ch for ch in text if ord(ch) in _drawn(ch) - have))
