"""Plain text in the CJK font, broken into lines and split across pages.

Used instead of reportlab's Paragraph for anything typed at the desk: there is no markup to
escape, and a block longer than the page splits between its lines. (A split Paragraph with
``wordWrap='CJK'`` re-joins its lines with spaces, so a long Chinese account printed with gaps
in the middle of words on every page after the first.)

Line breaking: between any two CJK characters, at spaces, and inside a Latin word or a number
only when it is wider than the whole line. Closing punctuation (,。、) never starts a line: it
takes the character before it along to the next one.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from desktop_app.reports.pdf_fonts import cjk_font, plain

ALIGNMENTS = ("left", "center", "right")
LEADING = 1.35  # line height, as a multiple of the font size
# Closing punctuation, ASCII and full-width (，．；：？！）］｝％ 、。》」』】〉〕 ”’ …—·).
_NO_LINE_START = frozenset(
    ",.;:!?%)]}"
    "\uff0c\uff0e\uff1b\uff1a\uff1f\uff01\uff09\uff3d\uff5d\uff05"
    "\u3001\u3002\u300b\u300d\u300f\u3011\u3009\u3015"
    "\u201d\u2019\u2026\u2014\u00b7"
)
_CJK = (
    "\u2e80-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\ua960-\ua97f\uac00-\ud7ff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
# One unit of line breaking: a space, a CJK character, or a run of anything else (a Latin word,
# a number, a barcode).
_UNITS = re.compile(rf"\s|[{_CJK}]|[^\s{_CJK}]+")


def text_width(text: str, size: float) -> float:
    """Width of ``text`` in points in the CJK font."""
    width: float = pdfmetrics.getFont(cjk_font()).stringWidth(text, size)
    return width


# Line breaking measures the same characters and words over and over.
_unit_width = functools.lru_cache(maxsize=65536)(text_width)


def break_lines(text: str, width: float, size: float) -> list[str]:
    """``text`` (already ``plain``) as lines no wider than ``width``; ``\\n`` always breaks."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _break_paragraph(paragraph, width, size)
    return lines


def _break_paragraph(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    used = 0.0

    def flush() -> None:
        nonlocal line, used
        lines.append("".join(line).rstrip(" "))
        line, used = [], 0.0

    for unit in _UNITS.findall(text):
        unit_width = _unit_width(unit, size)
        if used + unit_width <= width:
            line.append(unit)
            used += unit_width
        elif unit.isspace():
            flush()  # the space becomes the line break
        elif unit_width > width:  # a word longer than the line: cut it where the line ends
            for char in unit:
                char_width = _unit_width(char, size)
                if used + char_width > width and line:
                    flush()
                line.append(char)
                used += char_width
        elif unit[0] in _NO_LINE_START and len(line) > 1 and not line[-1].isspace():
            carried = [unit]
            while len(line) > 1 and carried[0][0] in _NO_LINE_START and not line[-1].isspace():
                carried.insert(0, line.pop())
            flush()
            line, used = carried, sum(_unit_width(part, size) for part in carried)
        else:
            flush()
            line, used = [unit], unit_width
    if line or not lines:
        flush()
    return lines


class TextBlock(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """``text`` in the CJK font at ``size`` points, wrapped to the width it is given.

    Any string is accepted: control characters are dropped and characters the font lacks print
    as □ (see ``plain``). ``bold`` fills and strokes the glyphs, the font having one weight.
    """

    def __init__(self, text: str, size: float = 9, *, align: str = "left",
                 bold: bool = False) -> None:
        if align not in ALIGNMENTS:
            raise ValueError(f"align must be one of {ALIGNMENTS}, not {align!r}")
        super().__init__()
        self.text = plain(text)
        self.size = size
        self.align = align
        self.bold = bold
        self.leading = size * LEADING
        self._lines: list[str] = []
        self._wrapped_at: float | None = None

    def _copy(self, lines: list[str], width: float) -> TextBlock:
        block = TextBlock("", self.size, align=self.align, bold=self.bold)
        block.text = "\n".join(lines)
        block._lines, block._wrapped_at = lines, width
        block.width, block.height = width, len(lines) * self.leading
        return block

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._wrapped_at != availWidth:
            self._lines = break_lines(self.text, availWidth, self.size)
            self._wrapped_at = availWidth
        self.width, self.height = availWidth, len(self._lines) * self.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # Keep the lines of the last wrap, as Paragraph does: a table cutting a row passes the
        # column's width here, not the narrower width inside its padding that wrap() was given.
        if self._wrapped_at is None:
            self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.leading)
        if fit <= 0:
            return []
        if fit >= len(self._lines):
            return [self]
        return [self._copy(self._lines[:fit], self.width),
                self._copy(self._lines[fit:], self.width)]

    def draw(self) -> None:
        canvas: Any = self.canv
        face = pdfmetrics.getFont(cjk_font()).face
        # The em box sits in the middle of each line's leading; the baseline is its descent up.
        descent = -face.descent / (face.ascent - face.descent) * self.size
        baseline = (self.leading - self.size) / 2 + descent
        canvas.saveState()
        canvas.setFont(cjk_font(), self.size)
        if self.bold:
            canvas.setLineWidth(self.size * 0.035)
            canvas.addLiteral("2 Tr")  # fill, then stroke: bold from a one-weight font
        draw = {"left": canvas.drawString, "center": canvas.drawCentredString,
                "right": canvas.drawRightString}[self.align]
        x = {"left": 0, "center": self.width / 2, "right": self.width}[self.align]
        for index, line in enumerate(self._lines):
            draw(x, self.height - (index + 1) * self.leading + baseline, line)
        canvas.restoreState()
