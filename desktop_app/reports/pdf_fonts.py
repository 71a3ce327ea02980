"""The CJK font every printed document uses, registered once and embedded (subset) in each PDF,
and the clean-up any text needs before it is drawn.

reportlab's built-in CID fonts are not embedded and print as blanks on a PC without Adobe's
Asian font pack, so the app ships WenQuanYi Micro Hei and embeds it.
"""

from __future__ import annotations

import functools
import unicodedata

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.paths import font_path

FONT_NAME = "WenQuanYiMicroHei"
# Drawn in place of a character the font has no glyph for (emoji, rare ideographs).
MISSING = "□"
# Control, format (zero-width joiner, bidi marks, BOM) and lone surrogate code points draw
# nothing useful; variation selectors only tune the emoji that become MISSING anyway.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def _is_variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


@functools.cache
def cjk_font() -> str:
    """Register the font (≈80 ms, once per process) and return its name."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path()), subfontIndex=0))
    return FONT_NAME


@functools.cache
def _drawable() -> frozenset[int]:
    """Code points the font has a glyph for, less those that must never be drawn (some fonts
    map NUL, the BOM or the soft hyphen to a glyph)."""
    return frozenset(
        code for code in pdfmetrics.getFont(cjk_font()).face.charToGlyph
        if code <= 0x10FFFF and not _is_variation_selector(code)
        and unicodedata.category(chr(code)) not in _DROPPED_CATEGORIES
    )


@functools.lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """Text the font can draw: tabs become spaces, ``\\r\\n`` and ``\\r`` become ``\\n``, other
    control and format characters are dropped, characters the font lacks become ``□``.
    Cached because a month's report repeats the same departments, names and products."""
    drawable = _drawable()
    kept: list[str] = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "):
        code = ord(char)
        if char == "\n" or code in drawable:
            kept.append(char)
        elif unicodedata.category(char) in _DROPPED_CATEGORIES or _is_variation_selector(code):
            continue
        else:
            kept.append(MISSING)
    return "".join(kept)
