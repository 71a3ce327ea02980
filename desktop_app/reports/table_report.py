"""A printed table report: title, a header line (store, period, date printed), a table whose
header row repeats on every page, subtotal and total rows in bold under a rule, notes, and
signature lines. Cells wrap only when their text is wider than the column, and the table is laid
out a page at a time (``PagedTable``), so a month of 10,000 lines takes seconds."""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from desktop_app.domain.report_package import month_line, printed_line, store_line
from desktop_app.reports.paged_table import PagedTable
from desktop_app.reports.pdf_fonts import cjk_font, plain
from desktop_app.reports.pdf_layout import (
    HEADER_FILL,
    Target,
    build_pdf,
    content_width,
    frame_height,
    grid_style,
    header_block,
    signature_lines,
    title_block,
)
from desktop_app.reports.text_block import TextBlock, text_width

FONT_SIZE = 7.5
CELL_PADDING = 3  # left and right, and what a plain-text cell must leave free on each side
ROW_PADDING = 1.5  # top and bottom
Progress = Callable[[int, int], None]
SIGNATURES = ("制表人", "前台经理", "店长")
TOTAL_FILL = colors.HexColor("#f0f0f0")
# A summary table's heading starts a new page unless this much room is left under it.
KEEP_WITH_HEADING = 30 * mm


@dataclass(frozen=True)
class Column:
    """A column: its title, its width in millimetres (scaled to fill the page) and whether its
    values (money, counts) are right-aligned."""

    title: str
    width_mm: float
    right: bool = False


@dataclass(frozen=True)
class Section:
    """A group of rows (one supplier, one reason) under a heading line across the table,
    closed by its subtotal rows."""

    heading: str
    rows: Sequence[Sequence[str]]
    subtotals: Sequence[Sequence[str]] = ()


@dataclass(frozen=True)
class SummaryTable:
    """A small table under the main one (a subtotal per kind, per product…): a heading, a
    header row repeated if it runs onto the next page, rows and bold total rows."""

    heading: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[str]]
    total_rows: Sequence[Sequence[str]] = ()
    # Columns a total row's label runs across (a statement's 合计 line).
    label_span: int = 1


@dataclass
class TableReport:
    """Everything printed on a table report, as plain text.

    The table prints ``rows`` (with the ones listed in ``bold_rows``, counted from 0, shown as
    subtotals), then each of ``sections``, then ``total_rows``. Every row has one string per
    column.
    """

    title: str  # without the 《》
    store_name: str
    period: str  # "2026年10月"
    printed_on: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[str]] = field(default_factory=list)
    bold_rows: Set[int] = field(default_factory=set)
    notes: Sequence[str] = field(default_factory=list)  # summary lines under the table
    wide: bool = True  # landscape A4
    sections: Sequence[Section] = ()
    total_rows: Sequence[Sequence[str]] = ()
    signatures: Sequence[str] = SIGNATURES
    alerts: Sequence[str] = ()  # bold lines above the table (本月未结束,数据截至 …)
    header_lines: Sequence[str] = ()  # lines above the table (what a figure means)
    summaries: Sequence[SummaryTable] = ()  # under the notes
    footer_note: str = ""  # on every page beside the page number (the register's chain head)
    # A total or subtotal row's first cell (its label) spans this many columns.
    label_span: int = 1


class _Kind(Enum):
    LINE = "line"
    BOLD = "bold"
    HEADING = "heading"


