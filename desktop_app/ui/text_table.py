"""A read-only table of text whose cells show in full: short columns as wide as their longest
text, the last column taking the rest and wrapping, rows as tall as their text at the width they
have now (refitted when the table or a column is resized), and the whole text as a tooltip on any
cell the user has narrowed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop_app.ui.cell_tooltips import show_cut_text

TOP_LEFT = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft


class TextTable(QTableWidget):
    def __init__(self, name: str, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        show_cut_text(self)
        # Row heights follow the column widths, once per burst of resizing.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.resizeRowsToContents)
        header.sectionResized.connect(lambda *_args: self._refit.start())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._refit.start()

    def fill(self, rows: Sequence[Sequence[str]], widest: int = 360) -> None:
        self.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setTextAlignment(TOP_LEFT)
                self.setItem(row, column, item)
        for column in range(self.columnCount() - 1):
            self.resizeColumnToContents(column)
            if self.columnWidth(column) > widest:
                self.setColumnWidth(column, widest)
        self.resizeRowsToContents()
