"""Page furniture shared by every printed document: A4, the CJK font, the footer
"第 x 页 / 共 y 页" (the total is known only after layout, hence the two-pass canvas) and the
signature lines. Black and white only, so any office printer does it justice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop_app.reports.pdf_fonts import cjk_font, printable, style

Target = str | Path | IO[bytes]
MARGIN = 14 * mm
GRID = colors.black


def numbered_canvas(footer_left: str) -> type[Canvas]:
    """A canvas class that writes "第 x 页 / 共 y 页" once every page is laid out."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            self.setFont(cjk_font(), 8)
            self.drawString(MARGIN, 8 * mm, footer_left)
            self.drawRightString(
                width - MARGIN, 8 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页"
            )

    return NumberedCanvas


def build_pdf(
    target: Target,
    story: Sequence[Flowable],
    title: str,
    footer_left: str,
    wide: bool = False,
    on_page: Callable[[Canvas, Any], None] | None = None,
) -> None:
    """Lay out ``story`` on A4 (landscape when ``wide``) with the numbered footer."""
    page = landscape(A4) if wide else A4
    document = SimpleDocTemplate(
        target if not isinstance(target, Path) else str(target),
        pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=16 * mm, title=title, author="顾客投诉与退换货服务台",
        # Otherwise every page names Helvetica, a font that is neither used nor embedded.
        initialFontName=cjk_font(),
    )
    hook = on_page or (lambda _canvas, _doc: None)
    document.build(
        list(story), onFirstPage=hook, onLaterPages=hook,
        canvasmaker=numbered_canvas(footer_left),
    )


def title_block(title: str, lines: Sequence[str]) -> list[Flowable]:
    flowables: list[Flowable] = [Paragraph(printable(title), style(16, bold=True, alignment=1))]
    flowables.append(Spacer(1, 2 * mm))
    for line in lines:
        flowables.append(Paragraph(printable(line), style(9, alignment=1)))
    flowables.append(Spacer(1, 4 * mm))
    return flowables


def signature_lines(roles: Sequence[str], width: float) -> Table:
    """「制表人:______ 日期:____」 and the like, side by side."""
    cells = [Paragraph(printable(f"{role}:") + "_" * 14, style(10)) for role in roles]
    table = Table([cells], colWidths=[width / len(roles)] * len(roles))
    table.setStyle(TableStyle([*cjk_cells(), ("TOPPADDING", (0, 0), (-1, -1), 14)]))
    return table


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
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e6e6e6")))
    return commands