def write_table_report(
    report: TableReport, target: Target, progress: Progress | None = None
) -> None:
    """Print ``report`` to a PDF file path or binary file-like object. ``progress(done, total)``
    is called as body rows are laid out (once a page) and last with ``done == total``."""
    width = content_width(report.wide)
    lines = table_lines(report.title, report.columns, report.rows, report.bold_rows,
                   report.sections, report.total_rows)
    total = len(lines)
    reported = -1

    def rows_done(done: int) -> None:
        nonlocal reported
        if progress is not None and done > reported:
            reported = done
            progress(done, total)

    story: list[Flowable] = [
        *title_block(f"《{report.title}》", []),
        header_block(store_line(report.store_name), month_line(report.period),
                     printed_line(report.printed_on), width),
        *[TextBlock(line, 9, bold=True) for line in report.alerts],
        *[TextBlock(line, 8.5) for line in report.header_lines],
    ]
    if report.alerts or report.header_lines:
        story.append(Spacer(1, 2 * mm))
    story.append(paged_table(report.columns, lines, width, report.wide, rows_done,
                             label_span=report.label_span))
    blocks: list[list[Flowable]] = []
    if report.notes:
        blocks.append([Spacer(1, 2 * mm), *[TextBlock(note, 9) for note in report.notes]])
    blocks += [summary_flowables(summary, width, report.wide) for summary in report.summaries]
    if report.signatures:
        # The signatures go with the last block printed before them: a page holding nothing
        # but signature lines could be signed apart from the figures (found on three reports).
        last = blocks.pop() if blocks else []
        signatures = [Spacer(1, 6 * mm), signature_lines(report.signatures, width)]
        blocks.append([KeepTogether([*last, *signatures])])
    for block in blocks:
        story += block
    build_pdf(
        target, story, title=report.title, wide=report.wide,
        footer_left=f"{report.store_name}  {report.title}  {report.period}",
        footer_note=report.footer_note,
    )
    rows_done(total)


def paged_table(
    columns: Sequence[Column], lines: Sequence[tuple[Sequence[str], _Kind]], width: float,
    wide: bool, rows_done: Callable[[int], None] | None = None, label_span: int = 1,
) -> PagedTable:
    """``lines`` (from ``table_lines``) as a table filling ``width``, laid out a page at a
    time; a section heading never ends a page."""
    widths = _scaled_widths(columns, width)
    right = [column.right for column in columns]
    cells = [_cells(texts, kind, widths, right) for texts, kind in lines]
    kinds = [kind for _, kind in lines]
    return PagedTable(
        header=[TextBlock(column.title, FONT_SIZE, bold=True, align="center")
                for column in columns],
        rows=cells, widths=widths, commands=_table_style(columns),
        row_commands=lambda first, count: _row_commands(kinds, first, count, label_span),
        page_height=frame_height(wide),
        min_row_height=FONT_SIZE * 1.2 + 2 * ROW_PADDING,
        on_rows_done=rows_done,
        keep_with_next=lambda row: kinds[row] is _Kind.HEADING,
    )


def summary_flowables(summary: SummaryTable, width: float, wide: bool) -> list[Flowable]:
    """The heading and table of a ``SummaryTable``; the heading never ends a page alone."""
    lines = table_lines(summary.heading, summary.columns, summary.rows, set(), (),
                   summary.total_rows)
    return [
        Spacer(1, 3 * mm),
        CondPageBreak(KEEP_WITH_HEADING),
        TextBlock(summary.heading, 9.5, bold=True),
        Spacer(1, 1 * mm),
        paged_table(summary.columns, lines, width, wide, label_span=summary.label_span),
    ]


def table_lines(
    title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]], bold_rows: Set[int],
    sections: Sequence[Section], total_rows: Sequence[Sequence[str]],
) -> list[tuple[Sequence[str], _Kind]]:
    count = len(columns)
    lines: list[tuple[Sequence[str], _Kind]] = []

    def add(texts: Sequence[str], kind: _Kind) -> None:
        if len(texts) != count:
            raise ValueError(
                f"{title}: row {len(lines) + 1} has {len(texts)} cells, "
                f"the table has {count} columns"
            )
        lines.append((texts, kind))

    for index, texts in enumerate(rows):
        add(texts, _Kind.BOLD if index in bold_rows else _Kind.LINE)
    for section in sections:
        lines.append(([section.heading, *[""] * (count - 1)], _Kind.HEADING))
        for texts in section.rows:
            add(texts, _Kind.LINE)
        for texts in section.subtotals:
            add(texts, _Kind.BOLD)
    for texts in total_rows:
        add(texts, _Kind.BOLD)
    return lines


