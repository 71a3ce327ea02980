"""The CJK font every printed document uses, registered once and embedded (subset) in each PDF,
and the clean-up any text needs before reportlab sees it.

reportlab's built-in CID fonts are not embedded and print as blanks on a PC without Adobe's
Asian font pack, so the app ships WenQuanYi Micro Hei and embeds it. The font has one weight:
bold is drawn as fill-and-stroke text (``BoldParagraph``), the usual trick for CJK fonts.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from desktop_app.paths import font_path

FONT_NAME = "WenQuanYiMicroHei"
# Drawn in place of a character the font has no glyph for (emoji, rare ideographs).
MISSING = "□"
ALIGNMENTS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_MARKUP = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
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


@functools.cache
def style(size: float = 9, leading: float | None = None, bold: bool = False,
          alignment: int = TA_LEFT) -> ParagraphStyle:
    """A paragraph style in the CJK font that wraps Chinese between any two characters.
    ``bold`` only names the style: pair it with ``BoldParagraph``."""
    return ParagraphStyle(
        name=f"cjk-{size}-{bold}-{alignment}",
        fontName=cjk_font(),
        fontSize=size,
        leading=leading or size * 1.35,
        wordWrap="CJK",
        alignment=alignment,
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
        if char == "\n":
            kept.append(char)
        elif code in drawable:
            kept.append(char)
        elif unicodedata.category(char) in _DROPPED_CATEGORIES or _is_variation_selector(code):
            continue
        else:
            kept.append(MISSING)
    return "".join(kept)


def printable(text: str) -> str:
    """``plain`` text as reportlab Paragraph markup: ``<``, ``>`` and ``&`` escaped, so text that
    looks like markup prints as typed, and line breaks kept."""
    escaped = "".join(_MARKUP.get(char, char) for char in plain(text))
    return escaped.replace("\n", "<br/>")


class BoldParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A Paragraph drawn bold with the single-weight CJK font: each glyph is filled and then
    stroked with a hairline of its own colour (PDF text render mode 2)."""

    def draw(self) -> None:
        canvas: Any = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.style.textColor)
        canvas.setLineWidth(self.style.fontSize * 0.035)
        canvas.addLiteral("2 Tr")
        super().draw()
        canvas.restoreState()


def paragraph(text: str, size: float = 9, *, bold: bool = False, align: str = "left") -> Paragraph:
    """A wrapped paragraph of plain text (markup characters print as typed)."""
    kind = BoldParagraph if bold else Paragraph
    return kind(printable(text), style(size, bold=bold, alignment=ALIGNMENTS[align]))
