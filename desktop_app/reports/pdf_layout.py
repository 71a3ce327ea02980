"""Page furniture shared by every printed document: A4, the CJK font, the title and header block,
the footer "第 x 页 / 共 y 页" (the total is known only after layout, hence the canvas that defers
its pages until ``save``) and the signature lines. Black and white only, so any office printer
does it justice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop_app.domain.report_package import month_line, printed_line, store_line
from desktop_app.reports.paged_table import MIN_CUT_HEIGHT
from desktop_app.reports.pdf_fonts import cjk_font, plain
from desktop_app.reports.text_block import TextBlock, text_width

Target = str | Path | IO[bytes]
MARGIN: float = 14 * mm
BOTTOM_MARGIN: float = 16 * mm
# SimpleDocTemplate's frame keeps 6 pt of padding on each side.
_FRAME_PADDING = 6
GRID = colors.black
HEADER_FILL = colors.HexColor("#e6e6e6")
AUTHOR = "顾客投诉与退换货服务台"
FOOTER_SIZE = 8


def page_size(wide: bool) -> tuple[float, float]:
    """A4, landscape when ``wide``."""
    width, height = landscape(A4) if wide else A4
    return float(width), float(height)


def content_width(wide: bool) -> float:
    """The width a flowable gets: the page less its margins and the frame's padding."""
    return page_size(wide)[0] - 2 * (MARGIN + _FRAME_PADDING)


def frame_height(wide: bool) -> float:
    """The height a flowable gets on an empty page."""
    return page_size(wide)[1] - MARGIN - BOTTOM_MARGIN - 2 * _FRAME_PADDING


def page_label(page: int, total: int) -> str:
    return f"第 {page} 页 / 共 {total} 页"