def _scaled_widths(columns: Sequence[Column], page_width: float) -> list[float]:
    wanted = [column.width_mm * mm for column in columns]
    scale = page_width / sum(wanted)
    return [width * scale for width in wanted]


def _cells(texts: Sequence[str], kind: _Kind, widths: Sequence[float],
           right: Sequence[bool]) -> list[Any]:
    if kind is _Kind.HEADING:
        return [TextBlock(texts[0], FONT_SIZE + 0.5, bold=True), *[""] * (len(texts) - 1)]
    if kind is _Kind.BOLD:
        return [
            TextBlock(text, FONT_SIZE, bold=True, align="right" if at_right else "left")
            if text else ""
            for text, at_right in zip(texts, right, strict=True)
        ]
    return [_cell(text, width, at_right)
            for text, width, at_right in zip(texts, widths, right, strict=True)]


def _cell(text: str, width: float, right: bool) -> Any:
    """Plain text when it fits on one line (fast); a wrapping Paragraph when it does not."""
    line = plain(text)
    if "\n" not in line and (
        text_width(line, FONT_SIZE) <= width - 2 * CELL_PADDING
    ):
        return line
    return TextBlock(line, FONT_SIZE, align="right" if right else "left")


def _table_style(columns: Sequence[Column]) -> list[tuple[Any, ...]]:
    commands: list[tuple[Any, ...]] = [
        *grid_style(header_rows=1),
        ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), ROW_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), ROW_PADDING),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 1.0, colors.black),
    ]
    for index, column in enumerate(columns):
        if column.right:
            commands.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
    return commands


def _row_commands(
    kinds: Sequence[_Kind], first: int, count: int, label_span: int = 1
) -> list[tuple[Any, ...]]:
    """Bold rows get a rule above and a light fill; a section heading spans the table. Spans
    are cheap here because each page's table holds only that page's rows."""
    commands: list[tuple[Any, ...]] = []
    for row, kind in enumerate(kinds[first:first + count], start=1):
        if kind is _Kind.LINE:
            continue
        commands.append(("LINEABOVE", (0, row), (-1, row), 1.0, colors.black))
        if kind is _Kind.BOLD:
            commands.append(("BACKGROUND", (0, row), (-1, row), TOTAL_FILL))
            if label_span > 1:
                commands.append(("SPAN", (0, row), (label_span - 1, row)))
        else:
            commands.append(("SPAN", (0, row), (-1, row)))
            commands.append(("BACKGROUND", (0, row), (-1, row), HEADER_FILL))
    return commands


def bare_table(rows: Sequence[Sequence[str]], font_size: float = FONT_SIZE) -> Table:
    """The rows (the first one a header) in a plain reportlab table with the report's font and
    nothing else: the yardstick a benchmark measures the report against."""
    table = Table([list(row) for row in rows], repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                               ("FONTSIZE", (0, 0), (-1, -1), font_size)]))
    return table


def write_bare_table(
    rows: Sequence[Sequence[str]], target: Target, chunk: int | None = None
) -> None:
    """``bare_table`` alone on landscape A4 pages; with ``chunk``, the body fed to reportlab as
    tables of that many rows each under the header (reportlab's own remedy for long tables)."""
    header, body = rows[0], rows[1:]
    size = chunk or max(len(body), 1)
    tables = [bare_table([header, *body[start:start + size]])
              for start in range(0, max(len(body), 1), size)]
    SimpleDocTemplate(
        str(target) if isinstance(target, Path) else target, pagesize=landscape(A4),
        initialFontName=cjk_font(),
    ).build(tables)
