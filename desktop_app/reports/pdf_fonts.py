"""The CJK font every printed document uses, registered once and embedded (subset) in each PDF.

reportlab's built-in CID fonts are not embedded and print as blanks on a PC without Adobe's
Asian font pack, so the app ships WenQuanYi Micro Hei and embeds it.
"""

from __future__ import annotations

import functools
import unicodedata

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.paths import font_path

FONT_NAME = "WenQuanYiMicroHei"


@functools.cache
def cjk_font() -> str:
    """Register the font (≈80 ms, once per process) and return its name."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path()), subfontIndex=0))
    return FONT_NAME


def style(size: float = 9, leading: float | None = None, bold: bool = False,
          alignment: int = 0) -> ParagraphStyle:
    """A paragraph style in the CJK font that wraps Chinese between any two characters."""
    return ParagraphStyle(
        name=f"cjk-{size}-{bold}-{alignment}",
        fontName=cjk_font(),
        fontSize=size,
        leading=leading or size * 1.35,
        wordWrap="CJK",
        alignment=alignment,
    )


def printable(text: str) -> str:
    """Text safe for a reportlab Paragraph: markup escaped, control characters dropped,
    characters the font cannot draw (emoji) replaced by a visible mark instead of a crash."""
    font = pdfmetrics.getFont(cjk_font())
    covered = font.face.charToGlyph
    kept = []
    for char in text:
        if char == "\n":
            kept.append("<br/>")
            continue
        if unicodedata.category(char) in ("Cc", "Cs", "Cf"):
            continue
        if ord(char) not in covered:
            kept.append("□")
            continue
        kept.append({"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(char, char))
    return "".join(kept)
