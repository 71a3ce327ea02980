"""A table of any length that lays out in time proportional to its rows.

reportlab's ``Table.split`` measures every remaining row at each page break, so one table of
10,000 rows costs O(rows × pages). ``PagedTable`` hands reportlab only a window a little longer
than the space left on the page, lets it split that, and keeps the rest for the next page.
The header row repeats on every page. A row taller than a whole page is cut across pages
instead of failing the document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Table

# Commands for the rows of one window: called with the index of the window's first body row
# (counted over the whole table) and the number of body rows; returns commands whose row
# numbers count the header as row 0, as reportlab's do.
RowCommands = Callable[[int, int], list[tuple[Any, ...]]]
# A cut row leaves at least this much (points) on each page.
MIN_CUT_HEIGHT = 24


_ALIGNMENTS = frozenset({"LEFT", "RIGHT", "CENTER", "CENTRE"})


class BatchedTable(Table):  # type: ignore[misc]  # reportlab is untyped
    """A reportlab Table that writes runs of one-line text cells into a single PDF text
    object instead of one per cell. reportlab's ``drawString`` builds, positions and closes a
    text object for every string, the largest part of drawing a 10,000-line month; the page
    looks the same and its text comes in the same order. Anything else (flowables, several
    lines, links, right-to-left text) is drawn by reportlab as usual, after the run before it
    is written; empty cells draw nothing."""

    def draw(self) -> None:
        self._batched: list[tuple[float, float, str, Any]] = []
        super().draw()

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # noqa: N802
        if not isinstance(cellval, str) or not self._batchable(cellval, cellstyle):
            self._flush_text()  # what is drawn keeps reportlab's order, cell by cell
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if not cellval:
            return
        (colpos, rowpos), (colwidth, rowheight) = pos, size
        style = cellstyle
        if style.alignment == "LEFT":
            x = colpos + style.leftPadding
        elif style.alignment == "RIGHT":
            x = colpos + colwidth - style.rightPadding - stringWidth(
                cellval, style.fontname, style.fontsize)
        else:
            x = colpos + (colwidth + style.leftPadding - style.rightPadding - stringWidth(
                cellval, style.fontname, style.fontsize)) * 0.5
        # The same baseline as reportlab's own one-line cell.
        if style.valign == "TOP":
            y = rowpos + rowheight - style.topPadding - style.fontsize
        elif style.valign == "BOTTOM":
            y = rowpos + style.bottomPadding + style.leading - style.fontsize
        else:
            y = rowpos + (style.bottomPadding + rowheight - style.topPadding
                          + style.leading) / 2.0 - style.fontsize
        self._batched.append((x, y, cellval, style))

    @staticmethod
    def _batchable(text: str, style: Any) -> bool:
        return ("\n" not in text and style.alignment in _ALIGNMENTS
                and style.valign in ("TOP", "BOTTOM", "MIDDLE") and not style.href
                and not style.destination and not getattr(style, "direction", None)
                and not getattr(style, "shaping", None))

    def _drawLines(self) -> None:  # noqa: N802 - reportlab's name; cells are done by now
        self._flush_text()
        super()._drawLines()

    def _flush_text(self) -> None:
        if not self._batched:
            return
        text = self.canv.beginText()
        font: tuple[str, float, float] | None = None
        color = None
        for x, y, value, style in self._batched:
            if (style.fontname, style.fontsize, style.leading) != font:
                font = (style.fontname, style.fontsize, style.leading)
                text.setFont(*font)
            if style.color != color:
                color = style.color
                text.setFillColor(color)
            text.setTextOrigin(x, y)
            # textLine, not textOut: its line break keeps each cell a line of its own for
            # text extraction (copying from the PDF, tests), as reportlab's drawString does.
            text.textLine(value)
        self.canv.drawText(text)
        self._batched = []


@dataclass(frozen=True)
class _Layout:
    header: Sequence[Any]
    widths: Sequence[float]
    commands: Sequence[tuple[Any, ...]]
    row_commands: RowCommands
    page_height: float
    min_row_height: float
    total: int
    on_rows_done: Callable[[int], None] | None
    keep_with_next: Callable[[int], bool]


class PagedTable(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A header row and body rows of table cells (``str`` or flowables).

    ``commands`` style the whole of every page's table (write body ranges as ``(c, 1)`` to
    ``(c, -1)``); ``row_commands`` adds the commands of particular rows. ``page_height`` is the
    frame height of an empty page: only a row taller than that is cut. ``min_row_height`` is a
    lower bound of a row's height, used to guess how many rows fill a page.
    ``on_rows_done(n)`` is told how many body rows have been laid out so far.
    ``keep_with_next(i)`` says that body row ``i`` (a section heading) must not end a page.
    """

    def __init__(
        self,
        header: Sequence[Any],
        rows: list[list[Any]],
        widths: Sequence[float],
        commands: Sequence[tuple[Any, ...]],
        row_commands: RowCommands,
        page_height: float,
        min_row_height: float,
        on_rows_done: Callable[[int], None] | None = None,
        keep_with_next: Callable[[int], bool] | None = None,
    ) -> None:
        layout = _Layout(header, widths, commands, row_commands, page_height,
                         max(min_row_height, 1.0), len(rows), on_rows_done,
                         keep_with_next or (lambda _row: False))
        self._init(layout, rows, 0)

    @classmethod
    def _rest(cls, layout: _Layout, rows: list[list[Any]], offset: int) -> PagedTable:
        table = cls.__new__(cls)
        table._init(layout, rows, offset)
        return table

    def _init(self, layout: _Layout, rows: list[list[Any]], offset: int) -> None:
        super().__init__()
        self._layout = layout
        self._rows = rows
        self._offset = offset
        self._window: tuple[float, float, int, Table] | None = None

    def _table(self, count: int) -> Table:
        layout = self._layout
        commands = [*layout.commands, *layout.row_commands(self._offset, count)]
        return BatchedTable([list(layout.header), *self._rows[:count]],
                            colWidths=list(layout.widths), repeatRows=1, style=commands)

    def _fit(self, width: float, height: float) -> tuple[int, Table]:
        """The shortest window that overflows ``height``, or all rows if they fit."""
        if self._window is not None and self._window[:2] == (width, height):
            return self._window[2], self._window[3]
        count = min(len(self._rows), int(height / self._layout.min_row_height) + 2)
        while True:
            table = self._table(count)
            _, used = table.wrap(width, height)
            if used > height or count >= len(self._rows):
                break
            count = min(len(self._rows), count * 2)
        self._window = (width, height, count, table)
        return count, table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        _, table = self._fit(availWidth, availHeight)
        self.width, self.height = table._width, table._height
        return self.width, self.height

    def draw(self) -> None:
        # Only reached when wrap() reported that every remaining row fits.
        assert self._window is not None and self._window[2] == len(self._rows)
        self._window[3].drawOn(self.canv, 0, 0)
        self._done(len(self._rows))

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        count, table = self._fit(availWidth, availHeight)
        if count == len(self._rows) and table._height <= availHeight:
            return [table]
        # reportlab cuts a row only when splitInRow is set; doing so for a row that merely
        # does not fit the rest of this page would print half of it under a repeated header.
        if sum(table._rowHeights[:2]) > self._layout.page_height:
            table.splitInRow = MIN_CUT_HEIGHT
        parts = table.split(availWidth, availHeight)
        if len(parts) < 2:
            return list(parts)  # nothing fits here: the document tries the next page
        first, rest = parts
        placed = len(first._cellvalues) - 1
        left = len(rest._cellvalues) - 1
        kept = placed
        while kept > 1 and self._layout.keep_with_next(self._offset + kept - 1):
            kept -= 1
        if kept < placed and placed + left == count:
            # A heading would end the page: cut above it, so it starts the next page.
            parts = table.split(availWidth, sum(first._rowHeights[:kept + 1]) + 0.01)
            if len(parts) == 2:
                first, rest = parts
                placed = len(first._cellvalues) - 1
                left = len(rest._cellvalues) - 1
        if placed + left == count:
            remaining, offset = self._rows[placed:], self._offset + placed
        else:  # one row was cut in two: the rest begins with its lower part
            cut = count - left
            remaining = [list(row) for row in rest._cellvalues[1:]] + self._rows[count:]
            offset = self._offset + cut
        self._done(offset - self._offset)
        # The page is full; without the break the rest would be offered the sliver left under
        # the last row and could start there with a repeated header.
        return [first, PageBreak(), PagedTable._rest(self._layout, remaining, offset)]

    def _done(self, rows: int) -> None:
        if self._layout.on_rows_done is not None:
            self._layout.on_rows_done(self._offset + rows)