def numbered_canvas(footer_left: str, footer_note: str = "") -> type[Canvas]:
    """A canvas class that writes "第 x 页 / 共 y 页" once every page is laid out, with
    ``footer_note`` (the register's chain head) printed whole just before it on every page."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            share = 0.45 if footer_note else 0.6
            left_text = _fitted(footer_left, self._pagesize[0] * share, FOOTER_SIZE)
            for page in self._pages:
                self.__dict__.update(page)
                self._footer(left_text, total)
                super().showPage()
            super().save()

        def _footer(self, left_text: str, total: int) -> None:
            width, _ = self._pagesize
            left, right = MARGIN + _FRAME_PADDING, width - MARGIN - _FRAME_PADDING
            baseline = 8 * mm
            self.setLineWidth(0.5)
            self.line(left, baseline + 10, right, baseline + 10)
            self.setFont(cjk_font(), FOOTER_SIZE)
            self.drawString(left, baseline, left_text)
            label = page_label(self._pageNumber, total)
            if footer_note:
                label = f"{plain(footer_note)}    {label}"
            self.drawRightString(right, baseline, label)

    return NumberedCanvas


def _fitted(text: str, width: float, size: float) -> str:
    """One footer line of drawable text, cut with an ellipsis when wider than ``width``."""
    line = " ".join(plain(text).split())
    if text_width(line, size) <= width:
        return line
    # No glyph is narrower than a fifth of an em, so nothing past this many can show.
    line = line[: int(width / (size * 0.2)) + 1]
    while line and text_width(line + "…", size) > width:
        line = line[:-1]
    return line + "…"


def build_pdf(
    target: Target,
    story: Sequence[Flowable],
    title: str,
    footer_left: str,
    wide: bool = False,
    on_page: Callable[[Canvas, Any], None] | None = None,
    footer_note: str = "",
) -> None:
    """Lay out ``story`` on A4 (landscape when ``wide``) with the numbered footer, into a file
    path or a binary file-like object."""
    document = SimpleDocTemplate(
        str(target) if isinstance(target, Path) else target,
        pagesize=page_size(wide), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=BOTTOM_MARGIN, title=plain(title), author=AUTHOR, creator=AUTHOR,
        # Otherwise every page names Helvetica, a font that is neither used nor embedded.
        initialFontName=cjk_font(),
    )
    hook = on_page or (lambda _canvas, _doc: None)
    document.build(
        list(story), onFirstPage=hook, onLaterPages=hook,
        canvasmaker=numbered_canvas(footer_left, footer_note),
    )


def title_block(title: str, lines: Sequence[str]) -> list[Flowable]:
    """The document title in large bold type, centred, with centred lines under it."""
    flowables: list[Flowable] = [TextBlock(title, 16, bold=True, align="center"),
                                 Spacer(1, 2 * mm)]
    flowables += [TextBlock(line, 9, align="center") for line in lines]
    flowables.append(Spacer(1, 4 * mm))
    return flowables


def monthly_opening(
    title: str, under_title: Sequence[str], store_name: str, month_label: str,
    cutoff_note: str, printed_at: datetime, width: float,
) -> list[Flowable]:
    """The top of a one-month report: title, the store / month / printed line, and for a
    month not yet over the note saying up to when it counts."""
    opening: list[Flowable] = [
        *title_block(f"《{title}》", under_title),
        header_block(store_line(store_name), month_line(month_label), printed_line(printed_at),
                     width),
    ]
    if cutoff_note:
        opening.append(TextBlock(cutoff_note, 9, bold=True))
    return opening


def header_block(left: str, middle: str, right: str, width: float) -> Table:
    """One line under the title: store name on the left, the period in the middle, the date
    printed on the right, as on a printed form."""
    table = Table(
        [[TextBlock(left, 9), TextBlock(middle, 9, align="center"),
          TextBlock(right, 9, align="right")]],
        colWidths=[width * 0.4, width * 0.3, width * 0.3], splitInRow=MIN_CUT_HEIGHT,
    )
    table.setStyle(TableStyle([
        *cjk_cells(), *_no_padding(), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def signature_lines(roles: Sequence[str], width: float, *, date_line: bool = False) -> Table:
    """「制表人:________  前台经理:________  店长:________」 side by side, each a label and a ruled
    blank to sign on; with ``date_line``, one role a line, followed by 「日期:________」."""
    size = 10
    gap = 6 * mm

    def label_width(text: str) -> float:
        return text_width(plain(text), size) + 2

    rows: list[list[Any]]
    ruled: list[int]
    if date_line:
        name = max((label_width(f"{role}:") for role in roles), default=0.0)
        date = label_width("日期:")
        rows = [[TextBlock(f"{role}:", size), "", "", TextBlock("日期:", size), ""]
                for role in roles]
        widths = [name, width * 0.62 - name - gap, gap, date, width * 0.38 - date]
        ruled = [1, 4]
    else:
        slot = width / max(len(roles), 1)
        rows = [[cell for role in roles for cell in (TextBlock(f"{role}:", size), "", "")]]
        widths = []
        for role in roles:
            label = min(label_width(f"{role}:"), slot * 0.5)
            widths += [label, slot - label - gap, gap]
        ruled = list(range(1, len(widths), 3))
    table = Table(rows or [[""]], colWidths=widths or [width], splitInRow=MIN_CUT_HEIGHT)
    commands = [*cjk_cells(), *_no_padding(), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 18), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    commands += [("LINEBELOW", (column, 0), (column, -1), 0.6, GRID) for column in ruled]
    table.setStyle(TableStyle(commands))
    return table


def _no_padding() -> list[tuple[Any, ...]]:
    return [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]


def cjk_cells() -> list[tuple[Any, ...]]:
    """Tables otherwise select Helvetica for every cell, and the PDF names an unembedded font."""
    return [("FONTNAME", (0, 0), (-1, -1), cjk_font())]


def grid_style(header_rows: int = 1) -> list[tuple[Any, ...]]:
    commands: list[tuple[Any, ...]] = [
        *cjk_cells(),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
    return commands
